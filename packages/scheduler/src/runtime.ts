/*
 * Runtime: green threads on one JavaScript thread.
 *
 * This is the fibers runtime of chapter 5 of "Asynchronous Programming in
 * Rust", in TypeScript. There, each green thread has its own stack and a
 * context switch saves and restores registers. Here a thread's body is a
 * generator function: a generator object keeps its own suspended frame, so
 * `yield` is the book's yield_thread() and `gen.next()` is the switch back in.
 * A green function called from a thread is a generator function called with
 * `yield*`, which suspends the whole chain of frames at once.
 *
 * Threads. A Thread is the handle spawn() returns and the runtime's record at
 * once: an id, a state, a few flag bits, its body, one value slot and a couple
 * of lazily used slots. States are the book's Ready and Running, plus Blocked
 * (parked on a channel, mutex, join, timer or promise) and Done. A thread ends
 * with exactly one outcome: it returned a value, it threw, or it was cancelled.
 * Cancelling resumes the body with `return`, so its `finally` blocks run.
 *
 * Who decides. The runtime owns no run queue. The Scheduler policy owns the
 * ready set: the runtime tells it of every spawn, yield, block, wake and exit
 * and asks it which thread runs next (pick). Swapping policies is one line;
 * see scheduler.ts for the interface and policies/ for RoundRobin, FIFO,
 * Priority, Stride, Random, PCT and Replay.
 *
 * The loop. run() is the book's Runtime::run: until no thread can run, pick a
 * thread, mark it Running, step it once, and look at what happened:
 *   - it yielded  -> it is Ready again (scheduler.onYield)
 *   - it blocked  -> it is Blocked on thread._waitingOn (scheduler.onBlock);
 *                    whoever unblocks it later calls wake(), which makes it
 *                    Ready again (scheduler.onWake) with a value to resume with
 *   - it returned or threw -> it is Done (scheduler.onExit); joiners wake.
 * This is the hot path, and it allocates nothing: no objects or closures per
 * switch, no Map lookups; policies keep ready threads in rings, bitsets or
 * heaps of preallocated arrays. A yield is a bare `yield` (undefined); a block
 * is `yield PARK` after the helper registered the thread with a Blocker.
 *
 * Stepping goes through a small interface, ThreadDriver (thread.ts): "step the
 * thread with its resume value -> it yielded / it blocked / it returned / it
 * threw", answered with a small integer and the payload left in the thread.
 * Generator threads use GeneratorDriver below. This is the extension point for
 * machine threads (`rt.spawnMachine(program, { backend, hostcalls, stackSize,
 * budget })`): a native stackful thread whose backend.resume(thread, value)
 * returns traps. A MachineDriver will map trap `yield` and `budget` to
 * STEP_YIELD, `exit` to STEP_RETURN, `fault` to STEP_THROW and a `hostcall`
 * that has to wait to STEP_BLOCK, and spawn through spawnWith(driver, body).
 * Neither this loop nor the Scheduler interface will change.
 *
 * When nothing can run. If threads are still blocked and nothing is pending
 * (no sleep timer, no awaited promise, and under runAsync() no hold, see
 * hold(): host code saying it may still feed a channel), that is a deadlock: the runtime records
 * what each blocked thread waits for, cancels them so their finally blocks run,
 * and throws a DeadlockError listing them. If threads threw and nobody joined
 * them, the run throws one RunFailedError naming each failed thread and keeping
 * each cause.
 *
 * Host time. run() is synchronous, so sleep() and wait() refuse to work under
 * it. runAsync({ sliceMs }) runs the same loop in slices and gives the Node
 * event loop a turn at least every sliceMs (checked at switches: a thread that
 * never yields cannot be interrupted), so timers and I/O keep working; when
 * nothing is ready but timers or promises are pending, it awaits them.
 *
 * Recording. With { record: true } the policy is wrapped by a Recorder that
 * writes each decision as an index into the ready set ordered by thread id; the
 * resulting string replays the run switch for switch under Replay, whatever
 * policy made it. explore() (explore.ts) runs a test body under many schedules.
 */

import type { Program } from "@greenthreads/isa";
import {
  type BlockedThread,
  DeadlockError,
  RunFailedError,
  SchedulerError,
  ThreadCancelledError,
  type ThreadFailure,
} from "./errors.js";
import {
  type MachineFaultError,
  type MachineSpawnOptions,
  spawnMachine,
} from "./machine-threads.js";
import { RoundRobin } from "./policies/round-robin.js";
import { Recorder } from "./schedule-recording.js";
import { missingSchedulerMethods, type Scheduler, type SpawnOptions } from "./scheduler.js";
import {
  BLOCKED,
  CANCEL_DELIVERED,
  CANCEL_REQUESTED,
  DONE,
  FAILURE_HANDLED,
  NOT_RUNNABLE,
  OUTCOME_CANCELLED,
  OUTCOME_RETURNED,
  OUTCOME_THREW,
  PARK,
  READY,
  RESUME_MODES,
  RESUME_RETURN,
  RESUME_THROW,
  RESUME_VALUE,
  STEP_BLOCK,
  STEP_THROW,
  STEP_YIELD,
  type StepResult,
  Thread,
  type ThreadDriver,
  takeResumeMode,
} from "./thread.js";

