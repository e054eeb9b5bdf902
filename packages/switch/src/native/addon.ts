/**
 * Loading the Node-API addon, and its functions as TypeScript sees them.
 *
 * The addon is found by node-gyp-build: a local build (build/Release) first,
 * then the prebuilt binary for this platform and architecture in
 * prebuilds/. If neither loads, {@link loadAddon} says why instead of
 * throwing, and the emulated backend takes over.
 *
 * @module
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Addresses and facts of the addon build. */
export interface AddonInfo {
  /** The ABI the addon's switch routine implements. */
  readonly abi: string;
  readonly pageSize: number;
  /** Bytes reserved per saved context. */
  readonly contextCapacity: number;
  /** Trap kind the addon writes into a control block after a machine fault. */
  readonly machineFaultKind: number;
  readonly switchRoutine: bigint;
  readonly startRoutine: bigint;
  readonly exitRoutine: bigint;
}

/** An opaque handle of a native memory region. */
export type RegionHandle = { readonly __region: unique symbol };

/** The functions of the addon (see native/addon/*.c). */
export interface NativeAddon {
  empty(): void;
  info(): AddonInfo;
  /** Sets the ABI's context size; returns the host context's address. */
  configure(contextSize: number): bigint;
  stackMap(size: number, guard: number): [RegionHandle, ArrayBuffer, bigint];
  codeMap(bytes: Uint8Array): [RegionHandle, undefined, bigint];
  blockAlloc(size: number): [RegionHandle, ArrayBuffer, bigint];
  regionRelease(handle: RegionHandle, buffer?: ArrayBuffer): void;
  threadCreate(block: RegionHandle, contextOffset: number, stack: RegionHandle): number;
  /** Resumes the thread whose id is in `selection[0]` (as a uint32). Throws BAD_THREAD for a stale id. */
  resume(): void;
  /** 8 bytes of the addon's own memory: the id of the thread `resume()` runs goes at offset 0. */
  readonly selection: ArrayBuffer;
  /** Resumes `n` times without returning to JavaScript (stops at a trap that is not a yield); returns how many ran. */
  resumeMany(id: number, n: number): number;
  threadRelease(id: number): void;
  /** [signal, fault address, pc] of the machine fault that stopped a thread. */
  threadFault(id: number): [number, bigint, bigint];
  faultHandlerInstalled(): boolean;
}

/** The package's root directory (src/ and dist/ both sit one level below it). */
function packageRoot(): string {
  const here = typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
  return join(dirname(here), "..", ...(here.includes(`${join("src", "native")}`) ? [".."] : []));
}

let cached: { addon: NativeAddon } | { error: string } | undefined;

/**
 * The addon of this process, or why it could not be loaded. Loaded once.
 */
export function loadAddon(): { addon: NativeAddon } | { error: string } {
  if (cached) return cached;
  try {
    const require = createRequire(join(packageRoot(), "package.json"));
    const nodeGypBuild = require("node-gyp-build") as (dir: string) => unknown;
    try {
      cached = { addon: nodeGypBuild(packageRoot()) as NativeAddon };
    } catch (first) {
      // A local build for another architecture shadows the prebuild: try the prebuild itself.
      const prebuild = join(
        packageRoot(),
        "prebuilds",
        `${process.platform}-${process.arch}`,
        "@greenthreads+switch.node",
      );
      try {
        cached = { addon: require(prebuild) as NativeAddon };
      } catch {
        throw first;
      }
    }
  } catch (e) {
    cached = { error: e instanceof Error ? e.message.split("\n")[0]! : String(e) };
  }
  return cached;
}

/**
 * Whether the package ships a prebuilt addon for this platform and
 * architecture (a fallback to the emulated backend there is a surprise worth
 * a warning; elsewhere it is expected).
 */
export function prebuildExists(): boolean {
  try {
    const require = createRequire(join(packageRoot(), "package.json"));
    const fs = require("node:fs") as { existsSync(path: string): boolean };
    return fs.existsSync(join(packageRoot(), "prebuilds", `${process.platform}-${process.arch}`));
  } catch {
    return false;
  }
}
