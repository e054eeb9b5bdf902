import { describe, expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import { program } from "../../src/language/builder.js";
import { parseProgram } from "../../src/language/parse.js";
import type { Program } from "../../src/language/program.js";
import { diagnoseProgram, verifyProgram } from "../../src/language/verify.js";

function verifyError(p: unknown, options?: { hostcalls?: readonly string[] }): IsaError {
  try {
    verifyProgram(p as Program, options);
  } catch (e) {
    expect(e).toBeInstanceOf(IsaError);
    expect((e as IsaError).code).toBe("VERIFY_ERROR");
    expect((e as IsaError).line).toBeGreaterThanOrEqual(1);
    expect((e as IsaError).column).toBeGreaterThanOrEqual(1);
    return e as IsaError;
  }
  throw new Error("expected a VERIFY_ERROR");
}

/** A parsed program with one instruction replaced by a hand-built object. */
function patched(text: string, index: number, patch: Record<string, unknown>): Program {
  const p = parseProgram(text);
  const instructions = [...p.instructions];
  instructions[index] = { ...instructions[index], ...patch } as never;
  return { ...p, instructions };
}

describe("verifyProgram accepts valid programs", () => {
  test.each([
    ["straight line", "mov r0, 1\nexit r0"],
    ["loop", "mov r0, 0\nloop: add r0, r0, 1\nblt r0, 10, loop\nexit r0"],
    ["function", "call f\nexit 0\nf: ret"],
    [
      "recursion with a base case",
      "call f\nexit 0\nf: beq r0, 0, base\nsub r0, r0, 1\ncall f\nbase: ret",
    ],
    ["infinite loop", "top: jmp top"],
    ["unreachable code after exit", "exit 0\nmov r0, 1"],
    ["a branch at the end is fine when both ways are covered", "l: beq r0, 0, l\njmp l"],
    [
      "all instruction kinds",
      "push 1\npop r1\nload r0, stack[r1 + 1]\nstore stack[0], r0\nhostcall h(r0) -> r1\nyield r0 -> r2\nexit 0",
    ],
  ])("%s", (_name, text) => {
    expect(diagnoseProgram(parseProgram(text))).toEqual([]);
    expect(() => verifyProgram(parseProgram(text))).not.toThrow();
  });

  test("known host calls pass", () => {
    const p = parseProgram("hostcall a()\nhostcall b()\nexit 0");
    expect(() => verifyProgram(p, { hostcalls: ["a", "b", "c"] })).not.toThrow();
  });
});

describe("verifyProgram rejects every malformed program with line, column and reason", () => {
  test("empty program", () => {
    expect(verifyError(parseProgram("")).message).toContain("the program is empty");
  });

  test("register numbers outside 0..7", () => {
    const e = verifyError(patched("mov r0, 1\nmov r1, r2\nexit 0", 1, { dst: 8 }));
    expect([e.line, e.column]).toEqual([2, 1]);
    expect(e.message).toContain("dst must be a register number 0..7, got 8");
    expect(verifyError(patched("mov r0, r1\nexit 0", 0, { src: { reg: -1 } })).message).toContain(
      "src.reg",
    );
    expect(verifyError(patched("add r0, r1, r2\nexit 0", 0, { a: 1.5 })).message).toContain(
      "a must be a register",
    );
    expect(verifyError(patched("hostcall h(r1)\nexit 0", 0, { args: [9] })).message).toContain(
      "args[0]",
    );
    expect(verifyError(patched("load r0, stack[r1]\nexit 0", 0, { index: 8 })).message).toContain(
      "index must be a register number 0..7 or null",
    );
    expect(verifyError(patched("yield 1 -> r1\nexit 0", 0, { dst: undefined })).message).toContain(
      "dst must be a register number 0..7 or null",
    );
  });

  test("unknown op and unknown condition", () => {
    expect(verifyError(patched("ret\nexit 0", 0, { op: "nop" })).message).toContain(
      'unknown op "nop"',
    );
    expect(verifyError(patched("l: beq r0, 0, l\nexit 0", 0, { cond: "lte" })).message).toContain(
      'unknown branch condition "lte"',
    );
  });

  test("undefined label", () => {
    const e = verifyError(parseProgram("mov r0, 1\n  jmp nowhere"));
    expect([e.line, e.column]).toEqual([2, 3]);
    expect(e.message).toContain('undefined label "nowhere"');
    expect(verifyError(parseProgram("call f\nexit 0")).message).toContain('undefined label "f"');
    expect(verifyError(parseProgram("bne r0, 1, x\nexit 0")).message).toContain(
      'undefined label "x"',
    );
  });

  test("duplicate labels: the parser and the builder refuse them", () => {
    expect(() => parseProgram("a: exit 0\na: exit 1")).toThrow(/already defined/);
    expect(() => program().label("a").exit(0).label("a")).toThrow(/already defined/);
  });

  test("a label pointing outside the instructions: a jump into nowhere", () => {
    const e = verifyError(parseProgram("mov r0, 1\nbeq r0, 1, end\nexit 0\nend:"));
    expect(e.message).toContain('label "end" points past the last instruction');
    expect(e.line).toBe(2); // the branch that uses it
    const p = parseProgram("exit 0");
    expect(verifyError({ ...p, labels: new Map([["x", 5]]) }).message).toContain(
      'label "x" points at 5',
    );
    expect(verifyError({ ...p, labels: new Map([["x", -1]]) }).message).toContain("points at -1");
    expect(verifyError({ ...p, labels: new Map([["x", 0.5]]) }).message).toContain("points at 0.5");
    expect(verifyError({ ...p, labels: new Map([["1x", 0]]) }).message).toContain("label name");
  });

  test("execution that can fall off the end", () => {
    const e = verifyError(parseProgram("mov r0, 1\n  add r0, r0, 1"));
    expect([e.line, e.column]).toEqual([2, 3]);
    expect(e.message).toContain("execution can run past the last instruction");
    expect(verifyError(parseProgram("l: beq r0, 1, l")).message).toContain("run past");
    expect(verifyError(parseProgram("l: yield 0")).message).toContain("run past");
    // Reached only through a branch.
    expect(verifyError(parseProgram("beq r0, 1, tail\nexit 0\ntail: mov r0, 2")).line).toBe(3);
    // Reached by returning from a call.
    expect(verifyError(parseProgram("jmp main\nf: ret\nmain: call f\nmov r0, 1")).line).toBe(4);
  });

  test("a call as the last instruction has nowhere to return to", () => {
    expect(verifyError(parseProgram("jmp f\nf: ret\ncall f")).message).toContain(
      "the last instruction is a call",
    );
  });

  test("a call without a return path", () => {
    const e = verifyError(parseProgram("call f\nexit 0\nf: exit 1"));
    expect([e.line, e.column]).toEqual([1, 1]);
    expect(e.message).toContain("never returns");
    // Only way back is through itself: never returns.
    expect(verifyError(parseProgram("call f\nexit 0\nf: call f\nret")).message).toContain(
      "never returns",
    );
    expect(verifyError(parseProgram("call f\nexit 0\nf: jmp f")).message).toContain(
      "never returns",
    );
  });

  test("unknown host-call names when the set is given", () => {
    const p = parseProgram("hostcall print(r0)\n  hostcall launch()\nexit 0");
    const e = verifyError(p, { hostcalls: ["print"] });
    expect([e.line, e.column]).toEqual([2, 3]);
    expect(e.message).toContain('unknown host call "launch"');
    expect(verifyError(p, { hostcalls: [] }).message).toContain("no host calls");
  });

  test("more than 6 host-call arguments", () => {
    const e = verifyError(patched("hostcall h()\nexit 0", 0, { args: [0, 1, 2, 3, 4, 5, 6] }));
    expect(e.message).toContain("host call has 7 arguments: at most 6");
  });

  test("immediates outside -2^63..2^64-1, or not bigints", () => {
    expect(
      verifyError(patched("mov r0, 1\nexit 0", 0, { src: { imm: 2n ** 64n } })).message,
    ).toContain("out of range");
    expect(
      verifyError(patched("exit 0", 0, { code: { imm: -(2n ** 63n) - 1n } })).message,
    ).toContain("out of range");
    expect(verifyError(patched("push 1\nexit 0", 0, { src: { imm: 1 } })).message).toContain(
      "must be a bigint",
    );
    expect(
      verifyError(patched("push 1\nexit 0", 0, { src: { imm: 1n, reg: 1 } })).message,
    ).toContain("both reg and imm");
    expect(verifyError(patched("push 1\nexit 0", 0, { src: {} })).message).toContain("operand");
  });

  test("stack offsets outside -65536..65535", () => {
    expect(
      verifyError(patched("load r0, stack[0]\nexit 0", 0, { offset: 65536 })).message,
    ).toContain("stack offset must be an integer in -65536..65535, got 65536");
    expect(
      verifyError(patched("store stack[0], 1\nexit 0", 0, { offset: -65537 })).message,
    ).toContain("-65537");
    expect(verifyError(patched("store stack[0], 1\nexit 0", 0, { offset: 1.5 })).message).toContain(
      "1.5",
    );
  });

  test("missing source positions, bad names, a wrong host-call list", () => {
    expect(verifyError(patched("exit 0", 0, { at: undefined })).message).toContain(
      "no source position",
    );
    expect(verifyError(patched("hostcall h()\nexit 0", 0, { name: "a b" })).message).toContain(
      "host-call name",
    );
    const p = parseProgram("hostcall h()\nexit 0");
    expect(verifyError({ ...p, hostcalls: [] }).message).toContain("in order of first use");
  });

  test("garbage never throws anything but IsaError", () => {
    const garbage: unknown[] = [
      null,
      undefined,
      0,
      "exit 0",
      Symbol("p"),
      () => 1,
      [],
      {},
      { instructions: "x" },
      { instructions: [null], labels: new Map(), hostcalls: [] },
      { instructions: [1, "a", [], { op: Symbol("x") }], labels: {}, hostcalls: 5 },
      {
        instructions: [{ op: "br", cond: "eq", a: 0, b: { reg: 0 }, target: 7 }],
        labels: new Map(),
      },
      { instructions: [{ op: "mov", dst: 0, src: null, at: { line: -1, column: "x" } }] },
      { instructions: { length: 3 }, labels: new Map() },
      {
        get instructions(): never {
          throw new Error("boom");
        },
      },
      new Proxy(
        {},
        {
          get() {
            throw 42;
          },
        },
      ),
      { instructions: new Array(2_000_000), labels: new Map(), hostcalls: [] },
    ];
    for (const g of garbage) {
      const problems = diagnoseProgram(g as Program);
      expect(problems.length).toBeGreaterThan(0);
      for (const e of problems) {
        expect(e).toBeInstanceOf(IsaError);
        expect(e.code).toBe("VERIFY_ERROR");
      }
      verifyError(g);
    }
  });

  test("bad options are BAD_ARGUMENT", () => {
    const p = parseProgram("exit 0");
    expect(() => verifyProgram(p, 5 as never)).toThrow(
      expect.objectContaining({ code: "BAD_ARGUMENT" }),
    );
    expect(() => verifyProgram(p, { hostcalls: "print" as never })).toThrow(
      expect.objectContaining({ code: "BAD_ARGUMENT" }),
    );
  });

  test("diagnoseProgram returns every problem, sorted by position", () => {
    const problems = diagnoseProgram(
      parseProgram("beq r0, 0, a\n  hostcall x()\n  call g\n  exit 0\ng: yield 0\nmov r0, 1"),
      { hostcalls: [] },
    );
    expect(problems.map((e) => e.line)).toEqual([1, 2, 3, 6]);
    expect(problems[0].message).toContain('undefined label "a"');
    expect(problems[1].message).toContain('unknown host call "x"');
    expect(problems[2].message).toContain("never returns");
    expect(problems[3].message).toContain("run past");
  });
});
