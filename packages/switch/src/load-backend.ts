/**
 * Choosing a backend: native when it loads and passes its self-test here,
 * then WebAssembly, then emulated, and always saying why.
 *
 * Order of decisions:
 *
 * 1. `GREENTHREADS_BACKEND=native|wasm|emulated` in the environment
 *    overrides `prefer`. Forcing `native` or `wasm` where it cannot run is
 *    an error ({@link SwitchError} `NATIVE_UNAVAILABLE`, `WASM_UNAVAILABLE`),
 *    never a silent fallback.
 * 2. An `abi` other than the addon's can only be emulated (WebAssembly runs
 *    no machine ABI, so it stands in only for the host's).
 * 3. The native backend must load (local build or prebuild) and pass
 *    {@link selfTest}; otherwise the WebAssembly backend is used where the
 *    engine has WebAssembly, and the emulated backend where it has not,
 *    with the reason in `backend.reason`. `prefer: "emulated"` still picks
 *    the interpreter, for stepping any ABI's real machine code. Where the
 *    package ships a prebuild for the platform, falling back to the emulated
 *    backend is a surprise (it is hundreds of times slower), so the process
 *    gets one warning, code {@link NATIVE_FALLBACK_WARNING}, once per process.
 *
 * `process` is read through `globalThis`, so that this module runs where
 * there is none (a browser build of the wasm or emulated backend).
 *
 * @module
 */
import { type AbiName, getAbi, hostAbi, IsaError, wasm } from "@greenthreads/isa";
import type { Backend, BackendKind } from "./backend.js";
import { EmulatedBackend } from "./emulated/emulated-backend.js";
import { SwitchError } from "./errors.js";
import { prebuildExists } from "./native/addon.js";
import { NativeBackend } from "./native/native-backend.js";
import { selfTest } from "./self-test.js";
import { WasmBackend } from "./wasm/wasm-backend.js";

const { webAssembly } = wasm;

/**
 * Options of {@link loadBackend}.
 *
 * @example
 * ```ts
 * import type { LoadBackendOptions } from "@greenthreads/switch";
 * const options: LoadBackendOptions = { prefer: "emulated", abi: "aarch64-aapcs64" };
 * ```
 */
export interface LoadBackendOptions {
  /** Which backend to try first; default `"native"` (falls back to wasm, then emulated, with a reason). */
  readonly prefer?: BackendKind;
  /** The ABI to run; default the host's (or x86-64 System V where the host has none the isa knows). */
  readonly abi?: AbiName;
}

/**
 * The code of the warning emitted when the native backend cannot run where a
 * prebuild exists for the platform, to filter it in a `process.on("warning")`
 * listener or to look it up.
 *
 * @example
 * ```ts
 * import { NATIVE_FALLBACK_WARNING } from "@greenthreads/switch";
 * process.on("warning", (w) => {
 *   if ((w as { code?: string }).code === NATIVE_FALLBACK_WARNING) console.log("native backend not running");
 * });
 * ```
 */
export const NATIVE_FALLBACK_WARNING = "GREENTHREADS_NATIVE_FALLBACK";

/** The host's `process`, if there is one (there is none in a browser). */
interface HostProcess {
  readonly env?: Record<string, string | undefined>;
  readonly platform?: string;
  readonly arch?: string;
  emitWarning?(message: string, options: { type: string; code: string; detail: string }): void;
}
const hostProcess = (): HostProcess | undefined =>
  (globalThis as { process?: HostProcess }).process;

/** Set on `globalThis` so that the ESM and CommonJS builds in one process warn once between them. */
const WARNED = Symbol.for("@greenthreads/switch: native fallback warned");

/**
 * Warns once per process that the native backend was expected and is not
 * running: the package ships a prebuild for this platform, so a failure to
 * load it means a broken install, whichever backend runs instead.
 */
function warnFallback(failure: string, instead: "wasm" | "emulated"): void {
  const flags = globalThis as { [WARNED]?: boolean };
  if (flags[WARNED]) return;
  flags[WARNED] = true;
  const proc = hostProcess();
  if (typeof proc?.emitWarning !== "function" || !prebuildExists()) return;
  const cost =
    instead === "emulated"
      ? "the emulated backend is hundreds of times slower"
      : "the wasm backend runs programs at close to native speed, but without the native stacks and guard pages";
  proc.emitWarning(
    `the native backend cannot run here, so machine threads run on the ${instead} backend: ${failure}`,
    {
      type: "GreenthreadsWarning",
      code: NATIVE_FALLBACK_WARNING,
      detail: `The package ships a prebuilt addon for this platform, so this is unexpected (check the install); ${cost}. Set GREENTHREADS_BACKEND=${instead} (or prefer: "${instead}") to choose it knowingly.`,
    },
  );
}

let nativeVerdict: { backend: NativeBackend } | { error: string } | undefined;

/** The native backend of this process, self-tested once. */
function native(): { backend: NativeBackend } | { error: string } {
  if (nativeVerdict) return nativeVerdict;
  try {
    const backend = new NativeBackend();
    const failure = selfTest(backend);
    nativeVerdict = failure ? { error: `the native self-test failed: ${failure}` } : { backend };
  } catch (e) {
    nativeVerdict = { error: e instanceof Error ? e.message : String(e) };
  }
  return nativeVerdict;
}

