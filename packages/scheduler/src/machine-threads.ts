/**
 * Machine threads in the runtime: thread programs of `@greenthreads/isa`,
 * running on real (or emulated) stacks of `@greenthreads/switch`, scheduled
 * by the same policy as JavaScript threads.
 *
 * A machine thread is a thread whose driver is {@link MachineDriver} instead
 * of the generator driver. Stepping it resumes the machine thread on its
 * backend until it traps, and each trap maps onto the runtime's vocabulary:
 *
 * ```
 *   trap       what the driver does                       step result
 *   ─────────  ─────────────────────────────────────────  ───────────
 *   yield      asks onYield for the value to resume with  yielded
 *   budget     nothing: the thread was preempted          yielded
 *   hostcall   calls the JavaScript function; a value     (resumes at once)
 *              resumes the thread at once, a promise
 *              parks it until it settles (runAsync only)  blocked
 *              and a generator (a green operation such
 *              as `ch.recv()`) runs as the thread: it     blocked/yielded
 *              may block on any Blocker, and what it
 *              returns resumes the program
 *   exit       releases the stack; the exit code is the   returned
 *              thread's value
 *   fault      releases the stack; a MachineFaultError    threw
 *              is the thread's error
 * ```
 *
 * The budget is what JavaScript threads cannot have: a machine thread that
 * never yields is still preempted after `budget` instructions and goes back
 * to the policy, like any thread that yielded. Host calls are plain functions
 * because they run on the main stack, between two resumes, never on the
 * thread's stack.
 *
 * @module
 */
import { type Program, parseProgram, type Trap, verifyProgram } from "@greenthreads/isa";
import {
  type Backend,
  type LoadedProgram,
  loadBackend,
  type MachineThread,
} from "@greenthreads/switch";
import { SchedulerError, type SchedulerErrorCode } from "./errors.js";
import type { Runtime } from "./runtime.js";
import { wake } from "./runtime.js";
import type { SpawnOptions } from "./scheduler.js";
import {
  type Blocker,
  NOT_RUNNABLE,
  PARK,
  RESUME_MASK,
  RESUME_RETURN,
  RESUME_THROW,
  STEP_BLOCK,
  STEP_RETURN,
  STEP_THROW,
  STEP_YIELD,
  type StepResult,
  type Thread,
  type ThreadDriver,
  takeResumeMode,
} from "./thread.js";

/**
 * What a host call may return: a value for the program's destination
 * register (`bigint`, a safe integer `number`, or nothing for 0), or a promise
 * of one, which parks the thread until it settles (under `runAsync` only).
 *
 * @example
 * ```ts
 * import type { HostCallResult } from "@greenthreads/scheduler";
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
 * import type { HostCall } from "@greenthreads/scheduler";
 * const add: HostCall = (a, b) => a + b;
 * ```
 */
export type HostCall = (
  ...args: bigint[]
) => HostCallResult | PromiseLike<HostCallResult> | Generator<unknown, HostCallResult, unknown>;

/**
 * Options of {@link Runtime.spawnMachine}.
 *
 * @example
 * ```ts
 * import type { MachineSpawnOptions } from "@greenthreads/scheduler";
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
  /** Instructions the thread may run before it is preempted (default: never preempted). */
  readonly budget?: number | bigint;
  /** Called at each `yield` of the program; what it returns resumes a `yield src -> rd`. */
  readonly onYield?: (value: bigint) => bigint | number | undefined | void;
}

/**
 * The error a machine thread ends with when its program faults: the fault's
 * kind and where, in program terms.
 *
 * @example
 * ```ts
 * import { MachineFaultError, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const t = rt.spawnMachine("push 1\npop r0\npop r0\nexit 0");
 * try { rt.run(); } catch {}
 * const error = t.outcome?.kind === "threw" ? t.outcome.error : undefined;
 * if (error instanceof MachineFaultError) console.log(error.fault, error.line); // "out-of-bounds" 3
 * ```
 */
