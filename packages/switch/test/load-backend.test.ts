import { hostAbi, parseProgram } from "@greenthreads/isa";
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
afterEach(() => {
  if (saved === undefined) delete process.env.GREENTHREADS_BACKEND;
  else process.env.GREENTHREADS_BACKEND = saved;
});

test("prefer emulated gives the emulated backend for the host ABI, with a reason", () => {
  delete process.env.GREENTHREADS_BACKEND;
  const backend = loadBackend({ prefer: "emulated" });
  expect(backend.kind).toBe("emulated");
  expect(backend.abi.name).toBe(hostAbi(process.platform, process.arch)?.name ?? "x86_64-sysv");
  expect(backend.reason).toContain('prefer: "emulated"');
});

test.each(["x86_64-win64", "aarch64-aapcs64"] as const)(
  "emulating the non-host ABI %s runs a program",
  (abi) => {
    delete process.env.GREENTHREADS_BACKEND;
    const backend = loadBackend({ abi });
    expect(backend.kind).toBe("emulated");
    expect(backend.abi.name).toBe(abi);
    const thread = backend.spawn(backend.load(parseProgram("hostcall f(r0) -> r1\nexit r1")));
    expect(backend.resume(thread)).toEqual({ kind: "hostcall", name: "f", args: [0n] });
    expect(backend.resume(thread, 9n)).toEqual({ kind: "exit", code: 9n });
    expect(selfTest(backend)).toBeUndefined();
  },
);

test.skipIf(!nativeWorks)(
  `by default the native backend is chosen here${nativeWorks ? "" : " (skipped: native addon not built)"}`,
  () => {
    delete process.env.GREENTHREADS_BACKEND;
    const backend = loadBackend();
    expect(backend.kind).toBe("native");
    expect(backend.reason).toMatch(/passed its self-test/);
  },
);

test("GREENTHREADS_BACKEND=emulated overrides prefer: native", () => {
  process.env.GREENTHREADS_BACKEND = "emulated";
  const backend = loadBackend({ prefer: "native" });
  expect(backend.kind).toBe("emulated");
  expect(backend.reason).toContain("GREENTHREADS_BACKEND=emulated");
});

test("GREENTHREADS_BACKEND=native with an ABI the addon cannot run is NATIVE_UNAVAILABLE", () => {
  process.env.GREENTHREADS_BACKEND = "native";
  let error: unknown;
  try {
    loadBackend({ abi: "x86_64-win64" });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SwitchError);
  expect((error as SwitchError).code).toBe("NATIVE_UNAVAILABLE");
});

test("without the env override, an ABI the addon cannot run falls back to emulated and says why", () => {
  delete process.env.GREENTHREADS_BACKEND;
  const backend = loadBackend({ abi: "x86_64-win64" });
  expect(backend.kind).toBe("emulated");
  expect(backend.reason).toMatch(/^emulated x86_64-win64: /);
});

test("bad options and environment values are BAD_OPTIONS; unknown ABIs UNKNOWN_ABI", () => {
  process.env.GREENTHREADS_BACKEND = "fast";
  expect(() => loadBackend()).toThrow(expect.objectContaining({ code: "BAD_OPTIONS" }));
  delete process.env.GREENTHREADS_BACKEND;
  expect(() => loadBackend({ prefer: "jit" as "native" })).toThrow(
    expect.objectContaining({ code: "BAD_OPTIONS" }),
  );
  expect(() => loadBackend({ abi: "pdp11" as "x86_64-sysv" })).toThrow(
    expect.objectContaining({ code: "UNKNOWN_ABI" }),
  );
});
