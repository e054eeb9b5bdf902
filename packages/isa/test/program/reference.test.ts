import { describe, expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import { parseProgram } from "../../src/language/parse.js";
import type { Trap } from "../../src/protocol/trap.js";
import { ReferenceMachine, runReference } from "../../src/semantics/reference.js";

const M64 = 2n ** 64n;

function machine(text: string, stackWords = 16, budget?: bigint): ReferenceMachine {
  return new ReferenceMachine(parseProgram(text), { stackWords, budget });
}

/** Runs to the end and returns the final trap; fails on any other trap. */
function final(text: string, stackWords = 16): Trap {
  const traps = runReference(parseProgram(text), { stackWords });
  expect(traps).toHaveLength(1);
  return traps[0];
}

function exitCode(text: string, stackWords = 16): bigint {
  const t = final(text, stackWords);
  if (t.kind !== "exit")
    throw new Error(
      `expected exit, got ${JSON.stringify(t, (_k, v) => (typeof v === "bigint" ? `${v}` : v))}`,
    );
  return t.code;
}

describe("reference machine: arithmetic wraps to 64 bits", () => {
  test.each([
    ["mov r0, -1", M64 - 1n],
    ["mov r0, 0xffffffffffffffff\nadd r0, r0, 1", 0n],
    ["sub r0, r0, 1", M64 - 1n],
    ["mov r0, 0x100000000\nmul r0, r0, r0", 0n],
    ["mov r0, 0x100000001\nmul r0, r0, r0", 0x200000001n],
    ["mov r0, -3\nmul r0, r0, 5", M64 - 15n],
    ["mov r0, 0 ; zero\nand r0, r0, 1", 0n],
    ["mov r0, 12\nand r0, r0, 10", 8n],
    ["mov r0, 12\nor r0, r0, 10", 14n],
    ["mov r0, 12\nxor r0, r0, 10", 6n],
    ["mov r0, 12\nxor r0, r0, -1", M64 - 13n],
    ["mov r0, 1\nshl r0, r0, 63", 2n ** 63n],
    ["mov r0, 1\nshl r0, r0, 64", 1n],
    ["mov r0, 1\nshl r0, r0, 65", 2n],
    ["mov r0, 3\nshl r0, r0, 63", 2n ** 63n],
    ["mov r0, -1\nshr r0, r0, 1", 2n ** 63n - 1n],
    ["mov r0, -1\nshr r0, r0, -1", 1n],
    ["mov r0, -8\nsar r0, r0, 1", M64 - 4n],
    ["mov r0, -8\nsar r0, r0, 67", M64 - 1n],
    ["mov r0, 8\nsar r0, r0, 2", 2n],
    ["mov r1, 5\nmov r2, 7\nsub r0, r1, r2", M64 - 2n],
  ])("%s", (body, expected) => {
    expect(exitCode(`${body}\nexit r0`)).toBe(expected);
  });

  test("registers start at zero", () => {
    const m = machine("exit 0");
    expect(m.registers).toEqual([0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
  });
});

describe("reference machine: branches", () => {
  // a = -1 (all ones), b = 1; and a = b = 1.
  const table: [string, boolean, boolean][] = [
    ["eq", false, true],
    ["ne", true, false],
    ["lt", true, false],
    ["le", true, true],
    ["gt", false, false],
    ["ge", false, true],
    ["ltu", false, false],
    ["leu", false, true],
    ["gtu", true, false],
    ["geu", true, true],
  ];
  test.each(table)("b%s", (cond, minusOneVsOne, oneVsOne) => {
    const program = (a: number, b: string) =>
      `mov r0, ${a}\nmov r1, 1\nb${cond} r0, ${b}, yes\nexit 0\nyes: exit 1`;
    expect(exitCode(program(-1, "r1"))).toBe(minusOneVsOne ? 1n : 0n);
    expect(exitCode(program(-1, "1"))).toBe(minusOneVsOne ? 1n : 0n);
    expect(exitCode(program(1, "r1"))).toBe(oneVsOne ? 1n : 0n);
  });

  test("signed compares see 2^63 as the most negative value", () => {
    expect(exitCode("mov r0, 0x8000000000000000\nblt r0, -1, yes\nexit 0\nyes: exit 1")).toBe(1n);
    expect(
      exitCode("mov r0, 0x8000000000000000\nbgtu r0, 0x7fffffffffffffff, yes\nexit 0\nyes: exit 1"),
    ).toBe(1n);
  });

  test("jmp", () => {
    expect(exitCode("jmp a\nexit 1\na: exit 2")).toBe(2n);
  });
});

describe("reference machine: the stack", () => {
  test("push and pop are last in, first out; stack shows the top first", () => {
    const m = machine("push 1\npush r1\npush -1\nyield 0\npop r2\npop r3\npop r4\nexit r2");
    expect(m.resume()).toEqual({ kind: "yield", value: 0n });
    expect(m.stack).toEqual([M64 - 1n, 0n, 1n]);
    expect(m.resume()).toEqual({ kind: "exit", code: M64 - 1n });
    expect(m.registers.slice(2, 5)).toEqual([M64 - 1n, 0n, 1n]);
    expect(m.stack).toEqual([]);
  });

  test("load and store index words from the top, with register index and offset", () => {
    const m = machine(`
      push 10
      push 20
      push 30
      load r0, stack[0]
      load r1, stack[2]
      mov r2, 2
      load r3, stack[r2 - 1]
      mov r4, -1
      load r5, stack[r4 + 3]
      store stack[r2], 99
      store stack[r2 + -2], r0
      exit 0`);
    expect(m.resume()).toEqual({ kind: "exit", code: 0n });
    expect(m.registers).toEqual([30n, 10n, 2n, 20n, M64 - 1n, 10n, 0n, 0n]);
    expect(m.stack).toEqual([30n, 20n, 99n]);
  });

  test("an array on the stack: squares of 0..9, summed", () => {
    const text = `
      mov r1, 0
    alloc:
      push 0
      add r1, r1, 1
      blt r1, 10, alloc
      mov r1, 0
    fill:
      mul r2, r1, r1
      store stack[r1], r2
      add r1, r1, 1
      blt r1, 10, fill
      mov r0, 0
      mov r1, 0
    sum:
      load r2, stack[r1 + 0]
      add r0, r0, r2
      add r1, r1, 1
      bltu r1, 10, sum
      exit r0`;
    expect(exitCode(text)).toBe(285n);
  });
});

describe("reference machine: faults", () => {
  test("push on a full stack: stack-overflow, no index", () => {
    const t = final("push 1\npush 2\n; comment\n  push 3\nexit 0", 2);
    expect(t).toEqual({
      kind: "fault",
      fault: "stack-overflow",
      details: { instruction: 2, line: 4 },
    });
  });

  test("call on a full stack: stack-overflow", () => {
    expect(final("call f\nexit 0\nf: ret", 0)).toEqual({
      kind: "fault",
      fault: "stack-overflow",
      details: { instruction: 0, line: 1 },
    });
  });

  test("pop and ret on an empty stack: out-of-bounds, no index", () => {
    expect(final("mov r0, 1\npop r1\nexit 0")).toEqual({
      kind: "fault",
      fault: "out-of-bounds",
      details: { instruction: 1, line: 2 },
    });
    expect(final("exit 0\nf: ret\ng: call f\njmp g")).toMatchObject({ kind: "exit" });
    expect(final("ret")).toEqual({
      kind: "fault",
      fault: "out-of-bounds",
      details: { instruction: 0, line: 1 },
    });
  });

  test.each([
    ["load r0, stack[1]", 1n],
    ["load r0, stack[-1]", -1n],
    ["mov r1, -1\nload r0, stack[r1]", -1n],
    ["mov r1, 0x7fffffffffffffff\nload r0, stack[r1 + 1]", -(2n ** 63n)], // wraps as a 64-bit add
    ["mov r1, 0x8000000000000000\nstore stack[r1 - 1], 5", 2n ** 63n - 1n],
    ["store stack[65535], 1", 65535n],
  ])("load/store outside the words in use: %s faults with the signed index", (code, index) => {
    const text = `push 7\n${code}\nexit 0`;
    const t = final(text);
    const lines = text.split("\n").length;
    expect(t).toEqual({
      kind: "fault",
      fault: "out-of-bounds",
      details: { instruction: lines - 2, line: lines - 1, index },
    });
  });

  test("ret to a value that is not after a call: out-of-bounds with that value", () => {
    expect(final("push 1\nret\ncall x\nexit 0\nx: ret")).toEqual({
      kind: "fault",
      fault: "out-of-bounds",
      details: { instruction: 1, line: 2, index: 1n },
    });
    expect(final("push -1\nret\nexit 0")).toMatchObject({ details: { index: M64 - 1n } });
  });

  test("ret to a forged but valid return index continues there", () => {
    // Instruction 3 follows the call at 2.
    expect(exitCode("push 3\nret\ncall f\nexit 5\nf: ret")).toBe(5n);
  });

  test("call pushes the index of the next instruction", () => {
    expect(exitCode("mov r0, 0\ncall f\nexit r1\nf: load r1, stack[0]\nret")).toBe(2n);
  });

  test("a faulting instruction has no effect, and the fault is final", () => {
    const m = machine("push 1\nload r0, stack[5]\nexit 0");
    const t = m.resume();
    expect(t.kind).toBe("fault");
    expect(m.state).toBe("faulted");
    expect(m.registers[0]).toBe(0n);
    expect(m.stack).toEqual([1n]);
    expect(m.resume()).toBe(t);
    expect(m.resume(5n)).toBe(t);
  });
});

describe("reference machine: traps and resume values", () => {
  test("hostcall passes register values, and the resume value goes to dst modulo 2^64", () => {
    const m = machine(
      "mov r1, -2\nmov r2, 3\nhostcall add(r1, r2) -> r0\nhostcall show(r0)\nexit r0",
    );
    expect(m.resume()).toEqual({ kind: "hostcall", name: "add", args: [M64 - 2n, 3n] });
    expect(m.resume(-1n)).toEqual({ kind: "hostcall", name: "show", args: [M64 - 1n] });
    expect(m.resume(77n)).toEqual({ kind: "exit", code: M64 - 1n });
  });

  test("hostcall with no arguments, and a missing resume value is 0", () => {
    const m = machine("mov r0, 5\nhostcall now() -> r0\nexit r0");
    expect(m.resume()).toEqual({ kind: "hostcall", name: "now", args: [] });
    expect(m.resume()).toEqual({ kind: "exit", code: 0n });
  });

  test("yield carries a value; the resume value goes to dst when given", () => {
    const m = machine("yield 7 -> r1\nyield r1\nexit r1");
    expect(m.resume(100n)).toEqual({ kind: "yield", value: 7n });
    expect(m.resume(M64 + 4n)).toEqual({ kind: "yield", value: 4n });
    expect(m.resume(9n)).toEqual({ kind: "exit", code: 4n });
  });

  test("exit is final: further resumes return the same trap", () => {
    const m = machine("exit -2");
    const t = m.resume();
    expect(t).toEqual({ kind: "exit", code: M64 - 2n });
    expect(m.state).toBe("exited");
    expect(m.resume()).toBe(t);
  });

  test("a bad resume value is BAD_ARGUMENT and changes nothing", () => {
    const m = machine("hostcall h() -> r0\nexit r0");
    m.resume();
    expect(() => m.resume(5 as never)).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
    expect(m.resume(6n)).toEqual({ kind: "exit", code: 6n });
  });
});

describe("reference machine: budget", () => {
  test("a budget trap comes before the instruction that would exceed it; resume refills", () => {
    const text = Array.from({ length: 10 }, (_, i) => `mov r0, ${i}`).join("\n");
    const m = machine(`${text}\nexit r0`, 4, 4n);
    expect(m.resume()).toEqual({ kind: "budget" });
    expect(m.instruction).toBe(4);
    expect(m.fuel).toBe(0n);
    expect(m.resume()).toEqual({ kind: "budget" });
    expect(m.instruction).toBe(8);
    expect(m.resume()).toEqual({ kind: "exit", code: 9n });
    expect(m.fuel).toBe(1n);
    expect(m.executed).toBe(11);
  });

  test("fuel is not refilled by other traps", () => {
    const m = machine("hostcall h()\nyield 1\nexit 0", 4, 2n);
    expect(m.resume()).toEqual({ kind: "hostcall", name: "h", args: [] });
    expect(m.fuel).toBe(1n);
    expect(m.resume()).toEqual({ kind: "yield", value: 1n });
    expect(m.fuel).toBe(0n);
    expect(m.resume()).toEqual({ kind: "budget" });
    expect(m.resume()).toEqual({ kind: "exit", code: 0n });
  });

  test("no budget runs unlimited; a number budget is the same as a bigint one", () => {
    expect(machine("exit 0").fuel).toBeUndefined();
    const m = new ReferenceMachine(parseProgram("top: jmp top"), { stackWords: 4, budget: 7 });
    expect(m.resume()).toEqual({ kind: "budget" });
    expect(m.executed).toBe(7);
  });

  test.each([0n, 0, -1n, -5, 1.5, Number.NaN, 2n ** 64n, 2 ** 64, "10", null, true])(
    "budget %s is refused with the one budget rule's words",
    (budget) => {
      const build = () =>
        new ReferenceMachine(parseProgram("exit 0"), { stackWords: 4, budget: budget as never });
      expect(build).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
      expect(build).toThrow(
        /ReferenceMachine: budget must be a whole number of instructions from 1 to 2\^64 - 1/,
      );
    },
  );

  test("the largest budget, 2^64 - 1, is accepted", () => {
    const m = new ReferenceMachine(parseProgram("exit 0"), {
      stackWords: 4,
      budget: 2n ** 64n - 1n,
    });
    expect(m.resume()).toEqual({ kind: "exit", code: 0n });
  });

  test("an infinite loop is preempted every `budget` instructions", () => {
    const m = machine("top: add r0, r0, 1\njmp top", 4, 100n);
    for (let i = 1; i <= 5; i++) {
      expect(m.resume()).toEqual({ kind: "budget" });
      expect(m.registers[0]).toBe(BigInt(50 * i));
    }
  });
});

describe("reference machine: recursion through call and ret", () => {
  const factorial = (n: number) => `
    mov r0, ${n}
    call fact
    exit r1
  fact:                 ; r1 = r0!
    bgt r0, 1, recurse
    mov r1, 1
    ret
  recurse:
    push r0
    sub r0, r0, 1
    call fact
    pop r0
    mul r1, r1, r0
    ret`;

  test("factorial", () => {
    expect(exitCode(factorial(10), 64)).toBe(3628800n);
    expect(exitCode(factorial(20), 64)).toBe(2432902008176640000n);
    // 21! wraps modulo 2^64.
    expect(final(factorial(21), 64)).toEqual({ kind: "exit", code: 51090942171709440000n % M64 });
  });

  test("deep recursion overflows the stack", () => {
    expect(final(factorial(100), 64)).toMatchObject({ kind: "fault", fault: "stack-overflow" });
  });

  test("fibonacci, doubly recursive", () => {
    const text = `
      mov r0, 15
      call fib
      exit r1
    fib:                ; r1 = fib(r0)
      bgeu r0, 2, split
      mov r1, r0
      ret
    split:
      push r0
      sub r0, r0, 1
      call fib
      load r0, stack[0]
      push r1
      sub r0, r0, 2
      call fib
      pop r2
      add r1, r1, r2
      pop r0
      ret`;
    expect(final(text, 64)).toEqual({ kind: "exit", code: 610n });
  });
});

describe("reference machine: construction", () => {
  test("verifies the program", () => {
    expect(() => machine("mov r0, 1")).toThrow(expect.objectContaining({ code: "VERIFY_ERROR" }));
    expect(
      () =>
        new ReferenceMachine(parseProgram("hostcall h()\nexit 0"), {
          stackWords: 1,
          hostcalls: [],
        }),
    ).toThrow(/unknown host call "h"/);
  });

  test.each([
    [{ stackWords: -1 }],
    [{ stackWords: 1.5 }],
    [{ stackWords: "8" }],
    [{ stackWords: 8, budget: 5.5 }],
    [{ stackWords: 8, budget: -1n }],
    [null],
  ])("bad options #%# are BAD_ARGUMENT", (options) => {
    expect(() => new ReferenceMachine(parseProgram("exit 0"), options as never)).toThrow(IsaError);
    expect(() => new ReferenceMachine(parseProgram("exit 0"), options as never)).toThrow(
      expect.objectContaining({ code: "BAD_ARGUMENT" }),
    );
  });

  test("runReference answers traps and stops at maxTraps", () => {
    const p = parseProgram("l: hostcall next() -> r0\nyield r0\njmp l");
    const traps = runReference(p, { stackWords: 1, answer: () => 3n, maxTraps: 4 });
    expect(traps).toEqual([
      { kind: "hostcall", name: "next", args: [] },
      { kind: "yield", value: 3n },
      { kind: "hostcall", name: "next", args: [] },
      { kind: "yield", value: 3n },
    ]);
  });
});