/**
 * The body of a JavaScript thread: a generator function. It receives its own handle.
 *
 * @example
 * ```ts
 * import { Runtime, type ThreadBody } from "@greenthreads/scheduler";
 * const countTo = (n: number): ThreadBody<number> =>
 *   function* (self) {
 *     for (let i = 1; i < n; i++) yield;
 *     return self.id * 100 + n;
 *   };
 * const rt = new Runtime();
 * const t = rt.spawn(countTo(3));
 * rt.run();
 * console.log(t.result); // 103
 * ```
 */
export type ThreadBody<T> = (self: Thread<T>) => Generator<unknown, T, unknown>;

/**
 * Options of `new Runtime(options)`: which policy schedules its threads, and
 * whether runs record their schedule so a run can be replayed.
 *
 * @example
 * ```ts
 * import { FIFO, Runtime, type RuntimeOptions } from "@greenthreads/scheduler";
 * const options: RuntimeOptions = { scheduler: new FIFO(), record: true };
 * const rt = new Runtime(options);
 * rt.spawn(function* () {});
 * console.log(rt.run().schedule); // "@1:14fqfg": no choices, 1 switch
 * ```
 */
export interface RuntimeOptions {
  /** The policy that picks the next thread. Default: new RoundRobin(). */
  scheduler?: Scheduler;
  /** Record each run's schedule (see RunSummary.schedule). Default false. */
  record?: boolean;
}

/**
 * Options of `run()`: a switch limit, so a test or a REPL can run threads
 * that never end a step at a time.
 *
 * @example
 * ```ts
 * import { Runtime, type RunOptions } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * rt.spawn(function* () {
 *   for (;;) yield;
 * });
 * const options: RunOptions = { maxSwitches: 10 };
 * const summary = rt.run(options);
 * console.log(summary.stopped, summary.switches, rt.liveThreads); // true 10 1
 * ```
 */
export interface RunOptions {
  /** Stop after this many switches even if threads can still run. */
  maxSwitches?: number;
}

/**
 * Options of `runAsync()`: those of `run()`, and how long threads may compute
 * before the host's event loop gets a turn.
 *
 * @example
 * ```ts
 * import { Runtime, type RunAsyncOptions } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * let fired = false;
 * setTimeout(() => {
 *   fired = true;
 * }, 5);
 * // Under run() this thread would spin forever: the timer could never fire.
 * rt.spawn(function* () {
 *   while (!fired) yield;
 * });
 * const options: RunAsyncOptions = { sliceMs: 2 };
 * await rt.runAsync(options);
 * console.log(fired); // true
 * ```
 */
export interface RunAsyncOptions extends RunOptions {
  /** Give the event loop a turn at least every sliceMs of computing. Default 10. */
  sliceMs?: number;
}

/**
 * What `run()` and `runAsync()` return when the run ends without a deadlock or
 * unjoined failure: counts for this run only, so tests can assert on them.
 *
 * @example
 * ```ts
 * import { Runtime, type RunSummary } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * rt.spawn(function* () {
 *   yield;
 * });
 * rt.spawn(function* () {
 *   for (;;) yield;
 * }).cancel();
 * const summary: RunSummary = rt.run();
 * console.log(summary.threads, summary.returned, summary.cancelled, summary.switches); // 2 1 1 3
 * ```
 */
export interface RunSummary {
  /** Threads that finished during this run. */
  threads: number;
  /** Switches made: times a thread was resumed. */
  switches: number;
  returned: number;
  failed: number;
  cancelled: number;
  /** True when the run stopped at maxSwitches with threads still able to run. */
  stopped: boolean;
  /** Threads spawned and not yet done when the run ended. */
  live: number;
  /** The schedule of this run, when the runtime records. */
  schedule?: string;
}

// ---- the current thread --------------------------------------------------------

// `var`, not `let`: it is written on every switch, and a module-level `let`
// costs a TDZ check per access when the module runs unbundled (tsx, vitest);
// bundlers emit `var` anyway. Measured: about a third of the switch overhead.
var current: Thread | null = null;

/**
 * The thread that is running now, or null outside any thread.
 *
 * @example
 * ```ts
 * import { currentThread, Runtime } from "@greenthreads/scheduler";
 * // Code called from a thread can find out which one without being passed it.
 * const whoAmI = () => currentThread()?.name ?? "host";
 * const rt = new Runtime();
 * const t = rt.spawn(function* () {
 *   return whoAmI();
 * }, { name: "worker" });
 * rt.run();
 * console.log(t.result, whoAmI()); // "worker" "host"
 * ```
 */
export function currentThread(): Thread | null {
  return current;
}

