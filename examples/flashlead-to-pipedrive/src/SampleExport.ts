/**
 * Locates the sample export bundled with this package, from the source tree or from dist/.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Returns the absolute path of the bundled sample export folder. */
export const sampleExportFolder = (): string => {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(folder, "sample-export");
    if (existsSync(candidate)) return candidate;
    folder = dirname(folder);
  }
  throw new Error("The bundled sample export was not found beside the ferry package");
};
