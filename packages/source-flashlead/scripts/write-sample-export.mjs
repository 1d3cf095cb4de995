// Writes the sample export of examples/flashlead-to-pipedrive/sample-export with the built
// generator (run `npm run build -w packages/source-flashlead` first). The seed and size are
// fixed, so the committed CSV files change only when the generator does.
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { generateExport } from "../dist/generator/index.js";

const folder = fileURLToPath(
  new URL("../../../examples/flashlead-to-pipedrive/sample-export/", import.meta.url),
);

await rm(folder, { recursive: true, force: true });
const written = await generateExport({ folder, leads: 300, seed: 20240415, messy: true });
for (const [kind, { file, rows }] of Object.entries(written)) {
  process.stdout.write(`${kind}: ${file}, ${rows} rows\n`);
}
