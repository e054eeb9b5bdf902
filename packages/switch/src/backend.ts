/**
 * The backend interface: what the scheduler calls to run machine threads.
 *
 * A machine thread is a thread program of `@greenthreads/isa`, lowered for
 * one ABI and running on a stack of its own. The native backend executes the
 * lowered code on the CPU (through the Node-API addon), the emulated one in
 * the isa's interpreter. Both implement {@link Backend} and give identical
 * traps for the same program, so the scheduler never needs to know which one
 * it holds; {@link loadBackend} picks one.
 *
 * What a backend must supply is small, because everything about the thread
 * control block (setup, resume values, fuel, trap decoding) is the isa's one
 * implementation, `ThreadControl` in `thread-protocol.ts`, and every check and
 * lifecycle rule is `BackendBase`'s: memory for a thread's block, context and
 * stack; a place for lowered code; and "run until trap". Another backend (a
 * WebAssembly one, say, with the block in its linear memory) plugs in by
 * extending `BackendBase` with those.
 *
 * Life of a machine thread:
 *
 * ```
 *   load(program) ──► LoadedProgram ──► spawn() ──► MachineThread "new"
 *                                                       │ resume(value)
 *                          ┌────────────────────────────┤
 *                          ▼                            ▼
 *                      "suspended"  (yield, hostcall,  "exited" / "faulted"
 *                      budget: resume again)            (final: release)
 *                          │ release()                   │ release()
 *                          ▼                             ▼
 *                      "released" ◄──────────────────────┘
 * ```
 *
 * @module
 */
import type { Abi, Program, Trap } from "@greenthreads/isa";
import type { Stack, StackAllocator } from "@greenthreads/stack";
import type { TurnResult, TurnRing } from "./turns.js";

/**
 * Which kind of backend runs the threads.
 *
 * @example
 * ```ts
 * import type { BackendKind } from "@greenthreads/switch";
 * const kind: BackendKind = "emulated";
 * ```
 */
export type BackendKind = "native" | "emulated" | "wasm";

/**
 * Options of {@link Backend.load}.
 *
 * @example
 * ```ts
 * import type { LoadOptions } from "@greenthreads/switch";
 * const options: LoadOptions = { fuel: true };
 * ```
 */
export interface LoadOptions {
  /** Make the code count an instruction budget, so that threads may be spawned with one. Default false. */
  readonly fuel?: boolean;
}

/**
 * Options of {@link Backend.spawn}.
 *
 * @example
 * ```ts
 * import type { SpawnOptions } from "@greenthreads/switch";
 * const options: SpawnOptions = { stackSize: 16384, budget: 1000n };
 * ```
 */
export interface SpawnOptions {
  /**
   * Usable stack bytes: a page multiple accepted by the backend's allocator,
   * at most {@link MAX_STACK_SIZE}. Absent: {@link DEFAULT_STACK_SIZE} (`null`
   * is not absent: it is refused).
   */
  readonly stackSize?: number;
  /**
   * Instructions per run before a `budget` trap (needs a program loaded with
   * `fuel`); refilled on each resume after one. The isa's one rule
   * (`toBudget`): 1 to 2^64 - 1, a bigint or an integer number.
   */
  readonly budget?: bigint | number;
}

/**
 * The stack size a thread gets when {@link SpawnOptions.stackSize} is not given.
 *
 * @example
 * ```ts
 * import { DEFAULT_STACK_SIZE } from "@greenthreads/switch";
 * console.log(DEFAULT_STACK_SIZE); // 16384
 * ```
 */
export const DEFAULT_STACK_SIZE = 16384;

/**
 * The largest stack any backend gives a thread: 64 MiB. The same on every
 * backend, so that a program that runs on one runs on all; a larger
 * `stackSize` is {@link SwitchError} `BAD_STACK_SIZE` everywhere.
 *
 * @example
 * ```ts
 * import { MAX_STACK_SIZE } from "@greenthreads/switch";
 * console.log(MAX_STACK_SIZE); // 67108864
 * ```
 */
export const MAX_STACK_SIZE = 64 * 1024 * 1024;

/**
 * A verified program, lowered for the backend's ABI and placed in executable
 * memory (never writable at the same time). Threads of it are made with
 * {@link Backend.spawn}. The code is freed by {@link Backend.unload}, or
 * when nothing references this object any more (finalization), and in both
 * cases only once its last thread is released. Only the very object that
 * `load` returned is accepted by `spawn` (a copy is not).
 *
 * @example
 * ```ts
 * import { parseProgram } from "@greenthreads/isa";
 * import { loadBackend } from "@greenthreads/switch";
 * const loaded = loadBackend().load(parseProgram("exit 0"));
 * console.log(loaded.codeSize > 0); // true
 * ```
 */
export interface LoadedProgram {
  /** The kind of backend that loaded it. */
  readonly backend: BackendKind;
  /** The program as loaded: a frozen copy of the one given. */
  readonly program: Program;
  /** Whether the code counts fuel. */
  readonly fuel: boolean;
  /** Bytes of machine code. */
  readonly codeSize: number;
}

