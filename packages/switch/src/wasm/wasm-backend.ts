/**
 * The WebAssembly backend: thread programs compiled to WebAssembly and run
 * by the JavaScript engine, wherever there is one.
 *
 * Where the native addon cannot load (a browser, Deno, a platform without a
 * prebuild) this is the fast fallback. Per program, the isa lowers it to a
 * module (`lowerProgramToWasm`) that imports this backend's one linear
 * memory and exports `resume(block)` (a program of more than 16,384
 * instructions is several functions behind it, so that every program the
 * isa accepts stays within the engine's limits); the module is compiled and
 * instantiated once, and every thread of the program shares the instance.
 * Per thread, the backend carves a thread block and a stack out of the
 * memory:
 *
 * ```
 *   JavaScript (main stack)                  linear memory (one per backend)
 *   ───────────────────────                  ────────────────────────────────
 *   backend.resume(thread, v)                block: control block, saved sp
 *     control.enter(v)  ── resume value ──►    r<dst> or fuel
 *     instance.resume(block) ────────────►   (runs until a trap: locals r0..r7,
 *                                             words on the thread's stack)
 *     control.leave()   ◄── trap record ──    trap kind, a, instruction, index
 *   ◄ Trap
 * ```
 *
 * A resume is an ordinary call of an exported function and a trap its
 * return, so no stack switching is needed from the engine, and nothing of
 * Node is used: the backend runs in any JavaScript engine with WebAssembly
 * (see `webAssembly()` of the isa). There are no machine routines and no
 * machine ABI: the code is the same on every host; `abi` names the ABI of
 * the host (or the one asked for) only because callers print it.
 *
 * @module
 */
import {
  type Abi,
  type AbiName,
  getAbi,
  hostAbi,
  lowering,
  type Program,
  protocol,
  type Trap,
  wasm,
} from "@greenthreads/isa";
import type { Stack } from "@greenthreads/stack";
import type { LoadedProgram } from "../backend.js";
import { BackendBase, type ProgramRecord, ThreadRecord } from "../backend-base.js";
import { SwitchError } from "../errors.js";
import { LinearMemoryFull, WasmLinearMemory } from "./wasm-linear-memory.js";
import { WasmStackAllocator } from "./wasm-stack-allocator.js";

const { TCB, ThreadControl, resumeSlots } = protocol;
const { stackCapacityWords } = lowering;
const { WASM_INTERFACE, WASM_THREAD_BLOCK, encodeWasmModule, lowerProgramToWasm, webAssembly } =
  wasm;

interface WasmProgram extends ProgramRecord {
  /** The instance's `resume(block) -> trap kind`. */
  readonly resume: (block: number) => number;
}

class WasmThread extends ThreadRecord {
  declare readonly code: WasmProgram;

  constructor(
    owner: object,
    program: LoadedProgram,
    code: WasmProgram,
    stack: Stack,
    capacityWords: number,
    control: protocol.ThreadControl,
    readonly block: number,
  ) {
    super(owner, program, code, stack, capacityWords, control);
  }
}

/**
 * Options of {@link WasmBackend}.
 *
 * @example
 * ```ts
 * import type { WasmBackendOptions } from "@greenthreads/switch";
 * const options: WasmBackendOptions = { abi: "aarch64-aapcs64" };
 * ```
 */
export interface WasmBackendOptions {
  /** The ABI `backend.abi` names; default the host's (or x86-64 System V). The code does not depend on it. */
  readonly abi?: AbiName;
}

/**
 * Runs machine threads as WebAssembly in the JavaScript engine. Normally made
 * by {@link loadBackend}; constructing it throws {@link SwitchError}
 * `WASM_UNAVAILABLE` where the engine has no WebAssembly.
 *
 * @example
 * ```ts
 * import { parseProgram } from "@greenthreads/isa";
 * import { WasmBackend } from "@greenthreads/switch";
 * const backend = new WasmBackend();
 * const thread = backend.spawn(backend.load(parseProgram("yield 1\nexit 2")));
 * console.log(backend.resume(thread), backend.resume(thread)); // { kind: "yield", value: 1n } { kind: "exit", code: 2n }
 * backend.release(thread);
 * ```
 */
export class WasmBackend extends BackendBase<WasmProgram, WasmThread> {
  readonly kind = "wasm" as const;
  readonly abi: Abi;
  readonly stacks: WasmStackAllocator;
  readonly routineSymbols: ReadonlyMap<bigint, string> = new Map();
  readonly #api: wasm.WasmJsApi;
  readonly #memory: WasmLinearMemory;
  readonly #imports: Record<string, Record<string, unknown>>;
  /** Live threads, whose control blocks are viewed again when the memory grows. */
  readonly #live = new Set<WasmThread>();

