/**
 * The driver of machine threads, written against the public ThreadDriver
 * contract of the scheduler (nothing else of the core).
 *
 * Stepping a machine thread resumes it on its backend until it traps, and
 * each trap maps onto the runtime's vocabulary:
 *
 * ```
 *   trap       what the driver does                       step result
 *   ─────────  ─────────────────────────────────────────  ───────────
 *   yield      asks onYield for the value to resume with  yielded
 *   budget     its own budget: preempted                  yielded
 *              the default budget (see below): under
 *              runAsync() preempted, under run() resumed  yielded / -
 *   hostcall   calls the JavaScript function; a value     (resumes at once)
 *              resumes the thread at once, a promise
 *              parks it until it settles (runAsync only)  blocked
 *   exit       releases the stack; the exit code is the   returned
 *              thread's value
 *   fault      releases the stack; a MachineFaultError    threw
 *              is the thread's error
 * ```
 *
 * The default budget. A JavaScript thread that never yields holds the event
 * loop, and nothing can be done about it. A machine thread can be stopped: a
 * thread spawned without a budget of its own still counts fuel, with
 * {@link DEFAULT_BUDGET} instructions a run (by kind of backend). Under
 * `run()`, which never gives the host a turn, the driver resumes it at once
 * after such a trap, so it is never preempted there; under `runAsync()` the
 * trap ends the step (so do 64 host calls in one step), and the loop's slice
 * clock sees it: the host's timers run at least every `sliceMs` or so.
 * `budget: Infinity` opts out (no fuel: a little faster, never preempted).
 *
 * Turns. When a thread yields (or is preempted by its budget) and the policy
 * can say which threads it picks next (round robin, FIFO: see
 * `turn-taking.ts`), the driver hands those that are machine threads of the
 * same backend to `backend.runTurns`, which runs them one after another
 * until one needs JavaScript, without coming back between them (the native
 * backend does it in the addon):
 *
 * ```
 *   ring: the upcoming threads, then t   how: TURN_YIELD without onYield,
 *   (cut at the first that cannot run    budget: STAY under run() with the
 *   there: another kind of thread, a     default budget, PASS otherwise
 *   resume value waiting, a host call's
 *   operation running...; a ring cut
 *   short is not a cycle: each of its
 *   threads runs at most once)
 *
 *   runTurns → k turns, maybe a pending trap of the thread at the head
 *   turnsTaken(t, k): the policy rotates k times, the loop counts k
 *   the pending trap waits in that thread's body: its next step (the loop's
 *   very next pick) answers it instead of resuming
 * ```
 *
 * A run that ends early compared with the ring it was given costs the ring's
 * setup for little: after such a run the driver leaves turns alone for as
 * many steps as the ring was long, twice as many after two such runs in a
 * row, and so on up to 256 times, so threads that call the host between
 * every two yields pay almost nothing for a chance they never take.
 */
import type { Trap } from "@greenthreads/isa";
import {
  type Backend,
  type MachineThread,
  TURN_BUDGET_PASS,
  TURN_BUDGET_STAY,
  TURN_YIELD,
  TurnRing,
} from "@greenthreads/switch";
import { generatorNext, generatorReturn, generatorThrow } from "../generator-methods.js";
import {
  type Blocker,
  PARK,
  parkOn,
  RESUME_RETURN,
  RESUME_THROW,
  type Runtime,
  resumesPlainly,
  SchedulerError,
  STEP_BLOCK,
  STEP_RETURN,
  STEP_THROW,
  STEP_YIELD,
  type StepResult,
  setStepValue,
  type Thread,
  type ThreadDriver,
  takeResumeMode,
  takeResumeValue,
  turnsTaken,
  turnTimeLimit,
  upcomingThreads,
  wake,
} from "../index.js";
import { MachineFaultError } from "./machine-fault-error.js";
import type { HostCall, MachineSpawnOptions } from "./machine-spawn-options.js";
import { snapshotStack } from "./stack-snapshot.js";

/**
 * Instructions a machine thread spawned without a `budget` runs, by kind of
 * backend, between two chances for `runAsync()` to look at the clock: about
 * 0.1 ms natively (0.5 ns an instruction measured here) and a few
 * milliseconds interpreted (about 4 µs an instruction), inside the default
 * 10 ms slice either way. A kind not listed gets the emulated figure.
 *
 * @example
 * ```ts
 * import { DEFAULT_BUDGET } from "@greenthreads/scheduler/machine";
 * console.log(DEFAULT_BUDGET.native, DEFAULT_BUDGET.emulated); // 200000 1000
 * ```
 */
export const DEFAULT_BUDGET: Readonly<Record<string, number>> = Object.freeze({
  native: 200_000,
  emulated: 1_000,
});

/** The default budget of a thread on `backend`. */
export function defaultBudgetOf(backend: Backend): number {
  return DEFAULT_BUDGET[backend.kind] ?? DEFAULT_BUDGET.emulated!;
}

