/**
 * The host side of the machine-thread protocol (ThreadControl), the one
 * budget rule, and the interpreted host that runs on them.
 */
import { describe, expect, test } from "vitest";
import { getAbi } from "../../src/abi/registry.js";
import { IsaError } from "../../src/errors.js";
import { parseProgram } from "../../src/language/parse.js";
import { stackCapacityWords } from "../../src/lowering/stack-capacity.js";
import { INTERPRETED_LAYOUT, InterpretedHost } from "../../src/protocol/interpreted-host.js";
import { TCB, TRAP_KIND } from "../../src/protocol/thread-control-block.js";
import {
  resumeSlots,
  ThreadControl,
  threadStackLimit,
} from "../../src/protocol/thread-protocol.js";
import { budgetProblem, MAX_BUDGET, toBudget } from "../../src/semantics/budget.js";
import { runReference } from "../../src/semantics/reference.js";

const SETUP = {
  stackLimit: 0x1100n,
  hostContext: 0x2000n,
  threadContext: 0x3000n,
  switchRoutine: 0x4000n,
};
const REG = TCB.registers / 8;

function control(source: string, budget?: bigint): ThreadControl {
  const program = parseProgram(source);
  return new ThreadControl(
    program,
    resumeSlots(program),
    new ArrayBuffer(TCB.size),
    0,
    budget,
    SETUP,
  );
}

describe("ThreadControl", () => {
  test("setup fills the host's fields; fuel is the budget, or 2^64 - 1 without one", () => {
    const c = control("exit 0", 9n);
    expect(c.words[TCB.fuel / 8]).toBe(9n);
    expect(c.words[TCB.stackLimit / 8]).toBe(0x1100n);
    expect(c.words[TCB.hostContext / 8]).toBe(0x2000n);
    expect(c.words[TCB.threadContext / 8]).toBe(0x3000n);
    expect(c.words[TCB.switchRoutine / 8]).toBe(0x4000n);
    expect(control("exit 0").words[TCB.fuel / 8]).toBe(MAX_BUDGET);
  });

  test("a resume after a budget trap refills fuel and writes no register", () => {
    const c = control("mov r1, 42\nhostcall h(r1) -> r1\nexit r1", 1n);
    // The thread stopped for its budget at the host call (instruction 1), r1 holding 42.
    c.words[0] = BigInt(TRAP_KIND.budget);
    c.words[2] = 1n;
    c.words[TCB.fuel / 8] = 0n;
    c.words[REG + 1] = 42n;
    expect(c.leave()).toEqual({ kind: "budget" });
    expect(c.enter(7n)).toBe(TCB.fuel / 8);
    expect(c.words[REG + 1]).toBe(42n);
    expect(c.words[TCB.fuel / 8]).toBe(1n);
  });

  test("a resume after a host call or yield with a result register writes it, modulo 2^64", () => {
    const c = control("mov r1, 42\nhostcall h(r1) -> r1\nyield r1 -> r3\nyield 5\nexit r1");
    c.words[0] = BigInt(TRAP_KIND.hostcall);
    c.words[1] = 0n;
    c.words[2] = 1n;
    c.words[REG + 1] = 42n;
    expect(c.leave()).toEqual({ kind: "hostcall", name: "h", args: [42n] });
    expect(c.enter(-1n)).toBe(REG + 1);
    expect(c.words[REG + 1]).toBe(MAX_BUDGET);
    c.words[0] = BigInt(TRAP_KIND.yield);
    c.words[1] = 2n ** 63n;
    c.words[2] = 2n;
    expect(c.leave()).toEqual({ kind: "yield", value: 2n ** 63n });
    c.enter(3n);
    expect(c.words[REG + 3]).toBe(3n);
    // A yield without a result register takes no value.
    c.words[1] = 5n;
    c.words[2] = 3n;
    expect(c.leave()).toEqual({ kind: "yield", value: 5n });
    expect(c.lastTrap).toEqual({ kind: "yield", value: 5n });
    expect(c.enter(99n)).toBe(-1);
  });

  test("a block with no valid trap is an IsaError BAD_ARGUMENT", () => {
    const c = control("exit 0");
    c.words[0] = 77n;
    expect(() => c.leave()).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
  });

  test("detach keeps the last trap and lets go of the block", () => {
    const c = control("yield 300\nexit 0");
    c.words[0] = BigInt(TRAP_KIND.yield);
    c.words[1] = 300n;
    c.leave();
    c.detach();
    expect(c.words[1]).toBe(0n);
    expect(c.lastTrap).toEqual({ kind: "yield", value: 300n });
  });

  test("threadStackLimit refuses a stack too small for its initial frame", () => {
    expect(threadStackLimit(0x1000n, 0x2000n, 16)).toBe(0x2000n - 128n);
    expect(() => threadStackLimit(0x1000n, 0x1100n, 30)).toThrow(IsaError);
  });
});

