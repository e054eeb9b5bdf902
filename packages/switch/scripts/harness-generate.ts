/**
 * Writes the generated files of the switch harness into
 * native/harness/generated/. Run it after a change to an ABI or an
 * instruction set: `pnpm --filter @greenthreads/switch generate:harness`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedHarnessFiles } from "./harness-files.js";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "native", "harness");
for (const { path, text } of generatedHarnessFiles()) {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), text);
  console.log(`wrote native/harness/${path}`);
}
