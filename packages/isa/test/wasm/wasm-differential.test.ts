/**
 * Thread programs lowered to WebAssembly must validate, and running them must
 * stop at the same traps with the same values as the reference machine: on
 * the lowering corpus, and on random programs with random budgets.
 */
import { describe, expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import { parseProgram } from "../../src/language/parse.js";
import type { Program } from "../../src/language/program.js";
import { verifyProgram } from "../../src/language/verify.js";
import { stackCapacityWords } from "../../src/lowering/stack-capacity.js";
import { runReference } from "../../src/semantics/reference.js";
import { lowerProgramToWasm } from "../../src/wasm/lower-to-wasm.js";
import { encodeWasmModule } from "../../src/wasm/wasm-encoding.js";
import { webAssembly } from "../../src/wasm/webassembly-api.js";
import { CORPUS } from "../lowering/corpus.js";
import { randomProgram } from "../lowering/random-programs.js";
import { randomProgramText, xorshift } from "../program/random.js";
import { answer, type CompiledProgram, WasmTestHost } from "./wasm-test-host.js";

const api = webAssembly()!;
const host = new WasmTestHost();

function expectSameTraps(
  compiled: CompiledProgram,
  options: { stackSize: number; budget?: bigint; maxTraps: number },
  what: string,
): void {
  const expected = runReference(compiled.program, {
    stackWords: stackCapacityWords(options.stackSize),
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    answer,
    maxTraps: options.maxTraps,
  });
  expect(host.run(compiled, options), what).toEqual(expected);
}

describe("the lowering corpus", () => {
  test.each(CORPUS)("$name", ({ source, budget, stackSize = 8192 }) => {
    const program = parseProgram(source);
    verifyProgram(program);
    for (const fuel of [false, true]) {
      const bytes = encodeWasmModule(lowerProgramToWasm(program, { fuel }));
      expect(api.validate(bytes)).toBe(true);
    }
    const compiled = host.compile(program, budget !== undefined);
    expectSameTraps(compiled, { stackSize, budget, maxTraps: 500 }, source);
    // The same program with budgets small and large: budget traps at the same points.
    const fueled = host.compile(program, true);
    for (const b of [1n, 2n, 3n, 7n, 50n]) {
      expectSameTraps(fueled, { stackSize, budget: b, maxTraps: 5000 }, `${source}\nbudget ${b}`);
    }
  });
});

describe("programs split into several functions", () => {
  // A program longer than one function may hold is split into functions and a driver; with
  // functions of 1 to 3 instructions nearly every jump, call, return, fall-through and resume
  // crosses from one function to another, and traps must not change.
  test.each(CORPUS)(
    "$name, in functions of 1, 2 and 3 instructions",
    ({ source, budget, stackSize = 8192 }) => {
      const program = parseProgram(source);
      for (const chunkSize of [1, 2, 3]) {
        const split = host.compile(program, budget !== undefined, chunkSize);
        expect(api.validate(split.bytes)).toBe(true);
        const what = `${source}\nchunkSize ${chunkSize}`;
        expectSameTraps(split, { stackSize, budget, maxTraps: 500 }, what);
        const fueled = host.compile(program, true, chunkSize);
        expect(api.validate(fueled.bytes)).toBe(true);
        for (const b of [1n, 3n]) {
          expectSameTraps(fueled, { stackSize, budget: b, maxTraps: 5000 }, `${what}, budget ${b}`);
        }
      }
    },
  );

  test("600 random programs with loops, calls, returns and host calls, in functions of 1 to 3", () => {
    const r = xorshift(4242);
    let checked = 0;
    let withoutFuel = 0;
    while (checked < 600) {
      const source = randomProgramText(r, 12);
      let program: Program;
      try {
        program = parseProgram(source);
        verifyProgram(program);
      } catch {
        continue;
      }
      checked++;
      const chunkSize = 1 + (checked % 3);
      const what = `${source}\nchunkSize ${chunkSize}`;
      const compiled = host.compile(program, true, chunkSize);
      expect(api.validate(compiled.bytes)).toBe(true);
      expectSameTraps(compiled, { stackSize: 1024, budget: 5n, maxTraps: 200 }, what);
      // Without fuel, when the reference machine shows the run is short.
      const bounded = runReference(program, {
        stackWords: stackCapacityWords(1024),
        budget: 20_000n,
        answer,
        maxTraps: 60,
      });
      if (bounded.every((t) => t.kind !== "budget")) {
        const plain = host.compile(program, false, chunkSize);
        expect(api.validate(plain.bytes)).toBe(true);
        expect(host.run(plain, { stackSize: 1024, maxTraps: 60 }), what).toEqual(bounded);
        withoutFuel++;
      }
    }
    expect(withoutFuel).toBeGreaterThan(300);
  }, 120_000);

  test("a chunk size outside 1..WASM_MAX_BR_TABLE is an IsaError", () => {
    const program = parseProgram("exit 0");
    expect(() => lowerProgramToWasm(program, { chunkSize: 0 })).toThrow(
      /chunkSize must be a whole number/,
    );
    expect(() => lowerProgramToWasm(program, { chunkSize: 60_001 })).toThrow(IsaError);
  });
});

/** Random budgets, small enough to trap often. */
function budgets(seed: number, count: number): bigint[] {
  const r = xorshift(seed * 7919 + 1);
  return Array.from({ length: count }, () => BigInt(1 + r.int(r.chance(0.5) ? 8 : 200)));
}

describe("random programs", () => {
  test("6000 straight-line and forward-branching programs, with and without budgets", () => {
    for (let seed = 1; seed <= 6000; seed++) {
      const { source, budget } = randomProgram(seed);
      const program = parseProgram(source);
      verifyProgram(program);
      const compiled = host.compile(program, true);
      expect(api.validate(compiled.bytes)).toBe(true);
      const what = `seed ${seed}:\n${source}`;
      expectSameTraps(compiled, { stackSize: 2048, budget, maxTraps: 200 }, what);
      for (const b of budgets(seed, 2)) {
        expectSameTraps(
          compiled,
          { stackSize: 2048, budget: b, maxTraps: 200 },
          `${what}\nbudget ${b}`,
        );
      }
    }
  }, 300_000);

  test("6000 programs with loops, calls, returns and host calls, under random budgets", () => {
    const r = xorshift(20261130);
    let checked = 0;
    let withoutFuel = 0;
    while (checked < 6000) {
      const source = randomProgramText(r, 12);
      let program: Program;
      try {
        program = parseProgram(source);
        verifyProgram(program);
      } catch {
        continue;
      }
      checked++;
      const plain = host.compile(program, false);
      expect(api.validate(plain.bytes)).toBe(true);
      const compiled = host.compile(program, true);
      expect(api.validate(compiled.bytes)).toBe(true);
      // Without fuel (where backward jumps may become WebAssembly loops), when the reference
      // machine shows the run is short: no budget trap in 20000 instructions means that the
      // run without a budget takes the same steps.
      const bounded = runReference(program, {
        stackWords: stackCapacityWords(1024),
        budget: 20_000n,
        answer,
        maxTraps: 60,
      });
      if (bounded.every((t) => t.kind !== "budget")) {
        expect(host.run(plain, { stackSize: 1024, maxTraps: 60 }), source).toEqual(bounded);
        withoutFuel++;
      }
      // Loops may never end: a budget makes every run trap, and maxTraps bounds it.
      for (const b of budgets(checked, 3)) {
        const stackSize = r.chance(0.2) ? 256 : 1024;
        expectSameTraps(compiled, { stackSize, budget: b, maxTraps: 60 }, `${source}\nbudget ${b}`);
      }
    }
    // Most programs end or trap often: the fuel-less path was exercised, not skipped.
    expect(withoutFuel).toBeGreaterThan(3000);
  }, 300_000);
});
