/**
 * Regenerates test/golden/x86_64.golden from the x86-64 corpus with GNU
 * binutils: formats the corpus, assembles it with `as`, extracts `.text` with
 * `objcopy -O binary`, splits the bytes per instruction with the encoder's
 * sizes, and checks the split against `objdump`'s instruction boundaries so
 * that a size disagreement cannot hide inside the split.
 *
 * Run: pnpm exec tsx packages/isa/scripts/golden-x86_64.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sizeOfX86 } from "../src/arch/x86_64/encode.js";
import { formatX86, formatX86Instruction, X86_ASM_PROLOGUE } from "../src/arch/x86_64/format.js";
import { x86Corpus, x86CorpusItems } from "../test/x86_64/corpus.js";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "test", "golden", "x86_64.golden");
const work = mkdtempSync(join(tmpdir(), "golden-x86_64-"));
try {
  const source = join(work, "corpus.s");
  writeFileSync(source, `${X86_ASM_PROLOGUE}\n${formatX86(x86CorpusItems())}`);
  execFileSync("as", ["-o", join(work, "corpus.o"), source]);
  execFileSync("objcopy", [
    "-O",
    "binary",
    "-j",
    ".text",
    join(work, "corpus.o"),
    join(work, "corpus.bin"),
  ]);
  const bytes = readFileSync(join(work, "corpus.bin"));
  const sizes = x86Corpus.map(sizeOfX86);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== bytes.length) {
    throw new Error(`as produced ${bytes.length} bytes but the encoder's sizes add up to ${total}`);
  }
  const dump = execFileSync(
    "objdump",
    ["-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel", join(work, "corpus.bin")],
    { encoding: "utf8", maxBuffer: 64 << 20 },
  );
  // Instruction starts according to objdump (continuation lines carry only bytes).
  const starts = new Set<number>();
  for (const line of dump.split("\n")) {
    const m = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t\S/.exec(line);
    if (m) starts.add(Number.parseInt(m[1]!, 16));
  }
  const lines: string[] = [];
  let at = 0;
  for (let k = 0; k < x86Corpus.length; k++) {
    if (!starts.has(at)) throw new Error(`objdump has no instruction at offset ${at} (entry ${k})`);
    const hex = [...bytes.subarray(at, at + sizes[k]!)].map((b) => b.toString(16).padStart(2, "0"));
    lines.push(`${formatX86Instruction(x86Corpus[k]!)}\t${hex.join(" ")}`);
    at += sizes[k]!;
  }
  if (starts.size !== x86Corpus.length) {
    throw new Error(
      `objdump found ${starts.size} instructions, the corpus has ${x86Corpus.length}`,
    );
  }
  writeFileSync(out, `${lines.join("\n")}\n`);
  console.log(`wrote ${lines.length} entries to ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
