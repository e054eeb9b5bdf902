/**
 * A fallback from native to emulated where a prebuild exists for the
 * platform warns once per process, with the reason and a code to filter on;
 * where no prebuild exists it is expected and stays quiet. These tests run
 * as in an engine without WebAssembly, where the fallback is emulated (with
 * WebAssembly it is the wasm backend: see wasm-load-backend.test.ts).
 */
import { afterEach, beforeEach, expect, test, vi } from "vitest";

const state = vi.hoisted(() => ({ prebuild: true }));

vi.mock("../src/native/native-backend.js", () => ({
  NativeBackend: class {
    constructor() {
      throw new Error("the addon cannot be loaded: no such file (simulated)");
    }
  },
}));
vi.mock("../src/native/addon.js", async (original) => ({
  ...(await original<typeof import("../src/native/addon.js")>()),
  prebuildExists: () => state.prebuild,
}));

const WARNED = Symbol.for("@greenthreads/switch: native fallback warned");
const saved = process.env.GREENTHREADS_BACKEND;
const scope = globalThis as { WebAssembly?: unknown };
const savedWasm = scope.WebAssembly;

beforeEach(() => {
  vi.resetModules();
  delete scope.WebAssembly;
  delete (globalThis as { [WARNED]?: boolean })[WARNED];
  delete process.env.GREENTHREADS_BACKEND;
});
afterEach(() => {
  scope.WebAssembly = savedWasm;
  vi.restoreAllMocks();
  if (saved !== undefined) process.env.GREENTHREADS_BACKEND = saved;
});

test("with a prebuild for this platform, the fallback warns exactly once, with the reason and a code", async () => {
  state.prebuild = true;
  const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  const { loadBackend, NATIVE_FALLBACK_WARNING } = await import("../src/load-backend.js");
  for (let i = 0; i < 3; i++) expect(loadBackend().kind).toBe("emulated");
  expect(emit).toHaveBeenCalledTimes(1);
  const [message, options] = emit.mock.calls[0]! as unknown as [
    string,
    { code: string; type: string },
  ];
  expect(message).toMatch(
    /native backend cannot run here.*emulated backend.*no such file \(simulated\)/,
  );
  expect(options.code).toBe(NATIVE_FALLBACK_WARNING);
  expect(options.code).toBe("GREENTHREADS_NATIVE_FALLBACK");
  expect(options.type).toBe("GreenthreadsWarning");
  // A second copy of the module (the other build, say) does not warn again.
  vi.resetModules();
  const again = await import("../src/load-backend.js");
  again.loadBackend();
  expect(emit).toHaveBeenCalledTimes(1);
});

test("choosing emulated, or a platform without a prebuild, does not warn", async () => {
  const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  state.prebuild = true;
  const { loadBackend } = await import("../src/load-backend.js");
  expect(loadBackend({ prefer: "emulated" }).kind).toBe("emulated");
  process.env.GREENTHREADS_BACKEND = "emulated";
  expect(loadBackend().kind).toBe("emulated");
  delete process.env.GREENTHREADS_BACKEND;
  expect(emit).not.toHaveBeenCalled();
  state.prebuild = false;
  expect(loadBackend().kind).toBe("emulated");
  expect(emit).not.toHaveBeenCalled();
});

test("without a global process, loadBackend still works (emulated) and warns nowhere", async () => {
  const { loadBackend } = await import("../src/load-backend.js");
  const real = globalThis.process;
  let kind: string;
  try {
    // A browser has no process; the module must not read a bare one.
    Object.defineProperty(globalThis, "process", {
      value: undefined,
      configurable: true,
      writable: true,
    });
    kind = loadBackend().kind;
  } finally {
    Object.defineProperty(globalThis, "process", {
      value: real,
      configurable: true,
      writable: true,
    });
  }
  expect(kind).toBe("emulated");
});