export class MachineFaultError extends SchedulerError {
  static readonly defaultCode: SchedulerErrorCode = "MACHINE_FAULT";
  /** `stack-overflow` or `out-of-bounds`. */
  readonly fault: string;
  /** Index of the faulting program instruction. */
  readonly instruction: number;
  /** Its source line. */
  readonly line: number;
  /** The offending index or return value, when there is one. */
  readonly index?: bigint;

  constructor(thread: Thread, trap: Extract<Trap, { kind: "fault" }>) {
    const { instruction, line, index } = trap.details;
    super(
      `machine thread faulted: ${trap.fault} at instruction ${instruction} (line ${line})` +
        (index === undefined ? "" : `, index ${index}`),
      { thread },
    );
    this.name = "MachineFaultError";
    this.fault = trap.fault;
    this.instruction = instruction;
    this.line = line;
    if (index !== undefined) this.index = index;
  }
}

/** What a machine thread's body is: the machine thread and how to answer its traps. */
interface MachineBody {
  readonly backend: Backend;
  readonly machine: MachineThread;
  readonly hostcalls: Readonly<Record<string, HostCall>>;
  readonly onYield: MachineSpawnOptions["onYield"];
  /** The value the next resume passes (a host call's or onYield's answer). */
  next: bigint;
  released: boolean;
  /** A host call's green operation still running, or null. */
  op: Generator<unknown, unknown, unknown> | null;
  /** The thread was cancelled while `op` ran: it ends once `op` has. */
  cancelled: boolean;
}

/** What driveOp() says when the operation is done and the program goes on. */
const OP_DONE = -1;

/** A host call's promise, as a blocker the runtime can describe and cancel. */
class HostCallWait implements Blocker {
  cancelled = false;
  constructor(
    readonly runtime: Runtime,
    readonly name: string,
  ) {}
  describeWait(): string {
    return `host call ${this.name}() to settle`;
  }
  cancelWait(): void {
    this.cancelled = true;
    this.runtime._pending--;
  }
}

const toStringTag = Object.prototype.toString;

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  (typeof v === "object" || typeof v === "function") &&
  v !== null &&
  typeof (v as { then?: unknown }).then === "function";

/** A host call's or onYield's answer as a register value. */
function registerValue(v: unknown, what: string, thread: Thread): bigint {
  if (v === undefined) return 0n;
  if (typeof v === "bigint") return BigInt.asUintN(64, v);
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt.asUintN(64, BigInt(v));
  throw new SchedulerError(
    `${what} returned ${typeof v === "number" ? v : typeof v}; return a bigint, a safe integer or nothing`,
    { code: "BAD_HOSTCALL_RESULT", thread },
  );
}

/**
 * Steps machine threads: resumes each on its backend until it traps, and
 * maps the trap onto the runtime's step results (see the module comment).
 * One per runtime, made by {@link Runtime.spawnMachine}.
 *
 * @example
 * ```ts
 * import { MachineDriver, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * console.log(new MachineDriver(rt).kind); // "machine"
 * ```
 */
export class MachineDriver implements ThreadDriver {
  readonly kind = "machine";
  readonly runtime: Runtime;

  constructor(runtime: Runtime) {
    this.runtime = runtime;
  }

