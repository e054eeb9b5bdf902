/**
 * Loading the Node-API addon, and its functions as TypeScript sees them.
 *
 * The addon is found by node-gyp-build: a local build (build/Release) first,
 * then the prebuilt binary for this platform and architecture in
 * prebuilds/. If neither loads, {@link loadAddon} says why instead of
 * throwing, and the emulated backend takes over.
 *
 * Node's built-in modules are reached through `process.getBuiltinModule` when
 * the addon is first loaded, not imported at the top: a browser bundle of this
 * package then contains no Node built-in, and there the addon is simply
 * unavailable.
 *
 * @module
 */

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

/** The Node built-ins the loader needs, or undefined outside Node (a browser). */
function nodeBuiltins() {
  const host = (globalThis as { process?: Partial<NodeJS.Process> }).process;
  if (typeof host?.getBuiltinModule !== "function") return undefined;
  return {
    process: host as NodeJS.Process,
    module: host.getBuiltinModule("node:module") as typeof import("node:module"),
    path: host.getBuiltinModule("node:path") as typeof import("node:path"),
    url: host.getBuiltinModule("node:url") as typeof import("node:url"),
  };
}

/** The package's root directory (src/ and dist/ both sit one level below it). */
function packageRoot({ path, url }: NonNullable<ReturnType<typeof nodeBuiltins>>): string {
  const here = typeof __filename === "string" ? __filename : url.fileURLToPath(import.meta.url);
  const { dirname, join } = path;
  return join(dirname(here), "..", ...(here.includes(`${join("src", "native")}`) ? [".."] : []));
}

let cached: { addon: NativeAddon } | { error: string } | undefined;

/**
 * The addon of this process, or why it could not be loaded. Loaded once.
 */
export function loadAddon(): { addon: NativeAddon } | { error: string } {
  if (cached) return cached;
  const node = nodeBuiltins();
  if (!node) {
    cached = { error: "not running in Node (no process.getBuiltinModule), so no addon can load" };
    return cached;
  }
  const { process } = node;
  const { join } = node.path;
  try {
    const root = packageRoot(node);
    const require = node.module.createRequire(join(root, "package.json"));
    const nodeGypBuild = require("node-gyp-build") as (dir: string) => unknown;
    try {
      cached = { addon: nodeGypBuild(root) as NativeAddon };
    } catch (first) {
      // A local build for another architecture shadows the prebuild: try the prebuild itself.
      const prebuild = join(
        root,
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
