/**
 * Loaded programs have a lifecycle: unload frees their code (once their last
 * thread is released), freed code space is reused, and a program the caller
 * drops is freed by finalization.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { getAbi, parseProgram } from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import { type Backend, EmulatedBackend, type LoadedProgram, NativeBackend } from "../src/index.js";
import { HAS_PROC_MAPS, mappingAt } from "./maps.js";

const native = (() => {
  try {
    return new NativeBackend();
  } catch {
    return undefined;
  }
})();

/** Load/unload cycles per backend here; bench/load-unload.soak.ts runs 10^5 of them. */
const CYCLES = 300;

const BACKENDS: [string, Backend | undefined][] = [
  ["emulated", new EmulatedBackend(getAbi("x86_64-sysv"))],
  ["native", native],
];

/**
 * Whether a loaded program's code is still in place: on the emulated backend
 * its pages are mapped in the interpreter's memory; natively the kernel
 * shows an executable mapping at its address.
 */
function codeMapped(backend: Backend, where: bigint): boolean {
  if (backend instanceof EmulatedBackend) return backend.host.memory.permission(where) === "rx";
  return mappingAt(where)?.perms === "r-xp";
}

function codeAddress(backend: Backend, loaded: LoadedProgram): bigint {
  return (backend as NativeBackend | EmulatedBackend).codeRegion(loaded)!.address;
}

describe.each(BACKENDS)("%s backend", (_name, backend) => {
  const skip = backend === undefined || (backend instanceof NativeBackend && !HAS_PROC_MAPS);
  const tag = skip ? " (skipped: native addon not built or no /proc/self/maps)" : "";

  test.skipIf(skip)(
    `${CYCLES} load/spawn/release/unload cycles run, and unload frees the code${tag}`,
    () => {
      const b = backend!;
      const program = parseProgram("hostcall f(r0) -> r1\nexit r1");
      const free = b instanceof EmulatedBackend ? b.host.freeCodePages : 0;
      for (let i = 0; i < CYCLES; i++) {
        const loaded = b.load(program, { fuel: i % 3 === 0 });
        const thread = b.spawn(loaded);
        expect(b.resume(thread).kind).toBe("hostcall");
        expect(b.resume(thread, BigInt(i))).toEqual({ kind: "exit", code: BigInt(i) });
        b.release(thread);
        if (i % 100 === 0) {
          const at = codeAddress(b, loaded);
          expect(codeMapped(b, at)).toBe(true);
          b.unload(loaded);
          expect(codeMapped(b, at)).toBe(false);
        } else b.unload(loaded);
      }
      if (b instanceof EmulatedBackend) expect(b.host.freeCodePages).toBe(free);
    },
    60_000,
  );

  test.skipIf(skip)(`a thread keeps its unloaded program's code until it is released${tag}`, () => {
    const b = backend!;
    const loaded = b.load(parseProgram("l: yield 3\njmp l"));
    const at = codeAddress(b, loaded);
    const threads = [b.spawn(loaded), b.spawn(loaded)];
    b.unload(loaded);
    expect(codeMapped(b, at)).toBe(true);
    for (const t of threads) expect(b.resume(t)).toEqual({ kind: "yield", value: 3n });
    b.release(threads[0]!);
    expect(b.resume(threads[1]!)).toEqual({ kind: "yield", value: 3n });
    expect(codeMapped(b, at)).toBe(true);
    b.release(threads[1]!);
    expect(codeMapped(b, at)).toBe(false);
  });
});

test("a loaded program the caller drops is freed by finalization", async () => {
  // A garbage collector to call: allowed at run time through V8's flags.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const backend = new EmulatedBackend(getAbi("x86_64-sysv"));
  const start = backend.host.freeCodePages;
  for (let i = 0; i < 20; i++) backend.load(parseProgram(`exit ${i}`));
  expect(backend.host.freeCodePages).toBe(start - 20);
  for (let round = 0; round < 50 && backend.host.freeCodePages < start; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(backend.host.freeCodePages).toBe(start);
});
