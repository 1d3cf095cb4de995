import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", "generator/index": "src/generator/index.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  tsconfig: "tsconfig.build.json",
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: false,
});
