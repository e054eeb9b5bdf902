// Bundles the playground for the browser into dist/ (or the folder given as
// the first argument): index.html and playground.js, openable from disk.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(root, "dist"));
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, "src", "main.ts")],
  bundle: true,
  platform: "browser",
  format: "iife",
  conditions: ["@greenthreads/source"],
  outfile: join(out, "playground.js"),
  minify: true,
  logLevel: "warning",
});
copyFileSync(join(root, "src", "index.html"), join(out, "index.html"));
console.log(`playground written to ${out}`);