  step(t: Thread): StepResult {
    const body = t._body as MachineBody;
    const special = t._flags & RESUME_MASK;
    if (special >= NOT_RUNNABLE) this.runtime._badPick(t);
    if (body.op !== null) {
      const value = t._value;
      t._value = undefined;
      const r = this.#driveOp(t, body, special === 0 ? 0 : takeResumeMode(t), value);
      if (r !== OP_DONE) return r;
    } else if (special !== 0) {
      const value = t._value;
      t._value = undefined;
      const mode = takeResumeMode(t);
      if (mode & RESUME_RETURN) {
        this.#release(body);
        return STEP_RETURN;
      }
      if (mode & RESUME_THROW) return this.#fail(t, body, value);
      try {
        body.next = registerValue(value, "the host call's promise", t);
      } catch (e) {
        return this.#fail(t, body, e);
      }
    }
    for (;;) {
      let trap: Trap;
      try {
        trap = body.backend.resume(body.machine, body.next);
      } catch (e) {
        return this.#fail(t, body, e);
      }
      body.next = 0n;
      switch (trap.kind) {
        case "budget":
          return STEP_YIELD;
        case "yield":
          if (body.onYield !== undefined) {
            try {
              body.next = registerValue(body.onYield(trap.value), "onYield", t);
            } catch (e) {
              return this.#fail(t, body, e);
            }
          }
          return STEP_YIELD;
        case "exit":
          this.#release(body);
          t._value = trap.code;
          return STEP_RETURN;
        case "fault":
          return this.#fail(t, body, new MachineFaultError(t, trap));
        case "hostcall": {
          let result: unknown;
          try {
            result = body.hostcalls[trap.name]!(...trap.args);
            if (toStringTag.call(result) === "[object Generator]") {
              body.op = result as Generator<unknown, unknown, unknown>;
              const r = this.#driveOp(t, body, 0, undefined);
              if (r !== OP_DONE) return r;
              continue;
            }
            if (!isThenable(result)) {
              body.next = registerValue(result, `host call ${trap.name}()`, t);
              continue;
            }
          } catch (e) {
            return this.#fail(t, body, e);
          }
          return this.#park(t, body, trap.name, result);
        }
      }
    }
  }

  dispose(t: Thread): void {
    this.#release(t._body as MachineBody);
  }

  /**
   * Step a host call's green operation once with the resume mode and value:
   * it yields (STEP_YIELD), parks (STEP_BLOCK), fails the thread, or is done
   * (OP_DONE, its value in body.next; or STEP_RETURN if it was cancelled).
   */
  #driveOp(
    t: Thread,
    body: MachineBody,
    mode: number,
    value: unknown,
  ): StepResult | typeof OP_DONE {
    const op = body.op!;
    let r: IteratorResult<unknown, unknown>;
    try {
      if (mode & RESUME_RETURN) {
        body.cancelled = true;
        r = op.return(undefined);
      } else if (mode & RESUME_THROW) {
        r = op.throw(value);
      } else {
        r = op.next(value);
      }
    } catch (e) {
      body.op = null;
      return this.#fail(t, body, e);
    }
    if (r.done !== true) return r.value === PARK ? STEP_BLOCK : STEP_YIELD;
    body.op = null;
    if (body.cancelled) {
      this.#release(body);
      return STEP_RETURN;
    }
    try {
      body.next = registerValue(r.value, "the host call's operation", t);
    } catch (e) {
      return this.#fail(t, body, e);
    }
    return OP_DONE;
  }

  /** A host call returned a promise: the thread blocks until it settles. */
  #park(t: Thread, body: MachineBody, name: string, promise: PromiseLike<unknown>): StepResult {
    const rt = this.runtime;
    if (!rt._async) {
      return this.#fail(
        t,
        body,
        new SchedulerError(
          `host call ${name}() returned a promise, which needs rt.runAsync(): under rt.run() no promise can settle`,
          { code: "NEEDS_RUN_ASYNC", thread: t },
        ),
      );
    }
    const w = new HostCallWait(rt, name);
    rt._pending++;
    Promise.resolve(promise).then(
      (value) => {
        if (w.cancelled) return;
        rt._pending--;
        wake(t, value);
      },
      (error: unknown) => {
        if (w.cancelled) return;
        rt._pending--;
        wake(t, error, true);
      },
    );
    t._waitingOn = w;
    return STEP_BLOCK;
  }

  #fail(t: Thread, body: MachineBody, error: unknown): StepResult {
    this.#release(body);
    t._value = error;
    return STEP_THROW;
  }

  /** The stack goes back to the backend's allocator as soon as the thread ends. */
  #release(body: MachineBody): void {
    if (body.released) return;
    body.released = true;
    body.backend.release(body.machine);
  }
}

