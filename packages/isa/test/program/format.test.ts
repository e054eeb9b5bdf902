import { describe, expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import { formatInstruction, formatProgram } from "../../src/language/format-program.js";
import { parseProgram } from "../../src/language/parse.js";
import type { Program } from "../../src/language/program.js";
import { randomProgramText, withoutPositions, xorshift } from "./random.js";

describe("formatProgram", () => {
  test("prints canonical text: labels at column 1, instructions indented, decimal immediates", () => {
    const p = parseProgram(
      "start: mov r0,0x10\na:b: load r1,stack[r2+0]\nstore stack[r3 + -4],-1\nhostcall f( r1,r2 )->r3\nyield 0->r1\nend:",
    );
    expect(formatProgram(p)).toBe(
      [
        "start:",
        "  mov r0, 16",
        "a:",
        "b:",
        "  load r1, stack[r2]",
        "  store stack[r3 - 4], -1",
        "  hostcall f(r1, r2) -> r3",
        "  yield 0 -> r1",
        "end:",
        "",
      ].join("\n"),
    );
  });

  test("every instruction form", () => {
    const at = { line: 1, column: 1 };
    expect(formatInstruction({ op: "sar", dst: 1, a: 2, b: { imm: 3n }, at })).toBe(
      "sar r1, r2, 3",
    );
    expect(formatInstruction({ op: "br", cond: "geu", a: 1, b: { reg: 2 }, target: "x", at })).toBe(
      "bgeu r1, r2, x",
    );
    expect(formatInstruction({ op: "call", target: "f", at })).toBe("call f");
    expect(formatInstruction({ op: "ret", at })).toBe("ret");
    expect(formatInstruction({ op: "push", src: { imm: -5n }, at })).toBe("push -5");
    expect(formatInstruction({ op: "pop", dst: 7, at })).toBe("pop r7");
    expect(formatInstruction({ op: "load", dst: 0, index: null, offset: -3, at })).toBe(
      "load r0, stack[-3]",
    );
    expect(formatInstruction({ op: "store", src: { reg: 1 }, index: 2, offset: 9, at })).toBe(
      "store stack[r2 + 9], r1",
    );
    expect(formatInstruction({ op: "hostcall", name: "h", args: [], dst: null, at })).toBe(
      "hostcall h()",
    );
    expect(formatInstruction({ op: "exit", code: { reg: 0 }, at })).toBe("exit r0");
  });

  test("an empty program is empty text", () => {
    expect(formatProgram(parseProgram(""))).toBe("");
  });

  test("refuses malformed programs with BAD_ARGUMENT", () => {
    const p = parseProgram("exit 0");
    const bad = {
      ...p,
      instructions: [{ ...p.instructions[0], code: { imm: 1 } }],
    } as unknown as Program;
    expect(() => formatProgram(bad)).toThrow(IsaError);
    expect(() => formatProgram(bad)).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
    expect(() => formatProgram({ ...p, labels: new Map([["x", 2]]) })).toThrow(/points at 2/);
    expect(() => formatProgram(null as never)).toThrow(IsaError);
  });

  test("round trip, property: parse(format(p)) equals p; format is idempotent (500 programs)", () => {
    const r = xorshift(0x5eed);
    for (let i = 0; i < 500; i++) {
      const original = parseProgram(randomProgramText(r, 10));
      const text = formatProgram(original);
      const again = parseProgram(text);
      expect(withoutPositions(again)).toEqual(withoutPositions(original));
      expect(formatProgram(again)).toBe(text);
      expect(parseProgram(formatProgram(again))).toEqual(again);
    }
  });
});
