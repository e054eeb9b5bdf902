/**
 * The options of spawnMachine(), and the host calls a machine thread makes.
 */
import type { Backend } from "@greenthreads/switch";
import type { SpawnOptions } from "../index.js";

/**
 * What a host call may return: a value for the program's destination
 * register (`bigint`, a safe integer `number`, or nothing for 0), or a promise
 * of one, which parks the thread until it settles (under `runAsync` only).
 *
 * @example
 * ```ts
 * import type { HostCallResult } from "@greenthreads/scheduler/machine";
 * const r: HostCallResult = 42n;
 * ```
 */
export type HostCallResult = bigint | number | undefined | void;

/**
 * A host call: a plain JavaScript function of the program's register values.
 * It answers with a value, a promise of one, or a green operation (a
 * generator, e.g. `ch.recv()`, `m.lock()`, `withTimeout(ms, op)`), which runs
 * in the machine thread and may block it like a JavaScript thread; what it
 * returns goes to the program's destination register.
 *
 * @example
 * ```ts
 * import type { HostCall } from "@greenthreads/scheduler/machine";
 * const add: HostCall = (a, b) => a + b;
 * ```
 */
export type HostCall = (
  ...args: bigint[]
) => HostCallResult | PromiseLike<HostCallResult> | Generator<unknown, HostCallResult, unknown>;

/**
 * Options of `spawnMachine(rt, program, options)`.
 *
 * @example
 * ```ts
 * import type { MachineSpawnOptions } from "@greenthreads/scheduler/machine";
 * const o: MachineSpawnOptions = { name: "counter", budget: 1000, hostcalls: { print: (x) => console.log(x) } };
 * ```
 */
export interface MachineSpawnOptions extends SpawnOptions {
  /** Where the thread runs. Default: `loadBackend()` (native when it works here, else emulated), shared per runtime. */
  readonly backend?: Backend;
  /** The functions the program may call by name. Every name the program uses must be here. */
  readonly hostcalls?: Readonly<Record<string, HostCall>>;
  /** Bytes of stack (default: the backend's). */
  readonly stackSize?: number;
  /**
   * Instructions the thread may run before it is preempted, refilled each
   * time. Default: `DEFAULT_BUDGET`, which preempts only under
   * `runAsync()`, so the host gets its turn every `sliceMs`; `Infinity`: never
   * preempted, even under `runAsync()` (the program then counts no fuel).
   */
  readonly budget?: number | bigint;
  /** Called at each `yield` of the program; what it returns resumes a `yield src -> rd`. */
  readonly onYield?: (value: bigint) => bigint | number | undefined | void;
}