function withReason<B extends Backend>(backend: B, reason: string): B {
  (backend as { reason: string }).reason = reason;
  return backend;
}

/**
 * Returns a backend: the native one when it loads and passes its self-test
 * (and runs the requested ABI), otherwise the WebAssembly one (for the
 * host's ABI, where the engine has WebAssembly), otherwise the emulated one;
 * `reason` says why. `GREENTHREADS_BACKEND=native|wasm|emulated` forces one. The native
 * backend object is shared by every call in a process (one addon instance);
 * each emulated backend is new.
 *
 * Throws {@link SwitchError} `NATIVE_UNAVAILABLE` (`WASM_UNAVAILABLE`) when
 * native (wasm) is forced but cannot run, `UNKNOWN_ABI` for an unknown ABI name, `BAD_OPTIONS` for a bad
 * `prefer` or environment value.
 *
 * @example
 * ```ts
 * import { loadBackend } from "@greenthreads/switch";
 * const backend = loadBackend();
 * console.log(backend.kind, backend.abi.name, backend.reason);
 * const emulated = loadBackend({ prefer: "emulated", abi: "x86_64-win64" });
 * console.log(emulated.kind, emulated.abi.name); // "emulated" "x86_64-win64"
 * ```
 */
export function loadBackend(options: LoadBackendOptions = {}): Backend {
  const proc = hostProcess();
  const env = proc?.env?.GREENTHREADS_BACKEND;
  if (env !== undefined && env !== "" && !KINDS.includes(env as BackendKind)) {
    throw new SwitchError(
      "BAD_OPTIONS",
      `GREENTHREADS_BACKEND is "${env}"; set it to native, wasm, emulated, or leave it unset`,
    );
  }
  const prefer = options.prefer ?? "native";
  if (!KINDS.includes(prefer)) {
    throw new SwitchError(
      "BAD_OPTIONS",
      `loadBackend: prefer must be "native", "wasm" or "emulated", not ${String(prefer)}`,
    );
  }
  const forced = env === "" ? undefined : (env as BackendKind | undefined);
  const want = forced ?? prefer;
  let abiName: AbiName;
  try {
    abiName = options.abi ?? hostAbi(proc?.platform ?? "", proc?.arch ?? "")?.name ?? "x86_64-sysv";
    getAbi(abiName);
  } catch (cause) {
    if (cause instanceof IsaError) {
      throw new SwitchError("UNKNOWN_ABI", `loadBackend: ${cause.message}`, { cause });
    }
    throw cause;
  }
  const why = forced ? `GREENTHREADS_BACKEND=${forced}` : `prefer: "${prefer}"`;
  if (want === "emulated") {
    return withReason(new EmulatedBackend(getAbi(abiName)), `emulated ${abiName} (${why})`);
  }
  if (want === "wasm") {
    const wasm = wasmBackend(abiName, `(${why})`);
    if (wasm) return wasm;
    if (forced) {
      throw new SwitchError(
        "WASM_UNAVAILABLE",
        "loadBackend: GREENTHREADS_BACKEND=wasm, but this engine has no WebAssembly; unset it to fall back to the emulated backend",
      );
    }
    return withReason(
      new EmulatedBackend(getAbi(abiName)),
      `emulated ${abiName}: this engine has no WebAssembly (${why})`,
    );
  }
  const verdict = native();
  let failure: string;
  if ("backend" in verdict) {
    if (verdict.backend.abi.name === abiName) {
      return withReason(
        verdict.backend,
        `native ${abiName}: the addon loaded and passed its self-test (${why})`,
      );
    }
    failure = `the native addon runs ${verdict.backend.abi.name}, not ${abiName}`;
  } else {
    failure = verdict.error;
  }
  if (forced) {
    throw new SwitchError(
      "NATIVE_UNAVAILABLE",
      `loadBackend: GREENTHREADS_BACKEND=native, but the native backend cannot run here: ${failure}; unset it to fall back to the wasm or emulated backend`,
    );
  }
  if (options.abi !== undefined && options.abi !== hostAbiName()) {
    // WebAssembly runs no machine ABI: a foreign one can only be emulated.
    return withReason(new EmulatedBackend(getAbi(abiName)), `emulated ${abiName}: ${failure}`);
  }
  const wasm = wasmBackend(abiName, `instead of native: ${failure}`);
  if (wasm) {
    if ("error" in verdict) warnFallback(failure, "wasm");
    return wasm;
  }
  if ("error" in verdict) warnFallback(failure, "emulated");
  return withReason(
    new EmulatedBackend(getAbi(abiName)),
    `emulated ${abiName}: ${failure}; and this engine has no WebAssembly`,
  );
}

const KINDS: readonly BackendKind[] = ["native", "wasm", "emulated"];

function hostAbiName(): AbiName | undefined {
  const proc = hostProcess();
  return hostAbi(proc?.platform ?? "", proc?.arch ?? "")?.name;
}

/** A WebAssembly backend with its reason, or undefined where the engine has no WebAssembly. */
function wasmBackend(abiName: AbiName, why: string): Backend | undefined {
  if (webAssembly() === undefined) return undefined;
  return withReason(
    new WasmBackend({ abi: abiName }),
    `wasm: thread programs compiled to WebAssembly ${why}`,
  );
}
