import { describe, expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import { parseProgram } from "../../src/language/parse.js";

function only(text: string) {
  const p = parseProgram(text);
  expect(p.instructions).toHaveLength(1);
  const { at: _at, ...rest } = p.instructions[0];
  return rest;
}

function parseError(text: string): IsaError {
  try {
    parseProgram(text);
  } catch (e) {
    expect(e).toBeInstanceOf(IsaError);
    expect((e as IsaError).code).toBe("PARSE_ERROR");
    return e as IsaError;
  }
  throw new Error(`expected a parse error for ${JSON.stringify(text)}`);
}

describe("parseProgram: instruction forms", () => {
  test("mov with register and immediates (decimal, hex, negative)", () => {
    expect(only("mov r0, r7")).toEqual({ op: "mov", dst: 0, src: { reg: 7 } });
    expect(only("mov r1, 42")).toEqual({ op: "mov", dst: 1, src: { imm: 42n } });
    expect(only("mov r1, 0x2A")).toEqual({ op: "mov", dst: 1, src: { imm: 42n } });
    expect(only("mov r1, -0x10")).toEqual({ op: "mov", dst: 1, src: { imm: -16n } });
    expect(only("mov r1, -9223372036854775808")).toEqual({
      op: "mov",
      dst: 1,
      src: { imm: -(2n ** 63n) },
    });
    expect(only("mov r1, 0xffffffffffffffff")).toEqual({
      op: "mov",
      dst: 1,
      src: { imm: 2n ** 64n - 1n },
    });
  });

  test.each(["add", "sub", "mul", "and", "or", "xor", "shl", "shr", "sar"])("%s", (op) => {
    expect(only(`${op} r1, r2, r3`)).toEqual({ op, dst: 1, a: 2, b: { reg: 3 } });
    expect(only(`${op} r1, r2, -3`)).toEqual({ op, dst: 1, a: 2, b: { imm: -3n } });
  });

  test.each([
    ["beq", "eq"],
    ["bne", "ne"],
    ["blt", "lt"],
    ["ble", "le"],
    ["bgt", "gt"],
    ["bge", "ge"],
    ["bltu", "ltu"],
    ["bleu", "leu"],
    ["bgtu", "gtu"],
    ["bgeu", "geu"],
  ])("%s maps to cond %s", (mnemonic, cond) => {
    const p = parseProgram(`top: ${mnemonic} r3, 7, top\n${mnemonic} r3, r4, top`);
    expect(p.instructions[0]).toMatchObject({
      op: "br",
      cond,
      a: 3,
      b: { imm: 7n },
      target: "top",
    });
    expect(p.instructions[1]).toMatchObject({ op: "br", cond, a: 3, b: { reg: 4 } });
  });

  test("jmp, call, ret, push, pop", () => {
    expect(only("jmp .L_1")).toEqual({ op: "jmp", target: ".L_1" });
    expect(only("call f.g")).toEqual({ op: "call", target: "f.g" });
    expect(only("ret")).toEqual({ op: "ret" });
    expect(only("push r5")).toEqual({ op: "push", src: { reg: 5 } });
    expect(only("push -1")).toEqual({ op: "push", src: { imm: -1n } });
    expect(only("pop r6")).toEqual({ op: "pop", dst: 6 });
  });

  test("load and store in every address form", () => {
    expect(only("load r0, stack[r1 + 2]")).toEqual({ op: "load", dst: 0, index: 1, offset: 2 });
    expect(only("load r0, stack[r1 - 2]")).toEqual({ op: "load", dst: 0, index: 1, offset: -2 });
    expect(only("load r0, stack[r1 + -2]")).toEqual({ op: "load", dst: 0, index: 1, offset: -2 });
    expect(only("load r0, stack[r1]")).toEqual({ op: "load", dst: 0, index: 1, offset: 0 });
    expect(only("load r0, stack[3]")).toEqual({ op: "load", dst: 0, index: null, offset: 3 });
    expect(only("load r0, stack[-65536]")).toEqual({
      op: "load",
      dst: 0,
      index: null,
      offset: -65536,
    });
    expect(only("store stack[r2 + 65535], r3")).toEqual({
      op: "store",
      src: { reg: 3 },
      index: 2,
      offset: 65535,
    });
    expect(only("store stack[0], 0x10")).toEqual({
      op: "store",
      src: { imm: 16n },
      index: null,
      offset: 0,
    });
  });

  test("hostcall with 0..6 arguments, with and without a result", () => {
    expect(only("hostcall now() -> r2")).toEqual({ op: "hostcall", name: "now", args: [], dst: 2 });
    expect(only("hostcall print(r0, r1)")).toEqual({
      op: "hostcall",
      name: "print",
      args: [0, 1],
      dst: null,
    });
    expect(only("hostcall six(r0, r1, r2, r3, r4, r5) -> r7")).toMatchObject({
      args: [0, 1, 2, 3, 4, 5],
      dst: 7,
    });
  });

  test("yield with and without a result, exit", () => {
    expect(only("yield r1")).toEqual({ op: "yield", value: { reg: 1 }, dst: null });
    expect(only("yield 5 -> r3")).toEqual({ op: "yield", value: { imm: 5n }, dst: 3 });
    expect(only("exit -1")).toEqual({ op: "exit", code: { imm: -1n } });
  });

  test("labels, comments, blank lines, CRLF and positions", () => {
    const p = parseProgram(
      "; header\r\n\r\nstart:\r\n  mov r0, 1 ; set\r\na: b:\tadd r0, r0, r0\r\nend:   exit r0\r\n",
    );
    expect([...p.labels]).toEqual([
      ["start", 0],
      ["a", 1],
      ["b", 1],
      ["end", 2],
    ]);
    expect(p.instructions.map((i) => i.at)).toEqual([
      { line: 4, column: 3 },
      { line: 5, column: 7 },
      { line: 6, column: 8 },
    ]);
  });

  test("host calls are listed once, in order of first use", () => {
    const p = parseProgram("hostcall b()\nhostcall a()\nhostcall b()\nexit 0");
    expect(p.hostcalls).toEqual(["b", "a"]);
  });

  test("a label after the last instruction points at the program's length", () => {
    expect(parseProgram("exit 0\nend:").labels.get("end")).toBe(1);
  });

  test("an empty text is an empty program", () => {
    expect(parseProgram("  ; nothing\n\n").instructions).toEqual([]);
  });
});

describe("parseProgram: errors name line, column and what was expected", () => {
  test.each([
    ["mov r0, 1\nfoo r1", 2, 1, 'unknown instruction "foo"'],
    ["  mov r8, 1", 1, 7, '"r8" is not a register: the registers are r0..r7'],
    ["mov r0 1", 1, 8, 'expected ",", found "1"'],
    ["mov r0,", 1, 8, "expected a register (r0..r7) or an immediate, found end of line"],
    ["add r0, 5, r1", 1, 9, 'expected a register (r0..r7), found "5"'],
    ["mov r0, 12ab", 1, 9, 'malformed number "12ab"'],
    ["mov r0, 0x", 1, 9, 'malformed number "0x"'],
    ["mov r0, 18446744073709551616", 1, 9, "immediate 18446744073709551616 is out of range"],
    ["mov r0, -9223372036854775809", 1, 9, "out of range"],
    ["mov r0, 1, 2", 1, 10, 'expected end of line (one instruction per line), found ","'],
    ["mov r0, @", 1, 9, 'unexpected character "@"'],
    ["beq r0, 1", 1, 10, 'expected ",", found end of line'],
    ["beq r0, 1, 5", 1, 12, 'expected a label, found "5"'],
    ["jmp", 1, 4, "expected a label, found end of line"],
    ["load r0, r1", 1, 10, 'expected a stack address "stack[...]", found "r1"'],
    ["load r0, stack r1]", 1, 16, 'expected "[", found "r1"'],
    ["load r0, stack[r1 , 2]", 1, 19, 'expected "+", "-" or "]", found ","'],
    ["load r0, stack[r1 * 2]", 1, 19, 'unexpected character "*"'],
    ["load r0, stack[r1 + r2]", 1, 21, 'expected a stack offset, found "r2"'],
    ["load r0, stack[]", 1, 16, "expected a register (r0..r7) or a stack offset"],
    ["load r0, stack[65536]", 1, 16, "stack offset 65536 is out of range"],
    ["store stack[r0 - 65537], 1", 1, 18, "stack offset -65537 is out of range"],
    ["store stack[0] r1", 1, 16, 'expected ",", found "r1"'],
    ["hostcall (r0)", 1, 10, 'expected a host-call name, found "("'],
    ["hostcall f r0", 1, 12, 'expected "(", found "r0"'],
    ["hostcall f(r0 r1)", 1, 15, 'expected "," or ")", found "r1"'],
    ["hostcall f(1)", 1, 12, 'expected a register (r0..r7), found "1"'],
    ["hostcall f(r0, r1, r2, r3, r4, r5, r6)", 1, 36, "at most 6 register arguments"],
    ["hostcall f() -> 3", 1, 17, 'expected a register (r0..r7), found "3"'],
    ["yield -> r1", 1, 7, "expected a register (r0..r7) or an immediate"],
    ["exit", 1, 5, "expected a register (r0..r7) or an immediate, found end of line"],
    ["ret r0", 1, 5, 'expected end of line (one instruction per line), found "r0"'],
    [", mov", 1, 1, 'expected an instruction or a label, found ","'],
    ["a:\nb:\na: exit 0", 3, 1, 'label "a" is already defined on line 1'],
  ])("%j", (text, line, column, message) => {
    const e = parseError(text);
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
    expect(e.message).toContain(message);
    expect(e.message).toContain(`line ${line}, column ${column}`);
  });

  test("the first error wins", () => {
    const e = parseError("exit 0\nbad r0\nworse");
    expect(e.line).toBe(2);
  });

  test("a non-string is a BAD_ARGUMENT", () => {
    expect(() => parseProgram(42 as unknown as string)).toThrow(
      expect.objectContaining({ code: "BAD_ARGUMENT" }),
    );
  });
});
