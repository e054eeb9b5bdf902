import { describe, expect, test } from "vitest";
import { a64Encode, a64SizeOf } from "../../src/arch/aarch64/encode.js";
import { a64FormatInstruction } from "../../src/arch/aarch64/format.js";
import { hex, readGolden } from "../golden-file.js";
import { CORPUS, DEFAULT_AT, labelsOf } from "./corpus.js";

const golden = readGolden("aarch64");

describe("aarch64 golden encodings (GNU as)", () => {
  test("the golden file has one line per corpus entry", () => {
    expect(golden.length).toBe(CORPUS.length);
  });

  test.each(CORPUS.map((entry, i) => [i, entry] as const))("entry %i", (i, entry) => {
    const line = golden[i]!;
    expect(a64FormatInstruction(entry.instr)).toBe(line.text);
    expect(a64SizeOf(entry.instr)).toBe(4);
    expect(hex(a64Encode(entry.instr, entry.at ?? DEFAULT_AT, labelsOf(entry)))).toBe(line.hex);
  });

  test("the corpus covers every instruction form of the subset", () => {
    const ops = new Set(CORPUS.map((e) => e.instr.op));
    for (const op of [
      "movz",
      "movk",
      "movn",
      "mov",
      "addi",
      "subi",
      "addsi",
      "subsi",
      "cmpi",
      "cmni",
      "add",
      "sub",
      "adds",
      "subs",
      "cmp",
      "and",
      "orr",
      "eor",
      "ands",
      "mul",
      "lslv",
      "lsrv",
      "asrv",
      "lsli",
      "lsri",
      "asri",
      "ldr",
      "str",
      "ldur",
      "stur",
      "ldrh",
      "ldurh",
      "b",
      "bl",
      "bcond",
      "br",
      "blr",
      "ret",
      "adr",
      "mrs",
      "msr",
      "brk",
      "nop",
    ]) {
      expect(ops.has(op as never), op).toBe(true);
    }
  });
});
