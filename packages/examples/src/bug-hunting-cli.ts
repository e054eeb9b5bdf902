import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bugHunting } from "./bug-hunting.js";

// The failing run's timeline goes to `--svg <dir>`, else to the system's temporary directory.
const at = process.argv.indexOf("--svg");
const dir = at >= 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : tmpdir();
bugHunting(
  (line) => console.log(line),
  (name, svg) => {
    const path = join(dir, name);
    writeFileSync(path, svg);
    console.log(
      `  timeline of the failing run: ${path} (open it in a browser; hover a span for details)`,
    );
  },
);