const defaultBackends = new WeakMap<Runtime, Backend>();
const drivers = new WeakMap<Runtime, MachineDriver>();
const loaded = new WeakMap<
  Backend,
  WeakMap<Program, { fuel?: LoadedProgram; plain?: LoadedProgram }>
>();

/** A program loaded once per backend (with or without fuel) and shared by its threads. */
function load(backend: Backend, program: Program, fuel: boolean): LoadedProgram {
  let perBackend = loaded.get(backend);
  if (!perBackend) {
    perBackend = new WeakMap();
    loaded.set(backend, perBackend);
  }
  let entry = perBackend.get(program);
  if (!entry) {
    entry = {};
    perBackend.set(program, entry);
  }
  const key = fuel ? "fuel" : "plain";
  const found = entry[key];
  if (found) return found;
  const made = backend.load(program, { fuel });
  entry[key] = made;
  return made;
}

/**
 * Spawns a machine thread on `rt` (what {@link Runtime.spawnMachine} does).
 *
 * @example
 * ```ts
 * import { Runtime, spawnMachine } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const t = spawnMachine(rt, "exit 7");
 * rt.run();
 * console.log(t.result); // 7n
 * ```
 */
export function spawnMachine(
  rt: Runtime,
  program: Program | string,
  options: MachineSpawnOptions = {},
): Thread<bigint> {
  if (typeof options !== "object" || options === null) {
    throw new SchedulerError("spawnMachine(): options must be an object", { code: "BAD_ARGUMENT" });
  }
  const who =
    options.name === undefined
      ? "machine thread"
      : `machine thread ${JSON.stringify(options.name)}`;
  const hostcalls = options.hostcalls ?? {};
  for (const [name, fn] of Object.entries(hostcalls)) {
    if (typeof fn !== "function") {
      throw new SchedulerError(`spawnMachine(): ${who}: host call "${name}" must be a function`, {
        code: "BAD_ARGUMENT",
      });
    }
  }
  if (options.onYield !== undefined && typeof options.onYield !== "function") {
    throw new SchedulerError(`spawnMachine(): ${who}: onYield must be a function`, {
      code: "BAD_ARGUMENT",
    });
  }
  let budget: bigint | undefined;
  if (options.budget !== undefined) {
    const b = options.budget;
    if (
      !(
        (typeof b === "bigint" && b > 0n) ||
        (typeof b === "number" && Number.isSafeInteger(b) && b > 0)
      )
    ) {
      throw new SchedulerError(
        `spawnMachine(): ${who}: budget must be a positive whole number of instructions, got ${String(b)}`,
        { code: "BAD_ARGUMENT" },
      );
    }
    budget = BigInt(b);
  }
  let parsed: Program;
  try {
    parsed = typeof program === "string" ? parseProgram(program) : program;
    verifyProgram(parsed, { hostcalls: Object.keys(hostcalls) });
  } catch (cause) {
    throw new SchedulerError(
      `spawnMachine(): ${who}: the program is not valid: ${cause instanceof Error ? cause.message : String(cause)}`,
      { code: "INVALID_PROGRAM", cause },
    );
  }
  let backend = options.backend;
  if (backend === undefined) {
    backend = defaultBackends.get(rt);
    if (!backend) {
      backend = loadBackend();
      defaultBackends.set(rt, backend);
    }
  }
  const machine = backend.spawn(load(backend, parsed, budget !== undefined), {
    ...(options.stackSize === undefined ? {} : { stackSize: options.stackSize }),
    ...(budget === undefined ? {} : { budget }),
  });
  let driver = drivers.get(rt);
  if (!driver) {
    driver = new MachineDriver(rt);
    drivers.set(rt, driver);
  }
  const body: MachineBody = {
    backend,
    machine,
    hostcalls,
    onYield: options.onYield,
    next: 0n,
    released: false,
    op: null,
    cancelled: false,
  };
  try {
    return rt.spawnWith<bigint>(driver, body, options);
  } catch (e) {
    backend.release(machine);
    throw e;
  }
}
