/**
 * Thread programs lowered to WebAssembly must validate, and running them must
 * stop at the same traps with the same values as the reference machine: on
 * the lowering corpus, and on random programs with random budgets.
 */
import { describe, expect, test } from "vitest";
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

describe("split dispatch tables", () => {
  // Programs longer than one br_table may hold get a table of tables; with a tiny maximum every
  // dispatch, return check and region entry of the corpus is split, and traps must not change.
  test.each(CORPUS)(
    "$name, with at most 3 entries per table",
    ({ source, budget, stackSize = 8192 }) => {
      const program = parseProgram(source);
      for (const maxTable of [1, 3]) {
        const split = host.compile(program, budget !== undefined, maxTable);
        expect(api.validate(split.bytes)).toBe(true);
        expectSameTraps(
          split,
          { stackSize, budget, maxTraps: 500 },
          `${source}
maxTable ${maxTable}`,
        );
        const fueled = host.compile(program, true, maxTable);
        for (const b of [1n, 3n]) {
          expectSameTraps(
            fueled,
            { stackSize, budget: b, maxTraps: 5000 },
            `${source}
budget ${b}, maxTable ${maxTable}`,
          );
        }
      }
    },
  );

  test("500 random programs with loops, calls and returns, split into tables of 2", () => {
    const r = xorshift(4242);
    let checked = 0;
    while (checked < 500) {
      const source = randomProgramText(r, 12);
      let program: Program;
      try {
        program = parseProgram(source);
        verifyProgram(program);
      } catch {
        continue;
      }
      checked++;
      const compiled = host.compile(program, true, 2);
      expect(api.validate(compiled.bytes)).toBe(true);
      expectSameTraps(compiled, { stackSize: 1024, budget: 5n, maxTraps: 200 }, source);
    }
  }, 120_000);

  test("a maximum outside 1..WASM_MAX_BR_TABLE is an IsaError", () => {
    const program = parseProgram("exit 0");
    expect(() => lowerProgramToWasm(program, { maxTable: 0 })).toThrow(
      /maxTable must be a whole number/,
    );
    expect(() => lowerProgramToWasm(program, { maxTable: 60_001 })).toThrow(/maxTable/);
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
