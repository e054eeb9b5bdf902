/**
 * `load` never lets anything but a SwitchError escape, whatever it is given:
 * odd Program objects with missing fields, wrong types, huge arrays,
 * proxies, getters that throw, cycles. What loads must run like the
 * reference machine says.
 */
import { getAbi, lowering, parseProgram, runReference } from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import { type Backend, EmulatedBackend, NativeBackend, SwitchError } from "../src/index.js";

const { stackCapacityWords } = lowering;

const native = (() => {
  try {
    return new NativeBackend();
  } catch {
    return undefined;
  }
})();
const BACKENDS: [string, Backend | undefined][] = [
  ["emulated", new EmulatedBackend(getAbi("x86_64-sysv"))],
  ["native", native],
];

const BASE = parseProgram(
  "mov r1, 3\nl: hostcall h(r1) -> r2\npush r2\ncall f\nsub r1, r1, 1\nbne r1, 0, l\nexit r2\nf: pop r3\nret",
);

const throwing = new Proxy(
  {},
  {
    get() {
      throw new Error("a proxy that throws");
    },
  },
);
const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;
const getter = Object.defineProperty({}, "op", {
  enumerable: true,
  get() {
    throw new RangeError("a getter that throws");
  },
});

/** Values a field may be replaced by. */
const ODD: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.NaN,
  2 ** 53,
  "mov",
  "",
  true,
  10n,
  -(2n ** 80n),
  Symbol("s"),
  () => 0,
  {},
  [],
  [1, 2, 3],
  new Map(),
  new Map([["l", -1]]),
  new Set([1]),
  new Date(0),
  throwing,
  new Proxy([], {}),
  new Proxy(BASE.instructions as object, {}),
  cyclic,
  getter,
  { reg: 9 },
  { imm: 2n ** 70n },
  { reg: 1, imm: 1n },
  Object.create(null),
  new Uint8Array(4),
];

/** A small deterministic generator (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** The base program with one to three fields somewhere replaced by odd values. */
function mutate(random: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const program: Record<string, unknown> = {
    instructions: BASE.instructions.map((i) => ({ ...i })),
    labels: new Map(BASE.labels),
    hostcalls: [...BASE.hostcalls],
  };
  const changes = 1 + Math.floor(random() * 3);
  for (let c = 0; c < changes; c++) {
    try {
      change(program, random, pick);
    } catch {
      // Some odd values refuse being changed (frozen, proxies): the input stays as it is.
    }
  }
  return random() < 0.05 ? new Proxy(program, {}) : program;
}

function change(
  program: Record<string, unknown>,
  random: () => number,
  pick: <T>(xs: readonly T[]) => T,
): void {
  {
    const where = random();
    if (where < 0.15) program[pick(["instructions", "labels", "hostcalls"])] = pick(ODD);
    else if (where < 0.25) delete program[pick(["instructions", "labels", "hostcalls"])];
    else if (where < 0.8 && Array.isArray(program.instructions)) {
      const list = program.instructions as Record<string, unknown>[];
      const at = Math.floor(random() * list.length);
      const ins = list[at];
      if (random() < 0.2 || typeof ins !== "object" || ins === null)
        Reflect.set(list, at, pick(ODD));
      else {
        const keys = [
          ...Object.keys(ins),
          "op",
          "dst",
          "src",
          "a",
          "b",
          "args",
          "at",
          "target",
          "extra",
        ];
        Reflect.set(ins, pick(keys), pick(ODD));
      }
    } else if (program.labels instanceof Map) {
      Map.prototype.set.call(program.labels, pick(["l", "f", "nowhere", ""]), pick(ODD));
    } else if (Array.isArray(program.hostcalls)) {
      (program.hostcalls as unknown[]).push(pick(ODD));
    }
  }
}

describe.each(BACKENDS)("%s backend", (_name, backend) => {
  const skip = backend === undefined;
  const tag = skip ? " (skipped: native addon not built)" : "";

  test.skipIf(skip)(
    `load throws only SwitchError for 1000 odd Program objects${tag}`,
    () => {
      const b = backend!;
      const random = rng(20261130);
      let loaded = 0;
      for (let i = 0; i < 1000; i++) {
        const input = mutate(random);
        let program: ReturnType<Backend["load"]> | undefined;
        try {
          program = b.load(input as never, { fuel: true });
        } catch (e) {
          if (!(e instanceof SwitchError)) throw new Error(`case ${i}: ${String(e)}`, { cause: e });
          expect(e.code).toBe("INVALID_PROGRAM");
          continue;
        }
        loaded++;
        // What loads is a valid program: it runs as the reference machine says.
        const expected = runReference(program.program, {
          stackWords: stackCapacityWords(16384),
          budget: 50n,
          answer: () => 1n,
          maxTraps: 20,
        });
        const thread = b.spawn(program, { budget: 50n });
        const actual = expected.map((_, k) => b.resume(thread, k === 0 ? 0n : 1n));
        expect(actual).toEqual(expected);
        b.release(thread);
        b.unload(program);
      }
      expect(loaded).toBeGreaterThan(0);
    },
    60_000,
  );

  test.skipIf(skip)(`huge, sparse and non-program inputs are INVALID_PROGRAM${tag}`, () => {
    const b = backend!;
    const inputs: unknown[] = [
      undefined,
      null,
      42,
      "exit 0",
      throwing,
      { instructions: new Array(2 ** 32 - 1), labels: new Map(), hostcalls: [] },
      { instructions: new Array(3), labels: new Map(), hostcalls: [] },
      { instructions: [cyclic], labels: new Map(), hostcalls: [] },
      { instructions: BASE.instructions, labels: new Proxy(new Map(), {}), hostcalls: [] },
      {
        ...BASE,
        hostcalls: new Proxy(["h"], {
          get: () => {
            throw new Error("no");
          },
        }),
      },
    ];
    for (const input of inputs) {
      let error: unknown;
      try {
        b.load(input as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SwitchError);
      expect((error as SwitchError).code).toBe("INVALID_PROGRAM");
    }
  });
});
