import { defineConfig } from "tsup";

export default defineConfig({
  // Two entry points: the core, and machine threads (which bring in the isa
  // and switch packages). Splitting, for CommonJS too, puts the core in one
  // shared chunk, so `@greenthreads/scheduler/machine` and the root share a
  // single copy of it within each format.
  entry: { index: "src/index.ts", machine: "src/machine/index.ts" },
  format: ["esm", "cjs"],
  splitting: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
