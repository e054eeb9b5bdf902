/** loadBackend with the WebAssembly backend: its place between native and emulated, and its reasons. */
import { parseProgram } from "@greenthreads/isa";
import { afterEach, expect, test } from "vitest";
import { loadBackend, NativeBackend, SwitchError, selfTest } from "../src/index.js";

const nativeWorks = (() => {
  try {
    return selfTest(new NativeBackend()) === undefined;
  } catch {
    return false;
  }
})();
const saved = process.env.GREENTHREADS_BACKEND;
const scope = globalThis as { WebAssembly?: unknown };
const savedWasm = scope.WebAssembly;
afterEach(() => {
  if (saved === undefined) delete process.env.GREENTHREADS_BACKEND;
  else process.env.GREENTHREADS_BACKEND = saved;
  scope.WebAssembly = savedWasm;
});

test("prefer wasm gives the WebAssembly backend, which runs programs and says why", () => {
  delete process.env.GREENTHREADS_BACKEND;
  const backend = loadBackend({ prefer: "wasm" });
  expect(backend.kind).toBe("wasm");
  expect(backend.reason).toBe('wasm: thread programs compiled to WebAssembly (prefer: "wasm")');
  const thread = backend.spawn(backend.load(parseProgram("hostcall f(r0) -> r1\nexit r1")));
  expect(backend.resume(thread)).toEqual({ kind: "hostcall", name: "f", args: [0n] });
  expect(backend.resume(thread, 9n)).toEqual({ kind: "exit", code: 9n });
  expect(selfTest(backend)).toBeUndefined();
});

test("GREENTHREADS_BACKEND=wasm overrides prefer", () => {
  process.env.GREENTHREADS_BACKEND = "wasm";
  const backend = loadBackend({ prefer: "emulated" });
  expect(backend.kind).toBe("wasm");
  expect(backend.reason).toContain("GREENTHREADS_BACKEND=wasm");
});

const first = "native still comes first where it works";
test.skipIf(!nativeWorks)(
  nativeWorks ? first : `${first} (skipped: native addon not built)`,
  () => {
    delete process.env.GREENTHREADS_BACKEND;
    expect(loadBackend().kind).toBe("native");
  },
);

test("an ABI the addon cannot run is emulated, not WebAssembly (which runs no machine ABI)", () => {
  delete process.env.GREENTHREADS_BACKEND;
  const backend = loadBackend({ abi: "aarch64-aapcs64", prefer: "native" });
  if (nativeWorks && backend.kind === "native") return; // an arm64 host runs it natively
  expect(backend.kind).toBe("emulated");
});

test("without WebAssembly: prefer wasm falls back to emulated with the reason; forcing it is WASM_UNAVAILABLE", () => {
  delete process.env.GREENTHREADS_BACKEND;
  delete scope.WebAssembly; // an engine without WebAssembly
  const backend = loadBackend({ prefer: "wasm" });
  expect(backend.kind).toBe("emulated");
  expect(backend.reason).toMatch(/no WebAssembly/);
  process.env.GREENTHREADS_BACKEND = "wasm";
  let error: unknown;
  try {
    loadBackend();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SwitchError);
  expect((error as SwitchError).code).toBe("WASM_UNAVAILABLE");
});
