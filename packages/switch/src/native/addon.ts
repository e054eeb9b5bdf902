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
  /** Thread slots per chunk of control blocks (ids `c * threadsPerChunk + slot`). */
  readonly threadsPerChunk: number;
  /** Bytes of signal headroom between each stack's guard and its usable part (native/addon/signals_posix.c). */
  readonly signalHeadroom: number;
  readonly switchRoutine: bigint;
  readonly startRoutine: bigint;
  readonly exitRoutine: bigint;
}

/** What the addon measured about signal delivery, and the state of the handlers now. */
export interface SignalInfo {
  /** Bytes of the kernel's signal frame: max(AT_MINSIGSTKSZ, sysconf(_SC_MINSIGSTKSZ)). */
  readonly frameSize: number;
  /** getauxval(AT_MINSIGSTKSZ); 0 where the kernel reports none. */
  readonly auxvMinSigStackSize: number;
  /** Bytes of headroom below every stack. */
  readonly headroom: number;
  /** Bytes of this OS thread's alternate signal stack. */
  readonly altStackSize: number;
  /** How many times the fault handler was found replaced and installed again. */
  readonly faultHandlerReinstalls: number;
  /** Signals whose handler lacks SA_ONSTACK now (covered at the next covering). */
  readonly uncovered: readonly number[];
}

/** The mapping budget of the native stack allocator. */
export interface MappingBudget {
  /** vm.max_map_count. */
  readonly maxMapCount: number;
  /** Mappings the process may have before the allocator refuses stacks (the rest is Node's margin). */
  readonly budget: number;
  /** Mappings the addon holds (two per stack, one per code region). */
  readonly ours: number;
  /** Mappings of the whole process at the last count (-1: never counted). */
  readonly total: number;
}

/** An opaque handle of a native code region. */
export type RegionHandle = { readonly __region: unique symbol };

/** The functions of the addon (see native/addon/*.c). */
export interface NativeAddon {
  empty(): void;
  info(): AddonInfo;
  /**
   * Sets the ABI's context size, where contexts start in a block, and the
   * control-block fields turns use (block-layout.ts); returns the host context's address.
   */
  configure(contextSize: number, contextOffset: number, protocol: Uint32Array): bigint;
  /** Maps a stack: [id, low, headroom bytes]. Throws MAP_LIMIT near vm.max_map_count. */
  stackMap(size: number, guard: number): [number, bigint, number];
  /** Unmaps a stack now. */
  stackUnmap(id: number): void;
  /** Copies the bytes at `low + offset` (may start in the headroom; guard pages read as zeros) into `out`. */
  stackPeek(id: number, offset: number, out: Uint8Array): void;
  /** Copies `bytes` to `low + offset`, inside the usable stack. */
  stackPoke(id: number, offset: number, bytes: Uint8Array): void;
  /** The mapping budget; `recount` counts the process's mappings now. */
  mappings(recount?: boolean): MappingBudget;
  /** Maps code read-execute, with its program's resume slots (per instruction, a register word or -1). */
  codeMap(bytes: Uint8Array, slots?: Int32Array): [RegionHandle, undefined, bigint];
  regionRelease(handle: RegionHandle): void;
  /** Takes a thread slot for a live stack and its program's code; returns its id. Its block is zeroed. */
  threadCreate(stackId: number, code: RegionHandle): number;
  /** The blocks of a chunk of thread slots as one ArrayBuffer, and its address. Call once per chunk. */
  threadBlocks(chunk: number): [ArrayBuffer, bigint];
  /** Resumes the thread whose id is in `selection[0]` (as a uint32). Throws BAD_THREAD for a stale id. */
  resume(): void;
  /** 8 bytes of the addon's own memory: the id of the thread `resume()` runs goes at offset 0. */
  readonly selection: ArrayBuffer;
  /** Resumes `n` times without returning to JavaScript (stops at a trap that is not a yield); returns how many ran. */
  resumeMany(id: number, n: number): number;
  /**
   * A turn buffer for rings of up to `capacity` threads (turns.c: a header of
   * count, capacity, maxRuns, timeNs and result, then the ids, then their
   * TURN_* bits); it replaces the last one.
   */
  turnBuffer(capacity: number): ArrayBuffer;
  /** Runs the ring in the turn buffer; the result (runs * 2, + 1 if pending) goes into it. */
  runTurns(): void;
  /** Frees a thread slot now. */
  threadRelease(id: number): void;
  /** [signal, fault address, pc] of the machine fault that stopped a thread. */
  threadFault(id: number): [number, bigint, bigint];
  /** Whether the kernel has the addon's SIGSEGV and SIGBUS handler now. */
  faultHandlerInstalled(): boolean;
  /** Adds SA_ONSTACK to every handler that lacks it and re-installs a replaced fault handler; returns how many handlers changed. */
  signalsCover(): number;
  signalInfo(): SignalInfo;
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

/**
 * Whether the package ships a prebuilt addon for this platform and
 * architecture (a fallback to the emulated backend there is a surprise worth
 * a warning; elsewhere it is expected).
 */
export function prebuildExists(): boolean {
  const node = nodeBuiltins();
  if (!node) return false;
  const { join } = node.path;
  try {
    const fs = node.process.getBuiltinModule("node:fs") as typeof import("node:fs");
    const { platform, arch } = node.process;
    return fs.existsSync(join(packageRoot(node), "prebuilds", `${platform}-${arch}`));
  } catch {
    return false;
  }
}