/**
 * Host calls a thread with the default budget makes in one step under
 * `runAsync()` before the step ends anyway: host calls are traps, and a loop
 * of them may spend its time there rather than in counted instructions
 * (about 17 µs each interpreted: 64 of them take about 1 ms).
 */
const HOSTCALLS_PER_STEP = 64;

/** What a machine thread's body is: the machine thread and how to answer its traps. */
export class MachineBody {
  /** Host calls answered in the current step (see HOSTCALLS_PER_STEP). */
  calls = 0;
  /** The value the next resume passes (a host call's or onYield's answer). */
  next = 0n;
  released = false;
  /** A host call's green operation still running, or null. */
  op: Generator<unknown, unknown, unknown> | null = null;
  /** The thread was cancelled while `op` ran: it ends once `op` has. */
  cancelled = false;
  /** A trap its last run in another thread's turns stopped at: its next step answers it. */
  pending: Trap | undefined = undefined;
  /** What resume threw in another thread's turns (then `failed` is true): its next step fails. */
  error: unknown = undefined;
  failed = false;

  constructor(
    readonly backend: Backend,
    readonly machine: MachineThread,
    readonly hostcalls: Readonly<Record<string, HostCall>>,
    readonly onYield: MachineSpawnOptions["onYield"],
    /** Budget traps come from DEFAULT_BUDGET, not from the caller: preempt only under runAsync(). */
    readonly defaultBudget: boolean,
  ) {}
}

/** A run of turns that ended early waits at most 2^this times the ring's length before the next. */
const MAX_BACKOFF = 8;

/** What a machine thread's turn may end at (TURN_* bits); `stay` is how a default budget trap goes. */
function turnBits(body: MachineBody, stay: number): number {
  return (
    (body.onYield === undefined ? TURN_YIELD : 0) | (body.defaultBudget ? stay : TURN_BUDGET_PASS)
  );
}

/** What driveOp() says when the operation is done and the program goes on. */
const OP_DONE = -1;

const toStringTag = Object.prototype.toString;

