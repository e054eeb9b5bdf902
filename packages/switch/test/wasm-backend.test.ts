/**
 * The WebAssembly backend behind the Backend interface: the differential
 * corpus and random programs give the reference machine's traps (and the
 * native backend's, where it runs), threads keep their stacks apart in the
 * one linear memory, and loadBackend picks it between native and emulated.
 */
import { lowering, PROGRAM_LIMITS, parseProgram, runReference, type Trap } from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import { NativeBackend, SwitchError, selfTest, WasmBackend } from "../src/index.js";
import { answer, CORPUS } from "./corpus.js";
import { runLoaded, runOn } from "./run-corpus.js";

const { stackCapacityWords } = lowering;

const native = (() => {
  try {
    const backend = new NativeBackend();
    return selfTest(backend) === undefined ? backend : undefined;
  } catch {
    return undefined;
  }
})();
const wasm = new WasmBackend();

describe.each(CORPUS)("$name", (entry) => {
  test("wasm gives the reference machine's traps", () => {
    const reference = runReference(parseProgram(entry.source), {
      stackWords: stackCapacityWords(entry.stackSize ?? 16384),
      ...(entry.budget === undefined ? {} : { budget: entry.budget }),
      answer,
      maxTraps: 10_000,
    });
    expect(runOn(wasm, entry)).toEqual(reference);
  });

  const agree = "wasm and native agree";
  test.skipIf(!native)(native ? agree : `${agree} (skipped: native addon not built)`, () => {
    expect(runOn(wasm, entry)).toEqual(runOn(native!, entry));
  });
});

/** Random programs with loops, calls, stack traffic and host calls (xorshift32, reproducible). */
function randomSource(seed: number): string {
  let s = seed >>> 0 || 1;
  const next = (n: number): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
  const reg = () => `r${next(8)}`;
  const imm = () => [0n, 1n, -1n, 63n, 2n ** 63n, 12345n][next(6)]!;
  const src = () => (next(2) === 0 ? reg() : String(imm()));
  const lines = ["  mov r0, 3", "top:"];
  const n = 4 + next(12);
  for (let i = 0; i < n; i++) {
    const k = next(12);
    if (k < 4)
      lines.push(
        `  ${["add", "sub", "mul", "xor", "shl", "sar"][next(6)]} ${reg()}, ${reg()}, ${src()}`,
      );
    else if (k === 4) lines.push(`  push ${src()}`);
    else if (k === 5) lines.push(`  pop ${reg()}`);
    else if (k === 6) lines.push(`  load ${reg()}, stack[${reg()} + ${next(3)}]`);
    else if (k === 7) lines.push(`  store stack[${next(3)}], ${src()}`);
    else if (k === 8) lines.push(`  hostcall h(${reg()}, ${reg()}) -> ${reg()}`);
    else if (k === 9) lines.push("  call f");
    else if (k === 10) lines.push(`  yield ${src()} -> ${reg()}`);
    else lines.push(`  b${["eq", "ne", "lt", "geu"][next(4)]} ${reg()}, ${src()}, top`);
  }
  lines.push("  sub r0, r0, 1", "  bne r0, 0, top", "  exit r1", "f:", `  add r2, r2, ${src()}`);
  if (next(4) === 0) lines.push("  pop r3");
  lines.push("  ret");
  return lines.join("\n");
}

test("2000 random programs under random budgets: wasm gives the reference machine's traps (and native's)", () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const source = randomSource(seed);
    const budget = BigInt(1 + ((seed * 7919) % 97));
    const entry = { name: `seed ${seed}`, source, budget, stackSize: 4096 };
    const reference = runReference(parseProgram(source), {
      stackWords: stackCapacityWords(4096),
      budget,
      answer,
      maxTraps: 300,
    });
    const actual = runOn(wasm, entry, 300);
    expect(actual, source).toEqual(reference);
    if (native) expect(actual, source).toEqual(runOn(native, entry, 300));
  }
}, 300_000);

