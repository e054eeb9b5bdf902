import { describe, expect, test } from "vitest";
import { encodeX86, sizeOfX86 } from "../../src/arch/x86_64/encode.js";
import { formatX86Instruction } from "../../src/arch/x86_64/format.js";
import { readGolden } from "../golden-file.js";
import { x86Corpus } from "./corpus.js";

const golden = readGolden("x86_64");

describe("x86_64 golden encodings (GNU as 2.40)", () => {
  test("the golden file has one line per corpus entry", () => {
    expect(golden.length).toBe(x86Corpus.length);
  });

  test("format() gives the golden text and encode() the bytes as produced", () => {
    const total = x86Corpus.reduce((n, i) => n + sizeOfX86(i), 0);
    const labels = new Map([
      ["back", 0n],
      ["fwd", BigInt(total)],
    ]);
    let address = 0n;
    const mismatches: string[] = [];
    x86Corpus.forEach((instruction, k) => {
      const text = formatX86Instruction(instruction);
      const bytes = encodeX86(instruction, address, (name) => labels.get(name)!);
      const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
      if (text !== golden[k]!.text || hex !== golden[k]!.hex) {
        mismatches.push(`#${k}: ${text} => ${hex}; golden ${golden[k]!.text} => ${golden[k]!.hex}`);
      }
      expect(bytes.length).toBe(sizeOfX86(instruction));
      address += BigInt(bytes.length);
    });
    expect(mismatches).toEqual([]);
  });
});
