/**
 * Every backend against the reference machine (the semantics), trap for
 * trap and value for value, host-call arguments included: on the corpus,
 * on the corpus with every budget from 1 to 8 (a budget of 1 stops before
 * every instruction), and on random programs with and without budgets.
 */
import { type AbiName, getAbi, type Program, parseProgram, type Trap } from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import { reference as isaReference } from "../../isa/test/lowering/differential-run.js";
import { randomProgram } from "../../isa/test/lowering/random-programs.js";
import { type Backend, EmulatedBackend, NativeBackend } from "../src/index.js";
import { answer, CORPUS } from "./corpus.js";
import { runLoaded, runOn } from "./run-corpus.js";

const native = (() => {
  try {
    return new NativeBackend();
  } catch {
    return undefined;
  }
})();
const EMULATED_ABIS: AbiName[] = ["x86_64-sysv", "x86_64-win64", "aarch64-aapcs64"];
/** Each backend under test, with how many random programs it runs (the interpreter is slow). */
const BACKENDS: { name: string; backend: Backend | undefined; randomPrograms: number }[] = [
  { name: "native", backend: native, randomPrograms: 50 },
  ...EMULATED_ABIS.map((abi) => ({
    name: `emulated ${abi}`,
    backend: new EmulatedBackend(getAbi(abi)) as Backend,
    randomPrograms: 8,
  })),
];
const BUDGETS = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
/** A budget sweep stops comparing after this many traps (both sides stop at the same one). */
const SWEEP_TRAPS = 60;

/** The reference machine's traps, the host answering as the corpus says. */
function reference(
  program: Program,
  stackSize: number,
  budget: bigint | undefined,
  maxTraps: number,
): Trap[] {
  return isaReference(program, stackSize, budget, maxTraps, answer);
}

describe.each(CORPUS)("$name", (entry) => {
  const expected = reference(
    parseProgram(entry.source),
    entry.stackSize ?? 16384,
    entry.budget,
    10_000,
  );

  test("the reference machine ends in an exit or a fault", () => {
    expect(["exit", "fault"]).toContain(expected.at(-1)?.kind);
  });

  for (const { name, backend } of BACKENDS) {
    test.skipIf(!backend)(
      `${name} gives the reference machine's traps${backend ? "" : " (skipped: native addon not built)"}`,
      () => {
        expect(runOn(backend!, entry)).toEqual(expected);
      },
    );
  }
});

describe.each(BACKENDS)("$name", ({ name, backend, randomPrograms }) => {
  const skip = backend === undefined;
  const tag = skip ? " (skipped: native addon not built)" : "";

  test.skipIf(skip)(
    `the corpus with every budget from 1 to 8 gives the reference machine's traps${tag}`,
    () => {
      for (const entry of CORPUS) {
        const program = parseProgram(entry.source);
        const loaded = backend!.load(program, { fuel: true });
        for (const budget of BUDGETS) {
          const stackSize = entry.stackSize ?? 16384;
          expect(
            runLoaded(backend!, loaded, { stackSize, budget }, SWEEP_TRAPS),
            `${name}: ${entry.name}, budget ${budget}`,
          ).toEqual(reference(program, stackSize, budget, SWEEP_TRAPS));
        }
        backend!.unload(loaded);
      }
    },
  );

  test.skipIf(skip)(
    `${randomPrograms} random programs, without a budget and with each from 1 to 8, give the reference machine's traps${tag}`,
    () => {
      for (let seed = 1; seed <= randomPrograms; seed++) {
        const { source } = randomProgram(seed);
        const program = parseProgram(source);
        const loaded = backend!.load(program, { fuel: true });
        for (const budget of [undefined, ...BUDGETS]) {
          expect(
            runLoaded(backend!, loaded, { stackSize: 8192, budget }, 400),
            `${name}: seed ${seed}, budget ${budget}:\n${source}`,
          ).toEqual(reference(program, 8192, budget, 400));
        }
        backend!.unload(loaded);
      }
    },
    60_000,
  );
});

test("the corpus reaches every trap kind and both fault kinds", () => {
  const traps = CORPUS.flatMap((entry) =>
    reference(parseProgram(entry.source), entry.stackSize ?? 16384, entry.budget, 10_000),
  );
  const kinds = new Set(traps.map((t) => (t.kind === "fault" ? `fault:${t.fault}` : t.kind)));
  expect([...kinds].sort()).toEqual(
    ["budget", "exit", "fault:out-of-bounds", "fault:stack-overflow", "hostcall", "yield"].sort(),
  );
});

test("random programs reach host calls and yields that name their operand as the result", () => {
  const sources = Array.from({ length: 12 }, (_, i) => randomProgram(i + 1).source).join("\n");
  expect(sources).toMatch(/hostcall h\((r\d), r\d\) -> \1/);
  expect(sources).toMatch(/yield (r\d) -> \1/);
});
