/**
 * Regenerates test/golden/riscv64.golden from the corpus in
 * test/riscv64/corpus.ts: each entry is formatted with the formatter,
 * assembled on its own by `riscv64-linux-gnu-as -march=rv64g` (labels become
 * symbols at the entry's label addresses, relative to the instruction),
 * linked by `riscv64-linux-gnu-ld` at the entry's address (GNU `as` leaves
 * PC-relative relocations for the linker even under `.option norelax`), and
 * its bytes are taken from `objcopy -O binary -j .text`. Run:
 *
 *   pnpm exec tsx packages/isa/scripts/golden-riscv64.ts
 *
 * Each line is `<text>\t<hex bytes>`, where the text's line breaks (only the
 * multi-line `la` has them) are written as `; `, GNU `as`'s statement
 * separator. The golden test then needs no tools.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rvSizeOf } from "../src/arch/riscv64/encode.js";
import { RV_ASM_PROLOGUE, rvFormatInstruction } from "../src/arch/riscv64/format.js";
import { CORPUS, DEFAULT_AT } from "../test/riscv64/corpus.js";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "test", "golden", "riscv64.golden");
const work = mkdtempSync(join(tmpdir(), "golden-riscv64-"));

function hexOffset(v: bigint): string {
  return v < 0n ? `- 0x${(-v).toString(16)}` : `+ 0x${v.toString(16)}`;
}

const lines: string[] = [];
try {
  for (const [i, entry] of CORPUS.entries()) {
    const text = rvFormatInstruction(entry.instr);
    const at = entry.at ?? DEFAULT_AT;
    let src = `${RV_ASM_PROLOGUE}\n.text\n.globl start_of_entry\nstart_of_entry:\n${text}\n`;
    for (const [name, address] of Object.entries(entry.labels ?? {})) {
      src += `${name} = start_of_entry ${hexOffset(address - at)}\n`;
    }
    const s = join(work, `e${i}.s`);
    const o = join(work, `e${i}.o`);
    const elf = join(work, `e${i}.elf`);
    const bin = join(work, `e${i}.bin`);
    writeFileSync(s, src);
    execFileSync("riscv64-linux-gnu-as", ["-march=rv64g", s, "-o", o]);
    execFileSync("riscv64-linux-gnu-ld", [
      "-e",
      "start_of_entry",
      `-Ttext=0x${at.toString(16)}`,
      o,
      "-o",
      elf,
    ]);
    execFileSync("riscv64-linux-gnu-objcopy", ["-O", "binary", "-j", ".text", elf, bin]);
    const bytes = readFileSync(bin);
    const size = rvSizeOf(entry.instr);
    if (bytes.length !== size) {
      throw new Error(`entry ${i} (${text}) assembled to ${bytes.length} bytes, not ${size}`);
    }
    lines.push(`${text.replaceAll("\n", "; ")}\t${bytes.toString("hex")}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(out, `${lines.join("\n")}\n`);
console.log(`wrote ${lines.length} entries to ${out}`);
