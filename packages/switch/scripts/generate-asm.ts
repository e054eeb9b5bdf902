/**
 * Writes the generated assembler files into native/asm/. Run it after a
 * change to an ABI or an instruction set: `pnpm --filter @greenthreads/switch generate:asm`.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedAsmFiles } from "./asm-files.js";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "native", "asm");
for (const { name, text } of generatedAsmFiles()) {
  writeFileSync(join(out, name), text);
  console.log(`wrote native/asm/${name}`);
}
