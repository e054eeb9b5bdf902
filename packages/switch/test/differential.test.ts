import {
  type AbiName,
  getAbi,
  parseProgram,
  runReference,
  stackCapacityWords,
} from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import { EmulatedBackend, loadBackend, NativeBackend } from "../src/index.js";
import { answer, CORPUS } from "./corpus.js";
import { runOn } from "./run-corpus.js";

const native = (() => {
  try {
    return new NativeBackend();
  } catch {
    return undefined;
  }
})();
const hostBackend = loadBackend({ prefer: "emulated" });
const EMULATED_ABIS: AbiName[] = ["x86_64-sysv", "x86_64-win64", "aarch64-aapcs64"];
const emulated = new Map(EMULATED_ABIS.map((abi) => [abi, new EmulatedBackend(getAbi(abi))]));

describe.each(CORPUS)("$name", (entry) => {
  const reference = runReference(parseProgram(entry.source), {
    stackWords: stackCapacityWords(entry.stackSize ?? 16384),
    ...(entry.budget === undefined ? {} : { budget: entry.budget }),
    answer,
    maxTraps: 10_000,
  });

  test("the reference machine ends in an exit or a fault", () => {
    expect(["exit", "fault"]).toContain(reference.at(-1)?.kind);
  });

  test.each(EMULATED_ABIS)("emulated %s gives the reference machine's traps", (abi) => {
    expect(runOn(emulated.get(abi)!, entry)).toEqual(reference);
  });

  test.skipIf(!native)(
    "native gives the reference machine's traps (skipped: native addon not built)",
    () => {
      expect(runOn(native!, entry)).toEqual(reference);
    },
  );

  test.skipIf(!native)(
    "native and emulated host ABI agree (skipped: native addon not built)",
    () => {
      expect(runOn(native!, entry)).toEqual(runOn(hostBackend, entry));
    },
  );
});

test("the corpus reaches every trap kind and both fault kinds", () => {
  const traps = CORPUS.flatMap((entry) =>
    runReference(parseProgram(entry.source), {
      stackWords: stackCapacityWords(entry.stackSize ?? 16384),
      ...(entry.budget === undefined ? {} : { budget: entry.budget }),
      answer,
    }),
  );
  const kinds = new Set(traps.map((t) => (t.kind === "fault" ? `fault:${t.fault}` : t.kind)));
  expect([...kinds].sort()).toEqual(
    ["budget", "exit", "fault:out-of-bounds", "fault:stack-overflow", "hostcall", "yield"].sort(),
  );
});
