import { describe, expect, test } from "vitest";
import { rvEncode, rvSizeOf } from "../../src/arch/riscv64/encode.js";
import { rvFormatInstruction } from "../../src/arch/riscv64/format.js";
import { RV_OPS } from "../../src/arch/riscv64/instructions.js";
import { hex, readGolden } from "../golden-file.js";
import { CORPUS, DEFAULT_AT, labelsOf } from "./corpus.js";

const golden = readGolden("riscv64");

describe("riscv64 golden encodings (GNU as + ld)", () => {
  test("the golden file has one line per corpus entry", () => {
    expect(golden.length).toBe(CORPUS.length);
  });

  test.each(CORPUS.map((entry, i) => [i, entry] as const))("entry %i", (i, entry) => {
    const line = golden[i]!;
    expect(rvFormatInstruction(entry.instr).replaceAll("\n", "; ")).toBe(line.text);
    expect(rvSizeOf(entry.instr)).toBe(line.hex.length / 2);
    expect(hex(rvEncode(entry.instr, entry.at ?? DEFAULT_AT, labelsOf(entry)))).toBe(line.hex);
  });

  test("the corpus covers every instruction of the subset", () => {
    const ops = new Set(CORPUS.map((e) => e.instr.op));
    for (const op of RV_OPS) expect(ops.has(op), op).toBe(true);
  });
});