test("threads of one program keep their words apart in the one memory", () => {
  const program = wasm.load(
    parseProgram(`
      hostcall id() -> r0
      mov r1, 0
    fill:
      push r0
      add r1, r1, 1
      blt r1, 100, fill
      yield 0
      mov r1, 0
      mov r2, 0
    sum:
      load r3, stack[r1]
      add r2, r2, r3
      add r1, r1, 1
      blt r1, 100, sum
      exit r2`),
  );
  const threads = Array.from({ length: 50 }, () => wasm.spawn(program, { stackSize: 4096 }));
  for (const t of threads) expect(wasm.resume(t).kind).toBe("hostcall");
  for (const [i, t] of threads.entries()) {
    expect(wasm.resume(t, BigInt(i + 1))).toEqual({ kind: "yield", value: 0n });
  }
  for (const [i, t] of threads.entries()) {
    expect(wasm.resume(t)).toEqual({ kind: "exit", code: BigInt(100 * (i + 1)) });
  }
  for (const t of threads) wasm.release(t);
  expect(wasm.stacks.stats().live).toBe(0);
});

test("threads survive the memory growing under them, and released space is reused", () => {
  const backend = new WasmBackend();
  const program = backend.load(parseProgram("yield 1\nhostcall h(r0) -> r0\nexit r0"));
  const first = backend.spawn(program);
  expect(backend.resume(first)).toEqual({ kind: "yield", value: 1n });
  const before = backend.memoryBytes;
  const many = Array.from({ length: 200 }, () => backend.spawn(program, { stackSize: 65536 }));
  expect(backend.memoryBytes).toBeGreaterThan(before);
  expect(backend.resume(first)).toEqual({ kind: "hostcall", name: "h", args: [0n] });
  expect(backend.resume(first, 77n)).toEqual({ kind: "exit", code: 77n });
  for (const t of many) backend.release(t);
  const grown = backend.memoryBytes;
  const again = Array.from({ length: 200 }, () => backend.spawn(program, { stackSize: 65536 }));
  expect(backend.memoryBytes).toBe(grown);
  for (const t of again) backend.release(t);
  backend.release(first);
  expect(first.lastTrap).toEqual({ kind: "exit", code: 77n });
});

test("the saved stack pointer is the top of the stack less the words pushed", () => {
  const thread = wasm.spawn(wasm.load(parseProgram("push 1\npush 2\nyield 0\nexit 0")));
  wasm.resume(thread);
  expect(wasm.savedStackPointer(thread)).toBe(thread.stack.high - 16n);
  wasm.release(thread);
});

test("the backend's checks are the shared ones: bad budget, foreign thread, finished thread", () => {
  const program = wasm.load(parseProgram("exit 0"));
  expect(() => wasm.spawn(program, { budget: 10n })).toThrow(
    expect.objectContaining({ code: "BAD_BUDGET" }),
  );
  const thread = wasm.spawn(program);
  const trap: Trap = wasm.resume(thread);
  expect(trap).toEqual({ kind: "exit", code: 0n });
  expect(() => wasm.resume(thread)).toThrow(SwitchError);
  expect(() => new WasmBackend().resume(thread)).toThrow(
    expect.objectContaining({ code: "FOREIGN_THREAD" }),
  );
  wasm.release(thread);
  expect(() => wasm.release(thread)).toThrow(expect.objectContaining({ code: "THREAD_RELEASED" }));
});

test("a program at the instruction limit loads with fuel and gives the reference machine's traps", () => {
  // Calls from the first instruction into the last ones and returns, and a backward jump over the
  // whole program: every crossing between the module's functions, under budget traps.
  const head = ["  mov r1, 2", "top:", "  call far"];
  const tail = ["  sub r1, r1, 1", "  bne r1, 0, top", "  exit r0", "far:"];
  const far = ["  add r2, r2, 7", "  yield r2", "  ret"];
  const filler =
    PROGRAM_LIMITS.maxInstructions - (head.length - 1) - (tail.length - 1) - far.length;
  const source = [
    ...head,
    ..."  add r0, r0, 1\n".repeat(filler).split("\n", filler),
    ...tail,
    ...far,
  ].join("\n");
  const program = parseProgram(source);
  expect(program.instructions.length).toBe(PROGRAM_LIMITS.maxInstructions);
  const loaded = wasm.load(program, { fuel: true });
  // More than V8 takes in one function: the module is several.
  expect(loaded.codeSize).toBeGreaterThan(7_654_321);
  const budget = 100_003n;
  const traps = runLoaded(wasm, loaded, { stackSize: 4096, budget }, 100);
  wasm.unload(loaded);
  const reference = runReference(program, {
    stackWords: stackCapacityWords(4096),
    budget,
    answer,
    maxTraps: 100,
  });
  expect(reference.filter((t) => t.kind === "budget").length).toBeGreaterThan(4);
  expect(reference.at(-1)).toEqual({ kind: "exit", code: BigInt(2 * filler) });
  expect(traps).toEqual(reference);
}, 120_000);