/**
 * The running thread, or a SchedulerError saying that `helper` must be used
 * from inside a thread. Blocking helpers call this before doing anything.
 *
 * @example
 * ```ts
 * import { requireThread, Runtime, type Thread } from "@greenthreads/scheduler";
 * // A helper that only makes sense inside a thread says so when misused.
 * function* yieldTimes(n: number): Generator<undefined, Thread, unknown> {
 *   const self = requireThread("yieldTimes(n)");
 *   for (let i = 0; i < n; i++) yield;
 *   return self;
 * }
 * const rt = new Runtime();
 * const t = rt.spawn(function* () {
 *   return (yield* yieldTimes(2)).id;
 * });
 * rt.run();
 * console.log(t.result); // 1
 * try {
 *   yieldTimes(2).next(); // outside any thread
 * } catch (e) {
 *   console.log((e as Error).message); // yieldTimes(n) must be called from inside a thread, ...
 * }
 * ```
 */
export function requireThread(helper: string): Thread {
  const t = current;
  if (t === null) {
    throw new SchedulerError(
      `${helper} must be called from inside a thread, as \`yield* ${helper}\`; no thread is running`,
      { code: "NOT_IN_THREAD" },
    );
  }
  return t;
}

/**
 * Make a blocked thread ready again. It resumes with `value` (as the result of
 * its `yield PARK`), or has `value` thrown into it when `throwIt` is true.
 * For writers of blocking helpers; the thread's Blocker must already have
 * forgotten it.
 *
 * @example
 * ```ts
 * import { type Blocker, PARK, Runtime, type Thread, wake } from "@greenthreads/scheduler";
 * // A one-shot event: threads wait() until fire() wakes them with its value.
 * class Event implements Blocker {
 *   private readonly waiters: Thread[] = [];
 *   *wait(self: Thread): Generator<unknown, unknown, unknown> {
 *     this.waiters.push(self);
 *     self._waitingOn = this;
 *     return yield PARK;
 *   }
 *   fire(value: unknown): void {
 *     for (const t of this.waiters.splice(0)) wake(t, value);
 *   }
 *   describeWait(): string {
 *     return "an event";
 *   }
 *   cancelWait(t: Thread): void {
 *     this.waiters.splice(this.waiters.indexOf(t), 1);
 *   }
 * }
 * const rt = new Runtime();
 * const ready = new Event();
 * const t = rt.spawn(function* (self) {
 *   return yield* ready.wait(self);
 * });
 * rt.run({ maxSwitches: 1 }); // t is now blocked
 * ready.fire("go"); // wake() works from host code too
 * rt.run();
 * console.log(t.result); // "go"
 * ```
 */
export function wake(thread: Thread, value?: unknown, throwIt = false): void {
  thread._driver.runtime._wake(thread, value, throwIt ? RESUME_THROW : 0);
}

// ---- the generator driver -------------------------------------------------------

const toStringTag = Object.prototype.toString;

function isThenable(v: unknown): boolean {
  return (
    (typeof v === "object" || typeof v === "function") &&
    v !== null &&
    typeof (v as { then?: unknown }).then === "function"
  );
}

/**
 * Steps a thread whose body is a generator object.
 *
 * @example
 * ```ts
 * import { GeneratorDriver, Runtime } from "@greenthreads/scheduler";
 * // spawn(body) is spawnWith(a GeneratorDriver, body(thread)); each runtime has one.
 * const rt = new Runtime();
 * const t = rt.spawn(function* () {
 *   yield;
 * });
 * console.log(t.kind, new GeneratorDriver(rt).kind); // "generator" "generator"
 * ```
 */
export class GeneratorDriver implements ThreadDriver {
  readonly kind = "generator";
  readonly runtime: Runtime;

  constructor(runtime: Runtime) {
    this.runtime = runtime;
  }

  step(t: Thread): StepResult {
    const g = t._body as Generator<unknown, unknown, unknown>;
    // Literals, not the imported constants: bundlers turn module constants into
    // `var`s, which V8 reloads and checks on every switch. test/constants.test.ts
    // checks these against RESUME_MASK (15), NOT_RUNNABLE (8) and the STEP_* codes.
    const special = t._flags & 15; // RESUME_MASK
    if (special >= 8) this.runtime._badPick(t); // NOT_RUNNABLE
    let r: IteratorResult<unknown, unknown>;
    try {
      r = special === 0 ? g.next() : this.resumeSpecial(t, g);
    } catch (e) {
      t._value = e;
      return 3; // STEP_THROW
    }
    if (r.done === true) {
      t._value = r.value;
      return 2; // STEP_RETURN
    }
    const y = r.value;
    if (y === undefined) return 0; // STEP_YIELD
    if (y === PARK) return 1; // STEP_BLOCK
    return this.oddYield(t, y);
  }

  private resumeSpecial(
    t: Thread,
    g: Generator<unknown, unknown, unknown>,
  ): IteratorResult<unknown, unknown> {
    const v = t._value;
    t._value = undefined;
    const mode = takeResumeMode(t);
    if (mode & RESUME_RETURN) return g.return(undefined);
    if (mode & RESUME_THROW) return g.throw(v);
    return g.next(v);
  }