describe("the budget rule", () => {
  test.each([1n, 1, 1000, MAX_BUDGET, 2 ** 53])("%s is a budget", (value) => {
    expect(budgetProblem(value)).toBeUndefined();
    expect(toBudget(value)).toBe(BigInt(value));
  });

  test.each([
    0n,
    0,
    -1n,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    MAX_BUDGET + 1n,
    2 ** 64,
    "5",
    null,
    undefined,
    {},
  ])("%s is not", (value) => {
    expect(budgetProblem(value)).toMatch(
      /^budget must be a whole number of instructions from 1 to 2\^64 - 1/,
    );
    expect(() => toBudget(value, "here")).toThrow(/^here: budget must be/);
  });
});

describe("InterpretedHost", () => {
  const abi = getAbi("x86_64-sysv");

  function hostWithStack(options: { codePages?: number } = {}): InterpretedHost {
    const host = new InterpretedHost(abi, options);
    host.memory.map(INTERPRETED_LAYOUT.stacks, 16384, "rw");
    return host;
  }
  const stack = {
    stackLow: INTERPRETED_LAYOUT.stacks,
    stackHigh: INTERPRETED_LAYOUT.stacks + 16384n,
  };

  test("a fuel program without a budget runs to its exit, as the reference machine does", () => {
    const host = hostWithStack();
    const source = "mov r0, 0\nl: add r0, r0, 1\nblt r0, 500, l\nexit r0";
    const thread = host.createThread(host.loadProgram(parseProgram(source), { fuel: true }), stack);
    const expected = runReference(parseProgram(source), { stackWords: stackCapacityWords(16384) });
    expect([host.resume(thread)]).toEqual(expected);
  });

  test("the code region reuses unloaded programs' pages; a full region is a clear error", () => {
    const host = hostWithStack({ codePages: 4 });
    const program = parseProgram("yield 1\nexit 2");
    const loaded = [0, 1, 2, 3].map(() => host.loadProgram(program));
    expect(host.freeCodePages).toBe(0);
    expect(() => host.loadProgram(program)).toThrow(/code region has no 1 free pages in a row/);
    host.unloadProgram(loaded[1]!);
    host.unloadProgram(loaded[2]!);
    expect(host.freeCodePages).toBe(2);
    for (let i = 0; i < 300; i++) {
      const p = host.loadProgram(program, { fuel: i % 2 === 0 });
      const thread = host.createThread(p, stack);
      expect(host.resume(thread)).toEqual({ kind: "yield", value: 1n });
      expect(host.resume(thread)).toEqual({ kind: "exit", code: 2n });
      host.releaseThread(thread);
      host.unloadProgram(p);
    }
    host.unloadProgram(loaded[0]!);
    host.unloadProgram(loaded[3]!);
    expect(host.freeCodePages).toBe(4);
    expect(() => host.unloadProgram(loaded[0]!)).toThrow(/not loaded in this host/);
  });

  test("a budget for a program without fuel, or a bad budget, is refused before anything is made", () => {
    const host = hostWithStack();
    const plain = host.loadProgram(parseProgram("exit 0"));
    expect(() => host.createThread(plain, { ...stack, budget: 5n })).toThrow(
      /needs a program loaded with/,
    );
    const fuel = host.loadProgram(parseProgram("exit 0"), { fuel: true });
    expect(() => host.createThread(fuel, { ...stack, budget: 0n })).toThrow(
      /createThread: budget must be/,
    );
  });
});