/** A host call's promise, as a blocker the runtime can describe and cancel. */
class HostCallWait implements Blocker {
  cancelled = false;
  constructor(
    readonly name: string,
    /** Releases the runtime hold that keeps runAsync() waiting for the promise. */
    readonly release: () => void,
  ) {}
  describeWait(): string {
    return `host call ${this.name}() to settle`;
  }
  cancelWait(): void {
    this.cancelled = true;
    this.release();
  }
}

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
 * One per runtime, made by {@link spawnMachine}.
 *
 * @example
 * ```ts
 * import { Runtime } from "@greenthreads/scheduler";
 * import { MachineDriver } from "@greenthreads/scheduler/machine";
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

  step(t: Thread, left: number): StepResult {
    const body = t.body as MachineBody;
    const mode = takeResumeMode(t);
    if (body.op !== null) {
      // A host call's green operation is running: resume it, not the program.
      const r = this.#driveOp(t, body, mode, mode === 0 ? undefined : takeResumeValue(t));
      if (r !== OP_DONE) return r;
    } else if (mode !== 0) {
      const value = takeResumeValue(t);
      if (mode === RESUME_RETURN) {
        this.#release(body);
        return STEP_RETURN;
      }
      if (mode === RESUME_THROW) return this.#fail(t, body, value);
      try {
        body.next = registerValue(value, "the host call's promise", t);
      } catch (e) {
        return this.#fail(t, body, e);
      }
    }
    body.calls = 0;
    if (body.failed) return this.#fail(t, body, body.error);
    for (;;) {
      let trap = body.pending;
      if (trap !== undefined) {
        body.pending = undefined; // it ran already, in another thread's turns
      } else {
        try {
          trap = body.backend.resume(body.machine, body.next);
        } catch (e) {
          return this.#fail(t, body, e);
        }
      }
      body.next = 0n;
      switch (trap.kind) {
        case "budget":
          if (body.defaultBudget && this.runtime.sliceMs === undefined) continue;
          this.runtime.trace?.note(t, "budget");
          return this.#turns(t, body, left);
        case "yield":
          if (body.onYield !== undefined) {
            try {
              body.next = registerValue(body.onYield(trap.value), "onYield", t);
            } catch (e) {
              return this.#fail(t, body, e);
            }
            return STEP_YIELD;
          }
          return this.#turns(t, body, left);
        case "exit":
          this.#release(body);
          setStepValue(t, trap.code);
          return STEP_RETURN;
        case "fault": {
          // The stack is copied now: #fail gives it back to the allocator.
          const fault = new MachineFaultError(t, trap, snapshotStack(body.backend, body.machine));
          this.runtime.trace?.note(
            t,
            "fault",
            `${fault.fault} at instruction ${fault.instruction} (line ${fault.line})`,
          );
          return this.#fail(t, body, fault);
        }
        case "hostcall": {
          this.runtime.trace?.note(t, "host-call", trap.name);
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
              if (
                body.defaultBudget &&
                ++body.calls === HOSTCALLS_PER_STEP &&
                this.runtime.sliceMs !== undefined
              ) {
                return STEP_YIELD; // resumes with the answer in body.next
              }
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
    this.#release(t.body as MachineBody);
  }

  /** Steps to skip turns for, after a run of turns that ended early. */
  #cooldown = 0;
  /** Runs of turns in a row that ended early: each one doubles the next cooldown. */
  #misses = 0;
  /** The upcoming threads (upcomingThreads fills it). */
  readonly #upcoming: Thread[] = [];
  /** The ring handed to the backend, and its threads as the runtime's. */
  readonly #ring = new TurnRing();
  readonly #ringThreads: Thread[] = [];

  /**
   * `t` yielded (or its budget preempted it): let the upcoming machine
   * threads of its backend take turns from here (see the module comment).
   * STEP_YIELD when there is nothing to gain or it is not sound.
   */
  #turns(t: Thread, body: MachineBody, left: number): StepResult {
    if (left < 1) return STEP_YIELD;
    if (this.#cooldown > 0) {
      this.#cooldown--;
      return STEP_YIELD;
    }
    const upcoming = this.#upcoming;
    const m = upcomingThreads(t, upcoming, left);
    if (m < 0) return STEP_YIELD;
    const backend = body.backend;
    const ring = this.#ring;
    const threads = this.#ringThreads;
    const stay = this.runtime.sliceMs === undefined ? TURN_BUDGET_STAY : TURN_BUDGET_PASS;
    ring.clear();
    let whole = m < left; // the list is the whole cycle: t comes after it
    for (let i = 0; i < m; i++) {
      const x = upcoming[i]!;
      const xb = x.body;
      if (
        !(xb instanceof MachineBody) ||
        xb.backend !== backend ||
        xb.op !== null ||
        xb.pending !== undefined ||
        xb.failed ||
        !resumesPlainly(x)
      ) {
        whole = false;
        break;
      }
      threads[ring.length] = x;
      ring.add(xb.machine, turnBits(xb, stay));
    }
    upcoming.fill(undefined as unknown as Thread, 0, m);
    if (whole) {
      threads[ring.length] = t;
      ring.add(body.machine, turnBits(body, stay));
    }
    const n = ring.length;
    if (n === 0) return STEP_YIELD;
    // A ring cut short must not go round: after its last thread comes another the ring does not hold.
    const run = backend.runTurns(ring, whole ? left : n, turnTimeLimit(t));
    const k = run.turns;
    if (run.pending !== undefined || run.error !== undefined) {
      const ub = threads[k % n]!.body as MachineBody;
      ub.pending = run.pending;
      if (run.pending === undefined) {
        ub.failed = true;
        ub.error = run.error;
      }
    }
    threads.fill(undefined as unknown as Thread, 0, n);
    if (k * 4 < n) {
      this.#cooldown = n << Math.min(this.#misses, MAX_BACKOFF);
      this.#misses++;
    } else {
      this.#misses = 0;
    }
    return k === 0 ? STEP_YIELD : turnsTaken(t, k);
  }

  /**
   * Step a host call's green operation once with the resume mode and value:
   * it yields (STEP_YIELD), parks (STEP_BLOCK), fails the thread, or is done
   * (OP_DONE, its value in body.next; or STEP_RETURN if it was cancelled).
   * The generator's own methods are called through the prototype's, as the
   * generator driver does (see generator-methods.ts).
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
        r = generatorReturn.call(op, undefined);
      } else if (mode & RESUME_THROW) {
        r = generatorThrow.call(op, value);
      } else {
        r = generatorNext.call(op, value);
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
    if (rt.sliceMs === undefined) {
      return this.#fail(
        t,
        body,
        new SchedulerError(
          `host call ${name}() returned a promise, which needs rt.runAsync(): under rt.run() no promise can settle`,
          { code: "NEEDS_RUN_ASYNC", thread: t },
        ),
      );
    }
    // The hold keeps runAsync() waiting for the promise instead of calling
    // the blocked thread a deadlock.
    const w = new HostCallWait(name, rt.hold());
    Promise.resolve(promise).then(
      (value) => {
        if (w.cancelled) return;
        w.release();
        wake(t, value);
      },
      (error: unknown) => {
        if (w.cancelled) return;
        w.release();
        wake(t, error, true);
      },
    );
    return parkOn(t, w);
  }

  #fail(t: Thread, body: MachineBody, error: unknown): StepResult {
    this.#release(body);
    setStepValue(t, error);
    return STEP_THROW;
  }

  /** The stack goes back to the backend's allocator as soon as the thread ends. */
  #release(body: MachineBody): void {
    if (body.released) return;
    body.released = true;
    body.backend.release(body.machine);
  }
}