  /** `yield <value>`: a plain yield, except for two common mistakes, thrown back in. */
  private oddYield(t: Thread, y: unknown): StepResult {
    let problem: string | undefined;
    if (isThenable(y)) {
      problem = "yielded a promise; to wait for it use `yield* wait(promise)` under runAsync()";
    } else if (toStringTag.call(y) === "[object Generator]") {
      problem =
        "yielded a generator object; call green functions and helpers with `yield*`, not `yield`";
    }
    if (problem !== undefined) {
      t._value = new SchedulerError(problem, { code: "BAD_YIELD", thread: t });
      t._flags |= RESUME_THROW;
    }
    return STEP_YIELD;
  }
}

// ---- the runtime ----------------------------------------------------------------

const MODE_IDLE = 0;
const MODE_SYNC = 1;
const MODE_ASYNC = 2;

/** Why a loop returned. */
const LOOP_IDLE = 0; // nothing is ready
const LOOP_STOP = 1; // maxSwitches reached
const LOOP_SLICE = 2; // the time slice is over (async only)

const MAX_DEADLOCK_ROUNDS = 64;

const schedulersInUse = new WeakSet<object>();

const generatorFunctionTag = "[object GeneratorFunction]";

function describeNonGenerator(body: unknown): string {
  if (typeof body !== "function") return `got ${body === null ? "null" : typeof body}`;
  const tag = toStringTag.call(body);
  if (tag === "[object AsyncGeneratorFunction]") return "got an async generator function";
  if (tag === "[object AsyncFunction]") return "got an async function";
  const src = Function.prototype.toString.call(body);
  if (/^class[\s{]/.test(src)) return "got a class";
  if (!Object.hasOwn(body, "prototype")) return "got an arrow function or method";
  return "got a plain function";
}

function checkSwitchLimit(options: RunOptions | undefined, where: string): number {
  const max = options?.maxSwitches;
  if (max === undefined) return Number.POSITIVE_INFINITY;
  if (typeof max !== "number" || !(max >= 0) || (Number.isFinite(max) && !Number.isInteger(max))) {
    throw new SchedulerError(
      `${where}: maxSwitches must be a non-negative integer, got ${String(max)}`,
      { code: "BAD_ARGUMENT" },
    );
  }
  return max;
}

const now: () => number =
  typeof performance !== "undefined" ? () => performance.now() : () => Date.now();

/**
 * Runs green threads on the one JavaScript thread: it spawns them, steps them
 * one at a time in the order its {@link Scheduler} policy picks, and reports
 * how they ended (see the module comment for the loop). One runtime per
 * independent set of threads; a policy instance belongs to one runtime.
 *
 * @example
 * ```ts
 * import { Channel, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const ping = new Channel<string>();
 * const log: string[] = [];
 * rt.spawn(function* () {
 *   for (let i = 0; i < 2; i++) yield* ping.send(`ping ${i}`);
 *   ping.close();
 * });
 * rt.spawn(function* () {
 *   for (let r = yield* ping.next(); !r.done; r = yield* ping.next()) log.push(r.value);
 * });
 * const summary = rt.run();
 * console.log(log, summary.returned); // ["ping 0", "ping 1"] 2
 * ```
 */
export class Runtime {
  /** The policy given at construction. */
  readonly scheduler: Scheduler;
  /** @internal the policy the loop talks to (the Recorder when recording) */
  _sched: Scheduler;
  /** @internal */ readonly _gen: GeneratorDriver;
  /** @internal threads parked on a Blocker */ readonly _blocked = new Set<Thread>();
  /** @internal sleep timers and awaited promises not yet settled */ _pending = 0;
  /** Holds taken by hold() and not released: read only when runAsync() is idle. */
  private holds = 0;
  /** @internal MODE_IDLE | MODE_SYNC | MODE_ASYNC */ _mode = MODE_IDLE;
  private readonly recorder: Recorder | null;
  private nextId = 1;
  private live = 0;
  private totalSwitches = 0;
  private failed: Thread[] = [];
  private idleResolve: (() => void) | null = null;
  private checkEvery = 1;
  private lastCheck = 0;
  /** Next answer of choose() for policies without a choose() of their own. */
  private rotation = 0;
  // per-run counters
  private runReturned = 0;
  private runFailed = 0;
  private runCancelled = 0;

  constructor(options: RuntimeOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new SchedulerError("new Runtime(options): options must be an object", {
        code: "BAD_ARGUMENT",
      });
    }
    const s = options.scheduler ?? new RoundRobin();
    const missing = missingSchedulerMethods(s);
    if (missing.length > 0) {
      throw new SchedulerError(
        `new Runtime(): scheduler is not a Scheduler (missing ${missing.join(", ")})`,
        { code: "BAD_SCHEDULER" },
      );
    }
    if (schedulersInUse.has(s)) {
      throw new SchedulerError(
        `new Runtime(): this ${s.name ?? "scheduler"} instance already belongs to another runtime; create one per runtime`,
        { code: "SCHEDULER_IN_USE" },
      );
    }
    schedulersInUse.add(s);
    this.scheduler = s;
    this.recorder = options.record === true ? new Recorder(s) : null;
    this._sched = this.recorder ?? s;
    this._gen = new GeneratorDriver(this);
    this._sched.attach?.(this);
  }

  /** Threads spawned and not yet done. */
  get liveThreads(): number {
    return this.live;
  }

  /** Switches made over the runtime's life. */
  get switches(): number {
    return this.totalSwitches;
  }

  /** @internal True during runAsync(): sleep() and wait() work only then. */
  get _async(): boolean {
    return this._mode === MODE_ASYNC;
  }

  /** True while run() or runAsync() is in progress. */
  get running(): boolean {
    return this._mode !== MODE_IDLE;
  }

  /** The schedule recorded since the current or last run began, when recording. */
  get schedule(): string | undefined {
    return this.recorder?.schedule;
  }

  /** Threads blocked right now, by id, with what each waits for. */
  blockedThreads(): BlockedThread[] {
    return [...this._blocked]
      .sort((a, b) => a.id - b.id)
      .map((t) => ({ thread: t, waitingFor: t._waitingOn?.describeWait(t) ?? "(unknown)" }));
  }

  /**
   * Ask the policy to choose one of `n` options that are all possible now
   * (see {@link Scheduler.choose}): an integer in [0, n). `select()` uses it
   * when several of its cases are ready, so the choice is the policy's: random
   * under Random, a decision of the schedule under recording, Replay and
   * `explore()`. With one option there is nothing to decide and nothing is
   * recorded.
   *
   * @example
   * ```ts
   * import { Random, Replay, Runtime } from "@greenthreads/scheduler";
   * const rt = new Runtime({ scheduler: new Random({ seed: 5 }), record: true });
   * const picks: number[] = [];
   * rt.spawn(function* () {
   *   for (let i = 0; i < 4; i++) picks.push(rt.choose(3));
   * });
   * const schedule = rt.run().schedule!;
   * const again = new Runtime({ scheduler: new Replay(schedule) });
   * const replayed: number[] = [];
   * again.spawn(function* () {
   *   for (let i = 0; i < 4; i++) replayed.push(again.choose(3));
   * });
   * again.run();
   * console.log(replayed.join() === picks.join()); // true
   * ```
   */
  choose(n: number): number {
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
      throw new SchedulerError(`choose(n): n must be an integer >= 1, got ${String(n)}`, {
        code: "BAD_ARGUMENT",
      });
    }
    if (n === 1) return 0;
    const s = this._sched;
    const c = s.choose !== undefined ? s.choose(n) : this.rotation++ % n;
    if (!Number.isInteger(c) || c < 0 || c >= n) {
      throw new SchedulerError(
        `scheduler ${JSON.stringify(this.scheduler.name)} chose ${String(c)} of ${n} options; choose(n) must return an integer in [0, n)`,
        { code: "BAD_SCHEDULER" },
      );
    }
    return c;
  }

  /**
   * Spawn a thread whose body is a generator function. It does not start until
   * the runtime runs. A bare `yield` in it gives up the CPU; blocking helpers
   * are used with `yield*`. The body receives its own thread handle.
   */
  spawn<T>(body: ThreadBody<T>, options?: SpawnOptions): Thread<T> {
    const name = this.checkSpawnOptions(options);
    if (typeof body !== "function" || toStringTag.call(body) !== generatorFunctionTag) {
      const who = name === undefined ? "the thread" : `thread ${JSON.stringify(name)}`;
      throw new SchedulerError(
        `spawn(): ${who} needs a generator function as its body (function* () { ... }); ${describeNonGenerator(body)}`,
        { code: "NOT_A_GENERATOR_FUNCTION" },
      );
    }
    const t = new Thread<T>(this.nextId++, name, this._gen, undefined);
    t._body = body.call(undefined, t);
    return this.adopt(t, options);
  }

  /**
   * Spawn a machine thread: a thread program of `@greenthreads/isa` (a
   * `Program`, or its source text) running on its own stack on a backend of
   * `@greenthreads/switch`, scheduled by this runtime's policy like any other
   * thread. Its value is the program's exit code; a fault makes it throw a
   * {@link MachineFaultError}. With a `budget` it is preempted after that many
   * instructions. See machine-threads.ts.
   *
   * @example
   * ```ts
   * import { Runtime } from "@greenthreads/scheduler";
   * const rt = new Runtime();
   * const t = rt.spawnMachine("hostcall hello()\nexit 0", {
   *   hostcalls: { hello: () => console.log("hello from a machine thread") },
   * });
   * rt.run();
   * console.log(t.result); // 0n
   * ```
   */
  spawnMachine(program: Program | string, options?: MachineSpawnOptions): Thread<bigint> {
    return spawnMachine(this, program, options);
  }

  /**
   * Spawn a thread stepped by a custom driver (the extension point for machine
   * threads): `body` is whatever that driver resumes. The driver must belong to
   * this runtime.
   */
  spawnWith<T>(driver: ThreadDriver, body: unknown, options?: SpawnOptions): Thread<T> {
    const name = this.checkSpawnOptions(options);
    if (
      typeof driver !== "object" ||
      driver === null ||
      typeof driver.step !== "function" ||
      driver.runtime !== this
    ) {
      throw new SchedulerError(
        "spawnWith(): driver must be a ThreadDriver whose runtime is this runtime",
        { code: "FOREIGN_THREAD" },
      );
    }
    return this.adopt(new Thread<T>(this.nextId++, name, driver, body), options);
  }

  private adopt<T>(t: Thread<T>, options: SpawnOptions | undefined): Thread<T> {
    this.live++;
    this._sched.onSpawn(t as Thread, options);
    this.poke();
    return t;
  }

  private checkSpawnOptions(options: SpawnOptions | undefined): string | undefined {
    if (options === undefined) return undefined;
    if (typeof options !== "object" || options === null) {
      throw new SchedulerError("spawn(): options must be an object", { code: "BAD_ARGUMENT" });
    }
    const { name, priority, tickets } = options;
    if (name !== undefined && typeof name !== "string") {
      throw new SchedulerError(`spawn(): name must be a string, got ${typeof name}`, {
        code: "BAD_ARGUMENT",
      });
    }
    const who = name === undefined ? "thread" : `thread ${JSON.stringify(name)}`;
    if (priority !== undefined && (typeof priority !== "number" || !Number.isFinite(priority))) {
      throw new SchedulerError(
        `spawn(): ${who}: priority must be a finite number, got ${String(priority)}`,
        { code: "BAD_ARGUMENT" },
      );
    }
    if (
      tickets !== undefined &&
      (typeof tickets !== "number" || !Number.isInteger(tickets) || tickets <= 0)
    ) {
      throw new SchedulerError(
        `spawn(): ${who}: tickets must be a positive integer, got ${String(tickets)}`,
        { code: "BAD_ARGUMENT" },
      );
    }
    return name;
  }

  /**
   * Run until no thread can run, synchronously, like the book's Runtime::run.
   * Returns a summary. Throws a DeadlockError if threads are left blocked with
   * nothing pending, and a RunFailedError if threads threw and nobody joined them.
   */
  run(options?: RunOptions): RunSummary {
    const limit = checkSwitchLimit(options, "run()");
    this.enter(MODE_SYNC, "run()");
    const outer = current;
    const start = this.totalSwitches;
    let deadlock: BlockedThread[] | null = null;
    let rounds = 0;
    let why = LOOP_IDLE;
    try {
      for (;;) {
        why = this.loop(limit - (this.totalSwitches - start));
        current = outer;
        if (why !== LOOP_IDLE || this._blocked.size === 0 || this._pending > 0) break;
        deadlock ??= this.blockedThreads();
        if (++rounds > MAX_DEADLOCK_ROUNDS) break;
        this.cancelBlocked();
      }
      return this.finish(start, why === LOOP_STOP, deadlock);
    } finally {
      current = outer;
      this._mode = MODE_IDLE;
    }
  }

  /**
   * Say that host code (a timer, an I/O callback) may still wake threads, for
   * instance by `channel.trySend(...)`: until the returned function is called,
   * `runAsync()` does not end when every thread is blocked, it waits for the
   * host, like a referenced handle keeps an event loop alive. It waits even if
   * no thread is left, as the host may also spawn. Once every hold is
   * released, threads still blocked with nothing pending are a deadlock again,
   * reported as usual. Releasing twice releases once. `run()` ignores holds:
   * it never gives the host a turn. A hold does not keep the Node process
   * alive; the host's own timers or sockets do. See also
   * {@link Channel.holdOpen}, a hold that `close()` releases.
   *
   * @example
   * ```ts
   * import { Channel, Runtime } from "@greenthreads/scheduler";
   * const rt = new Runtime();
   * const ticks = new Channel<number>(8, { name: "ticks" });
   * const release = rt.hold();
   * const counter = rt.spawn(function* () {
   *   let sum = 0;
   *   for (let r = yield* ticks.next(); !r.done; r = yield* ticks.next()) sum += r.value;
   *   return sum;
   * });
   * let n = 0;
   * const timer = setInterval(() => {
   *   if (++n <= 3) return void ticks.trySend(n);
   *   clearInterval(timer);
   *   ticks.close();
   *   release(); // without this, the run would wait for more
   * }, 1);
   * await rt.runAsync();
   * console.log(counter.result); // 6
   * ```
   */
  hold(): () => void {
    this.holds++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.holds--;
      // If runAsync() waits idle, let it look again: it may be a deadlock now.
      this.poke();
    };
  }

  /**
   * Like run(), but gives the Node event loop a turn at least every sliceMs of
   * computing, so the host's timers and I/O keep working, and waits for sleep()
   * timers, wait() promises and holds (see hold()) when nothing else can run.
   */
  async runAsync(options?: RunAsyncOptions): Promise<RunSummary> {
    const sliceMs = options?.sliceMs ?? 10;
    if (typeof sliceMs !== "number" || !(sliceMs >= 0) || !Number.isFinite(sliceMs)) {
      throw new SchedulerError(
        `runAsync(): sliceMs must be a finite number >= 0, got ${String(sliceMs)}`,
        { code: "BAD_ARGUMENT" },
      );
    }
    const limit = checkSwitchLimit(options, "runAsync()");
    this.enter(MODE_ASYNC, "runAsync()");
    const outer = current;
    const start = this.totalSwitches;
    let deadlock: BlockedThread[] | null = null;
    let rounds = 0;
    let why = LOOP_IDLE;
    try {
      for (;;) {
        this.lastCheck = now();
        why = this.slice(this.lastCheck + sliceMs, sliceMs, limit - (this.totalSwitches - start));
        current = outer;
        if (why === LOOP_SLICE) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        if (why === LOOP_STOP) break;
        if (this._pending > 0 || this.holds > 0) {
          await new Promise<void>((resolve) => {
            this.idleResolve = resolve;
          });
          continue;
        }
        if (this._blocked.size === 0) break;
        deadlock ??= this.blockedThreads();
        if (++rounds > MAX_DEADLOCK_ROUNDS) break;
        this.cancelBlocked();
      }
      return this.finish(start, why === LOOP_STOP, deadlock);
    } finally {
      current = outer;
      this.idleResolve = null;
      this._mode = MODE_IDLE;
    }
  }

  private enter(mode: number, what: string): void {
    if (this._mode !== MODE_IDLE) {
      const t = current;
      const inside = t !== null && t._driver.runtime === this;
      throw new SchedulerError(
        inside
          ? `${what} called from inside one of this runtime's own threads; a runtime cannot run re-entrantly`
          : `${what}: this runtime is already running (${this._mode === MODE_ASYNC ? "runAsync()" : "run()"} in progress); a runtime cannot run re-entrantly`,
        inside ? { code: "REENTRANT_RUN", thread: t } : { code: "REENTRANT_RUN" },
      );
    }
    this._mode = mode;
    this.runReturned = 0;
    this.runFailed = 0;
    this.runCancelled = 0;
    this.recorder?.reset();
  }

  /**
   * The synchronous loop: the hot path. Returns LOOP_IDLE when nothing is
   * ready, LOOP_STOP when `limit` switches were made.
   */
  private loop(limit: number): number {
    const s = this._sched;
    let n = 0;
    // No try/finally and no state check here: both cost measurably per
    // switch. The driver refuses a thread that is not ready (NOT_RUNNABLE);
    // if a policy throws, the run is over and this loop's count is lost.
    while (n < limit) {
      const t = s.pick();
      if (t === undefined) {
        this.totalSwitches += n;
        return LOOP_IDLE;
      }
      // A running thread keeps _state READY: "running" is `current === t`.
      current = t;
      n++;
      const r = t._driver.step(t);
      if (r === 0)
        s.onYield(t); // STEP_YIELD
      else this.afterStep(t, r);
    }
    this.totalSwitches += n;
    return LOOP_STOP;
  }

  /** The async loop: the same as loop(), and it watches the clock. */
  private slice(deadline: number, sliceMs: number, limit: number): number {
    const s = this._sched;
    let n = 0;
    let countdown = this.checkEvery;
    try {
      while (n < limit) {
        const t = s.pick();
        if (t === undefined) return LOOP_IDLE;
        current = t;
        n++;
        const r = t._driver.step(t);
        if (r === 0)
          s.onYield(t); // STEP_YIELD
        else this.afterStep(t, r);
        // The clock is read after a switch, so every slice makes progress.
        if (--countdown === 0) {
          const t0 = now();
          if (t0 >= deadline) return LOOP_SLICE;
          // Read it about 16 times per slice, whatever a step costs.
          const spent = t0 - this.lastCheck;
          this.lastCheck = t0;
          if (spent * 16 < sliceMs) {
            if (this.checkEvery < 4096) this.checkEvery <<= 1;
          } else if (this.checkEvery > 1) {
            this.checkEvery >>= 1;
          }
          countdown = this.checkEvery;
        }
      }
      return LOOP_STOP;
    } finally {
      this.totalSwitches += n;
    }
  }

  /** @internal A driver was handed a thread the scheduler should not have picked. */
  _badPick(t: Thread): never {
    throw new SchedulerError(
      `scheduler ${JSON.stringify(this.scheduler.name)} picked ${t.label}, which is ${t.state}, not ready`,
      { code: "BAD_SCHEDULER" },
    );
  }

  /** Everything but a plain yield: off the hot path. */
  private afterStep(t: Thread, r: StepResult): void {
    if (r === STEP_BLOCK) {
      const b = t._waitingOn;
      if (b === null) {
        t._value = new SchedulerError(
          "parked without a Blocker (set thread._waitingOn before `yield PARK`)",
          { code: "PARK_WITHOUT_BLOCKER", thread: t },
        );
        t._flags |= RESUME_THROW;
        this._sched.onYield(t);
        return;
      }
      if ((t._flags & RESUME_RETURN) !== 0) {
        // Cancelled while it ran: do not park it, deliver the cancellation.
        t._waitingOn = null;
        b.cancelWait(t);
        this._sched.onYield(t);
        return;
      }
      t._state = BLOCKED;
      t._flags |= NOT_RUNNABLE;
      this._blocked.add(t);
      this._sched.onBlock(t);
      return;
    }
    this.exit(t, r === STEP_THROW);
  }

  private exit(t: Thread, threw: boolean): void {
    t._state = DONE;
    t._waitingOn = null;
    this.live--;
    const d = t._driver;
    if (d.dispose !== undefined) d.dispose(t);
    t._body = null;
    if (threw) {
      t._flags |= OUTCOME_THREW;
      this.runFailed++;
      this.failed.push(t);
    } else if ((t._flags & CANCEL_DELIVERED) !== 0) {
      t._flags |= OUTCOME_CANCELLED;
      t._value = undefined;
      this.runCancelled++;
    } else {
      t._flags |= OUTCOME_RETURNED;
      this.runReturned++;
    }
    t._flags = (t._flags & ~RESUME_MODES) | NOT_RUNNABLE;
    this._sched.onExit(t);
    const joiners = t._extra?.joiners;
    if (joiners) {
      t._extra!.joiners = null;
      for (const j of joiners) this.deliverOutcome(j, t);
    }
  }

  /** @internal Wake `joiner` with the outcome of `target`, which is done. */
  deliverOutcome(joiner: Thread, target: Thread): void {
    const f = target._flags;
    if (f & OUTCOME_RETURNED) {
      wake(joiner, target._value);
    } else if (f & OUTCOME_THREW) {
      target._flags |= FAILURE_HANDLED;
      wake(joiner, target._value, true);
    } else {
      wake(joiner, new ThreadCancelledError("was cancelled", { thread: target }), true);
    }
  }

  /** @internal see wake() */
  _wake(t: Thread, value: unknown, mode: number): void {
    if (t._state !== BLOCKED) {
      throw new SchedulerError(`wake(): ${t.label} is ${t.state}, not blocked`, {
        code: "NOT_BLOCKED",
      });
    }
    t._waitingOn = null;
    t._value = value;
    t._flags = (t._flags & ~NOT_RUNNABLE) | mode | RESUME_VALUE;
    this._blocked.delete(t);
    t._state = READY;
    this._sched.onWake(t);
    this.poke();
  }

  /** @internal Thread.cancel() */
  _cancel(t: Thread): boolean {
    if (t._state === DONE || (t._flags & CANCEL_REQUESTED) !== 0) return false;
    t._flags |= CANCEL_REQUESTED;
    this.deliverCancel(t);
    return true;
  }

  private deliverCancel(t: Thread): void {
    // A pending throw is replaced by the cancellation.
    t._flags = (t._flags & ~RESUME_MODES) | RESUME_RETURN;
    t._value = undefined;
    if (t._state === BLOCKED) {
      const b = t._waitingOn;
      t._waitingOn = null;
      b?.cancelWait(t);
      this._blocked.delete(t);
      t._state = READY;
      t._flags &= ~NOT_RUNNABLE;
      this._sched.onWake(t);
      this.poke();
    }
    // Ready: it returns when picked. Running: at its next yield or block.
  }

  /** Deadlock: cancel every blocked thread (again, if its finally blocked too). */
  private cancelBlocked(): void {
    const blocked = [...this._blocked].sort((a, b) => a.id - b.id);
    for (const t of blocked) {
      t._flags |= CANCEL_REQUESTED;
      this.deliverCancel(t);
    }
  }

  /** Something became ready: if runAsync() is waiting idle, let it go on. */
  private poke(): void {
    const r = this.idleResolve;
    if (r !== null) {
      this.idleResolve = null;
      r();
    }
  }

  private finish(start: number, stopped: boolean, deadlock: BlockedThread[] | null): RunSummary {
    const summary: RunSummary = {
      threads: this.runReturned + this.runFailed + this.runCancelled,
      switches: this.totalSwitches - start,
      returned: this.runReturned,
      failed: this.runFailed,
      cancelled: this.runCancelled,
      stopped,
      live: this.live,
    };
    if (this.recorder !== null) summary.schedule = this.recorder.schedule;
    const failures: ThreadFailure[] = this.failed
      .filter((t) => (t._flags & FAILURE_HANDLED) === 0)
      .map((t) => ({ thread: t, error: t._value }));
    this.failed = [];
    // The policy hears of the end first: Replay checks here that the run
    // followed its schedule, which matters more than how the run ended.
    if (!stopped) this._sched.onRunEnd?.();
    if (deadlock !== null) throw new DeadlockError(deadlock, failures);
    if (failures.length > 0) throw new RunFailedError(failures);
    return summary;
  }
}
