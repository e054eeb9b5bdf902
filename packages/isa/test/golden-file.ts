/**
 * Reading the golden encodings that scripts/golden-<arch>.ts wrote with GNU
 * binutils: one line per corpus entry, the assembler text and the bytes in
 * hex, separated by a tab.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface GoldenLine {
  readonly text: string;
  readonly hex: string;
}

export function readGolden(arch: "x86_64" | "aarch64" | "riscv64"): GoldenLine[] {
  const path = join(dirname(fileURLToPath(import.meta.url)), "golden", `${arch}.golden`);
  return readFileSync(path, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => {
      const [text, hex] = line.split("\t");
      return { text: text!, hex: hex! };
    });
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