/**
 * Where a machine thread stands: `new` before its first resume, `suspended`
 * after a yield, host call or budget trap, `exited` or `faulted` after its
 * final trap, `released` after {@link Backend.release}.
 *
 * @example
 * ```ts
 * import type { MachineThreadState } from "@greenthreads/switch";
 * const s: MachineThreadState = "suspended";
 * ```
 */
export type MachineThreadState = "new" | "suspended" | "exited" | "faulted" | "released";

/**
 * A machine thread: a loaded program running on a stack of its own.
 *
 * @example
 * ```ts
 * import { parseProgram } from "@greenthreads/isa";
 * import { loadBackend } from "@greenthreads/switch";
 * const backend = loadBackend();
 * const thread = backend.spawn(backend.load(parseProgram("exit 0")));
 * console.log(thread.state, thread.stack.size); // "new" 16384
 * ```
 */
export interface MachineThread {
  readonly program: LoadedProgram;
  /** The thread's stack (from the backend's {@link Backend.stacks}). */
  readonly stack: Stack;
  /** Words the program may push on that stack. */
  readonly capacityWords: number;
  /** The budget refilled after each budget trap, if any. */
  readonly budget: bigint | undefined;
  readonly state: MachineThreadState;
  /** The last trap, `undefined` before the first resume. */
  readonly lastTrap: Trap | undefined;
}

/**
 * A way to run machine threads: native (the CPU, through the Node-API
 * addon) or emulated (the isa's interpreter). Get one with
 * {@link loadBackend}.
 *
 * @example
 * ```ts
 * import { parseProgram } from "@greenthreads/isa";
 * import { loadBackend } from "@greenthreads/switch";
 * const backend = loadBackend();
 * const program = backend.load(parseProgram("hostcall add(r0) -> r1\nyield r1\nexit 0"));
 * const thread = backend.spawn(program);
 * console.log(backend.resume(thread)); // { kind: "hostcall", name: "add", args: [0n] }
 * console.log(backend.resume(thread, 42n)); // { kind: "yield", value: 42n }
 * console.log(backend.resume(thread)); // { kind: "exit", code: 0n }
 * backend.release(thread);
 * backend.unload(program);
 * ```
 */
export interface Backend {
  readonly kind: BackendKind;
  /** The ABI it runs (the emulated backend may emulate a non-host ABI). */
  readonly abi: Abi;
  /** Why this backend was chosen (set by {@link loadBackend}). */
  readonly reason: string;
  /** Where thread stacks come from. */
  readonly stacks: StackAllocator;
  /**
   * Copies, verifies, lowers and places a program. Throws {@link SwitchError}
   * `INVALID_PROGRAM` (for any input that is not a valid program; cause: the
   * isa's `VERIFY_ERROR` when it failed verification), `BAD_OPTIONS` or
   * `OUT_OF_MEMORY`; never another error.
   */
  load(program: Program, options?: LoadOptions): LoadedProgram;
  /**
   * Frees a loaded program's code once its last thread is released (at once
   * when it has none); it can spawn no more threads. Throws
   * {@link SwitchError} `FOREIGN_PROGRAM`, or `PROGRAM_UNLOADED` the second time.
   */
  unload(program: LoadedProgram): void;
  /**
   * A new thread of a loaded program, on a new stack. Throws
   * {@link SwitchError} `FOREIGN_PROGRAM`, `PROGRAM_UNLOADED`,
   * `BAD_STACK_SIZE`, `BAD_BUDGET`, `BAD_OPTIONS`, `OUT_OF_MEMORY`.
   */
  spawn(program: LoadedProgram, options?: SpawnOptions): MachineThread;
  /**
   * Runs the thread until its next trap. `value` answers the previous trap
   * (the result of a host call or yield with a destination register).
   * Throws {@link SwitchError} `THREAD_RELEASED`, `THREAD_FINISHED`,
   * `FOREIGN_THREAD`, `BAD_VALUE`.
   */
  resume(thread: MachineThread, value?: bigint): Trap;
  /**
   * Runs the ring's threads in turn, each until its next trap, as the same
   * number of `resume(thread)` calls in ring order would, without returning
   * to the caller between threads (see {@link TurnRing} and `turns.ts`). A
   * turn ends at a yield or budget trap that the thread's TURN_* bits allow;
   * the run stops at any other trap (returned as `pending`), before a thread
   * it may not answer, after `limit` runs (turns, and the pending run) or
   * when `timeLimitMs` has passed. Throws {@link SwitchError} `BAD_OPTIONS`
   * for bad arguments; a foreign or finished thread simply stops the run.
   */
  runTurns(ring: TurnRing, limit?: number, timeLimitMs?: number): TurnResult;
  /** Gives the thread's stack back and forgets it. Throws {@link SwitchError} `THREAD_RELEASED` the second time. */
  release(thread: MachineThread): void;
  /**
   * The stack pointer saved in a suspended thread's context: where its stack
   * ends, for `dumpStack` of `@greenthreads/stack`. Throws
   * {@link SwitchError} `THREAD_RELEASED` or `FOREIGN_THREAD`.
   */
  savedStackPointer(thread: MachineThread): bigint;
  /**
   * The addresses of the ABI's generated routines (switch, start, exit) by
   * symbol, so that a stack dump can name a return address.
   */
  readonly routineSymbols: ReadonlyMap<bigint, string>;
}