  constructor(options: WasmBackendOptions = {}) {
    super();
    const api = webAssembly();
    if (api === undefined) {
      throw new SwitchError(
        "WASM_UNAVAILABLE",
        "wasm backend: this JavaScript engine has no WebAssembly (or it is disabled); use the interpreted backend",
      );
    }
    this.#api = api;
    // Through globalThis: in a browser there is no process.
    const host = (globalThis as { process?: { platform?: string; arch?: string } }).process;
    this.abi = getAbi(
      options.abi ?? hostAbi(host?.platform ?? "", host?.arch ?? "")?.name ?? "x86_64-sysv",
    );
    this.#memory = new WasmLinearMemory(api);
    this.#memory.onGrow = (buffer) => {
      for (const t of this.#live) t.control.attach(buffer, t.block);
    };
    this.#imports = { [WASM_INTERFACE.module]: { [WASM_INTERFACE.memory]: this.#memory.memory } };
    this.stacks = new WasmStackAllocator(this.#memory);
  }

  /** Bytes of the backend's linear memory (it grows as threads are spawned). */
  get memoryBytes(): number {
    return this.#memory.size;
  }

  protected place(program: Program, fuel: boolean): WasmProgram {
    const bytes = encodeWasmModule(lowerProgramToWasm(program, { fuel }));
    let instance: wasm.WasmInstanceObject;
    try {
      instance = new this.#api.Instance(new this.#api.Module(bytes), this.#imports);
    } catch (cause) {
      // Every program the isa accepts fits V8's limits; another engine's, or its memory, may not.
      throw new SwitchError(
        "OUT_OF_MEMORY",
        `wasm backend: load: the engine cannot compile the program's ${bytes.length}-byte module (${cause instanceof Error ? cause.message : String(cause)}); split the program or use the native or emulated backend`,
        { cause },
      );
    }
    return {
      program,
      fuel,
      slots: resumeSlots(program),
      codeSize: bytes.length,
      resume: instance.exports[WASM_INTERFACE.resume] as (block: number) => number,
    };
  }

  protected create(
    program: LoadedProgram,
    code: WasmProgram,
    stack: Stack,
    budget: bigint | undefined,
  ): WasmThread {
    const memory = this.#memory;
    const capacityWords = stackCapacityWords(stack.size);
    let block: number;
    try {
      block = memory.allocateBlock();
    } catch (cause) {
      if (!(cause instanceof LinearMemoryFull)) throw cause;
      throw new SwitchError("OUT_OF_MEMORY", `wasm backend: spawn: ${cause.message}`, { cause });
    }
    // The program's empty stack starts at the top: no machine frame lives below it.
    const high = Number(stack.high);
    const limit = high - 8 * capacityWords;
    // No switch: the host and thread contexts and the switch routine stay 0.
    const control = new ThreadControl(
      code.program,
      code.slots,
      memory.memory.buffer,
      block,
      budget,
      {
        stackLimit: BigInt(limit),
        hostContext: 0n,
        threadContext: 0n,
        switchRoutine: 0n,
      },
    );
    control.words[TCB.stackHigh >> 3] = BigInt(high);
    memory.view.setUint32(block + WASM_THREAD_BLOCK.stackPointer, high, true);
    const thread = new WasmThread(this, program, code, stack, capacityWords, control, block);
    this.#live.add(thread);
    return thread;
  }

  protected runUntilTrap(thread: WasmThread): Trap | undefined {
    try {
      thread.code.resume(thread.block);
    } catch (cause) {
      // The lowered code checks every access itself; an engine trap means the block was overwritten.
      throw new SwitchError(
        "CORRUPT_THREAD",
        `wasm backend: resume: the engine stopped the thread: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    return undefined;
  }

  protected freeCode(_program: WasmProgram): void {
    // The instance and its compiled code go with the last reference to the record.
  }

  protected contextStackPointer(thread: WasmThread): bigint {
    return BigInt(this.#memory.view.getUint32(thread.block + WASM_THREAD_BLOCK.stackPointer, true));
  }

  protected destroy(thread: WasmThread): void {
    this.#live.delete(thread);
    thread.control.detach();
    this.#memory.releaseBlock(thread.block);
  }
}
