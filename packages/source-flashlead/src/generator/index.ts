/**
 * @ferry/source-flashlead/generator: a seeded generator of Flash Lead Sales exports with
 * invented people, for samples, tests and benchmarks.
 */
export {
  type GeneratedExport,
  type GenerateExportOptions,
  generateExport,
} from "./generateExport.js";
export { fictionalPhone, fictionalPhoneCount, type PhoneSequence } from "./Phones.js";
