/**
 * Regenerates test/golden/aarch64.golden from the corpus in
 * test/aarch64/corpus.ts: each entry is formatted with the formatter,
 * assembled on its own by GNU `as` (labels become symbols at the entry's
 * label addresses, relative to the instruction), and its 4 bytes are taken
 * from `objcopy -O binary -j .text`. Run:
 *
 *   pnpm exec tsx packages/isa/scripts/golden-aarch64.ts
 *
 * The golden test then needs no tools: it compares the formatter's text and
 * the encoder's bytes with this file.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { A64_ASM_PROLOGUE, a64FormatInstruction } from "../src/arch/aarch64/format.js";
import { CORPUS, DEFAULT_AT } from "../test/aarch64/corpus.js";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "test", "golden", "aarch64.golden");
const work = mkdtempSync(join(tmpdir(), "golden-aarch64-"));

function hexOffset(v: bigint): string {
  return v < 0n ? `- 0x${(-v).toString(16)}` : `+ 0x${v.toString(16)}`;
}

const lines: string[] = [];
try {
  for (const [i, entry] of CORPUS.entries()) {
    const text = a64FormatInstruction(entry.instr);
    const at = entry.at ?? DEFAULT_AT;
    let src = `${A64_ASM_PROLOGUE}\n.text\nstart_of_entry:\n  ${text}\n`;
    for (const [name, address] of Object.entries(entry.labels ?? {})) {
      src += `${name} = start_of_entry ${hexOffset(address - at)}\n`;
    }
    const s = join(work, `e${i}.s`);
    const o = join(work, `e${i}.o`);
    const bin = join(work, `e${i}.bin`);
    writeFileSync(s, src);
    execFileSync("aarch64-linux-gnu-as", [s, "-o", o]);
    execFileSync("aarch64-linux-gnu-objcopy", ["-O", "binary", "-j", ".text", o, bin]);
    const bytes = readFileSync(bin);
    if (bytes.length !== 4)
      throw new Error(`entry ${i} (${text}) assembled to ${bytes.length} bytes`);
    lines.push(`${text}\t${bytes.toString("hex")}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(out, `${lines.join("\n")}\n`);
console.log(`wrote ${lines.length} entries to ${out}`);
