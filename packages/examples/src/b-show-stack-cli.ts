import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { showStacks } from "./b-show-stack.js";

// `--svg <dir>` also writes each picture as an SVG file there.
const at = process.argv.indexOf("--svg");
const dir = at >= 0 ? process.argv[at + 1] : undefined;
if (dir) mkdirSync(dir, { recursive: true });
showStacks(
  (line) => console.log(line),
  dir
    ? (name, svg) => {
        writeFileSync(join(dir, name), svg);
        console.log(`wrote ${join(dir, name)}`);
      }
    : undefined,
);
