/**
 * Where the native backend cannot load, loadBackend falls back to the
 * WebAssembly backend for the host's ABI, says why, and warns once, as any
 * fallback where the package ships a prebuild for the platform does (that
 * prebuild failing to load means a broken install).
 */
import { parseProgram } from "@greenthreads/isa";
import { expect, test, vi } from "vitest";

vi.mock("../src/native/native-backend.js", () => ({
  NativeBackend: class {
    constructor() {
      throw new Error("the addon cannot be loaded: no such file (simulated)");
    }
  },
}));
vi.mock("../src/native/addon.js", async (original) => ({
  ...(await original<typeof import("../src/native/addon.js")>()),
  prebuildExists: () => true,
}));

test("native failing gives wasm, with the native failure in the reason and one warning", async () => {
  const saved = process.env.GREENTHREADS_BACKEND;
  delete process.env.GREENTHREADS_BACKEND;
  const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  try {
    const { loadBackend } = await import("../src/load-backend.js");
    const backend = loadBackend();
    expect(backend.kind).toBe("wasm");
    expect(backend.reason).toBe(
      "wasm: thread programs compiled to WebAssembly instead of native: the addon cannot be loaded: no such file (simulated)",
    );
    const thread = backend.spawn(backend.load(parseProgram("yield 5\nexit 1")));
    expect(backend.resume(thread)).toEqual({ kind: "yield", value: 5n });
    // A foreign ABI is still emulated: WebAssembly runs none.
    expect(loadBackend({ abi: "x86_64-win64" }).kind).toBe("emulated");
    expect(emit).toHaveBeenCalledTimes(1);
    expect(String(emit.mock.calls[0]![0])).toMatch(
      /run on the wasm backend: .*no such file \(simulated\)/,
    );
  } finally {
    emit.mockRestore();
    if (saved !== undefined) process.env.GREENTHREADS_BACKEND = saved;
  }
});
