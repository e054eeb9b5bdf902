/*
 * Runtime: green threads on one JavaScript thread.
 *
 * This is the fibers runtime of chapter 5 of "Asynchronous Programming in
 * Rust", in TypeScript. There, each green thread has its own stack and a
 * context switch saves and restores registers. Here a thread is stepped by a
 * driver: JavaScript threads are generator objects (generator-driver.ts), and
 * other kinds of threads plug in their own driver through spawnWith() (the
 * contract is thread-driver.ts; machine threads are one, in machine/).
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
 * Priority, Stride, Random, PCT and Replay. Options a policy reads at spawn
 * (priority, tickets) are the policy's to check.
 *
 * The rooms:
 *   run-loop.ts        the loop (the hot path) and its time-sliced twin
 *   deadlock.ts        what happens when everything left is blocked
 *   run-summary.ts     run accounting: the summary, unjoined failures
 *   run-options.ts     the options of the constructor, run() and runAsync()
 *   current-thread.ts  which thread is running (one register per process)
 *   this file          spawning, the two ways to run, and the transitions a
 *                      step or a helper causes: block, wake, cancel, exit
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
 * With { trace: true } a TracingScheduler wraps it too and writes the events
 * with thread names (trace.ts); untraced runs do not pay for it.
 */

import { DeadlockBreaker, describeBlocked } from "./deadlock.js";
import { type BlockedThread, SchedulerError, ThreadCancelledError } from "./errors.js";
import { checkThreadBody, GeneratorDriver, type ThreadBody } from "./generator-driver.js";
import { RoundRobin } from "./policies/round-robin.js";
import { hasBrand, processWide, RUNTIME_BRAND } from "./process-wide.js";
import {
  LOOP_IDLE,
  LOOP_SLICE,
  LOOP_STOP,
  now,
  runLoop,
  runSlice,
  type SliceClock,
} from "./run-loop.js";
import {
  checkSliceMs,
  checkSwitchLimit,
  type RunAsyncOptions,
  type RunOptions,
  type RuntimeOptions,
} from "./run-options.js";
import { RunAccount, type RunSummary } from "./run-summary.js";
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
  READY,
  RESUME_MODES,
  RESUME_RETURN,
  RESUME_THROW,
  RESUME_VALUE,
  Thread,
} from "./thread.js";
import { STEP_BLOCK, STEP_THROW, type StepResult, type ThreadDriver } from "./thread-driver.js";
import { type Trace, TracingScheduler } from "./trace.js";

// Blocking helpers reach the runtime through this module: the running thread,
// wake(), and the body type of the threads they spawn.
export { currentThread, requireThread } from "./current-thread.js";
export type { ThreadBody };

/**
 * Make a blocked thread ready again. It resumes with `value` (as the result of
 * its `yield PARK`), or has `value` thrown into it when `throwIt` is true.
 * For writers of blocking helpers; the thread's Blocker must already have
 * forgotten it.
 *
 * @example
 * ```ts
 * import { type Blocker, PARK, parkOn, Runtime, type Thread, wake } from "@greenthreads/scheduler";
 * // A one-shot event: threads wait() until fire() wakes them with its value.
 * class Event implements Blocker {
 *   private readonly waiters: Thread[] = [];
 *   *wait(self: Thread): Generator<unknown, unknown, unknown> {
 *     this.waiters.push(self);
 *     parkOn(self, this);
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

// ---- the runtime ----------------------------------------------------------------

const MODE_IDLE = 0;
const MODE_SYNC = 1;
const MODE_ASYNC = 2;

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
  /** @internal MODE_IDLE | MODE_SYNC | MODE_ASYNC */ _mode = MODE_IDLE;
  /** @internal switches made over the runtime's life (the loop adds to it) */ _switches = 0;
  /** @internal switches made inside steps (turnsTaken), for the loop to count */ _turns = 0;
  /** @internal when the current runAsync() slice ends (the clock of run-loop's now()) */ _deadline = 0;
  /** @internal how often runAsync()'s loop reads the clock */
  readonly _clock: SliceClock = { every: 1, last: 0 };
  /** Holds taken by hold() and not released: read only when runAsync() is idle. */
  private holds = 0;
  private readonly recorder: Recorder | null;
  private readonly tracer: TracingScheduler | null;
  private readonly account = new RunAccount();
  private nextId = 1;
  private live = 0;
  private idleResolve: (() => void) | null = null;
  private slice: number | undefined = undefined;
  /** Next answer of choose() for policies without a choose() of their own. */
  private rotation = 0;

  constructor(options: RuntimeOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new SchedulerError("new Runtime(options): options must be an object", {
        code: "BAD_ARGUMENT",
      });
    }
    const tracing = checkTrace(options);
    const s = options.scheduler ?? new RoundRobin();
    const missing = missingSchedulerMethods(s);
    if (missing.length > 0) {
      throw new SchedulerError(
        `new Runtime(): scheduler is not a Scheduler (missing ${missing.join(", ")})`,
        { code: "BAD_SCHEDULER" },
      );
    }
    const inUse = processWide.schedulersInUse;
    if (inUse.has(s)) {
      throw new SchedulerError(
        `new Runtime(): this ${s.name ?? "scheduler"} instance already belongs to another runtime; create one per runtime`,
        { code: "SCHEDULER_IN_USE" },
      );
    }
    inUse.add(s);
    this.scheduler = s;
    this.recorder = options.record === true ? new Recorder(s) : null;
    this.tracer = tracing ? new TracingScheduler(this.recorder ?? s) : null;
    this._sched = this.tracer ?? this.recorder ?? s;
    this._gen = new GeneratorDriver(this);
    this._sched.attach?.(this);
  }

  /** `instanceof Runtime` holds for runtimes of either build of the package (see process-wide.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, RUNTIME_BRAND);
  }

  /** Threads spawned and not yet done. */
  get liveThreads(): number {
    return this.live;
  }

  /** Switches made over the runtime's life. */
  get switches(): number {
    return this._switches;
  }

  /** @internal True during runAsync(): sleep() and wait() work only then. */
  get _async(): boolean {
    return this._mode === MODE_ASYNC;
  }

  /** True while run() or runAsync() is in progress. */
  get running(): boolean {
    return this._mode !== MODE_IDLE;
  }

  /**
   * The `sliceMs` of the `runAsync()` in progress, else undefined (idle, or
   * under `run()`, which never gives the host a turn). A driver whose threads
   * cannot yield by themselves reads it to bound a step.
   *
   * @example
   * ```ts
   * import { Runtime } from "@greenthreads/scheduler";
   * const rt = new Runtime();
   * const seen: (number | undefined)[] = [];
   * rt.spawn(function* () {
   *   seen.push(rt.sliceMs);
   * });
   * await rt.runAsync({ sliceMs: 4 });
   * console.log(seen, rt.sliceMs); // [4] undefined
   * ```
   */
  get sliceMs(): number | undefined {
    return this.slice;
  }

  /** The schedule recorded since the current or last run began, when recording. */
  get schedule(): string | undefined {
    return this.recorder?.schedule;
  }

  /**
   * The events of this runtime's runs when it was made with `{ trace: true }`,
   * else undefined. Draw it with {@link timelineText} or {@link timelineSvg}.
   *
   * @example
   * ```ts
   * import { Runtime, timelineText } from "@greenthreads/scheduler";
   * const rt = new Runtime({ trace: true });
   * rt.spawn(function* () {
   *   yield;
   * }, { name: "solo" });
   * rt.run();
   * console.log(rt.trace!.steps, new Runtime().trace); // 2 undefined
   * console.log(timelineText(rt.trace!).includes("solo")); // true
   * ```
   */
  get trace(): Trace | undefined {
    return this.tracer?.trace;
  }

  /** Threads blocked right now, by id, with what each waits for. */
  blockedThreads(): BlockedThread[] {
    return describeBlocked(this._blocked);
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
    const name = checkName(options);
    checkThreadBody(body, name);
    const t = new Thread<T>(this.nextId, name, this._gen, undefined);
    t._body = body.call(undefined, t);
    return this.adopt(t, options);
  }

  /**
   * Spawn a thread stepped by a custom driver: `body` is whatever that driver
   * resumes (the thread's `body`). The driver must belong to this runtime.
   * This is how other kinds of threads join the runtime; see
   * {@link ThreadDriver} for the contract.
   *
   * @example
   * ```ts
   * import { Runtime, STEP_RETURN, STEP_YIELD, type Thread, type ThreadDriver } from "@greenthreads/scheduler";
   * // Threads that run a list of callbacks, one a turn.
   * const rt = new Runtime();
   * const log: string[] = [];
   * const callbacks: ThreadDriver = {
   *   runtime: rt,
   *   kind: "callbacks",
   *   step(thread: Thread) {
   *     const list = thread.body as (() => void)[];
   *     list.shift()?.();
   *     return list.length > 0 ? STEP_YIELD : STEP_RETURN;
   *   },
   * };
   * rt.spawnWith(callbacks, [() => log.push("a1"), () => log.push("a2")]);
   * rt.spawnWith(callbacks, [() => log.push("b1")]);
   * rt.run();
   * console.log(log); // ["a1", "b1", "a2"]
   * ```
   */
  spawnWith<T>(driver: ThreadDriver, body: unknown, options?: SpawnOptions): Thread<T> {
    const name = checkName(options);
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
    return this.adopt(new Thread<T>(this.nextId, name, driver, body), options);
  }

  /** The policy takes the thread first: if it refuses the options, nothing has changed. */
  private adopt<T>(t: Thread<T>, options: SpawnOptions | undefined): Thread<T> {
    this._sched.onSpawn(t as Thread, options);
    this.nextId++;
    this.live++;
    this.poke();
    return t;
  }

  /**
   * Run until no thread can run, synchronously, like the book's Runtime::run.
   * Returns a summary. Throws a DeadlockError if threads are left blocked with
   * nothing pending, and a RunFailedError if threads threw and nobody joined them.
   */
  run(options?: RunOptions): RunSummary {
    const limit = checkSwitchLimit(options, "run()");
    this.enter(MODE_SYNC, "run()");
    const outer = processWide.current;
    const start = this._switches;
    const deadlock = new DeadlockBreaker();
    let why = LOOP_IDLE;
    try {
      for (;;) {
        why = runLoop(this, limit - (this._switches - start));
        processWide.current = outer;
        if (why !== LOOP_IDLE || this._blocked.size === 0 || this._pending > 0) break;
        if (!deadlock.breakDeadlock(this._blocked, this.cancelForDeadlock)) break;
      }
      return this.finish(start, why === LOOP_STOP, deadlock.found);
    } finally {
      processWide.current = outer;
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
    const sliceMs = checkSliceMs(options);
    const limit = checkSwitchLimit(options, "runAsync()");
    this.enter(MODE_ASYNC, "runAsync()");
    this.slice = sliceMs;
    const outer = processWide.current;
    const start = this._switches;
    const deadlock = new DeadlockBreaker();
    let why = LOOP_IDLE;
    try {
      for (;;) {
        this._clock.last = now();
        why = runSlice(this, this._clock.last + sliceMs, sliceMs, limit - (this._switches - start));
        processWide.current = outer;
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
        if (!deadlock.breakDeadlock(this._blocked, this.cancelForDeadlock)) break;
      }
      return this.finish(start, why === LOOP_STOP, deadlock.found);
    } finally {
      processWide.current = outer;
      this.idleResolve = null;
      this.slice = undefined;
      this._mode = MODE_IDLE;
    }
  }

  private enter(mode: number, what: string): void {
    if (this._mode !== MODE_IDLE) {
      const t = processWide.current as Thread | null;
      const inside = t !== null && t._driver.runtime === this;
      throw new SchedulerError(
        inside
          ? `${what} called from inside one of this runtime's own threads; a runtime cannot run re-entrantly`
          : `${what}: this runtime is already running (${this._mode === MODE_ASYNC ? "runAsync()" : "run()"} in progress); a runtime cannot run re-entrantly`,
        inside ? { code: "REENTRANT_RUN", thread: t } : { code: "REENTRANT_RUN" },
      );
    }
    this._mode = mode;
    this.account.reset();
    this.recorder?.reset();
  }

  /** @internal A driver was handed a thread the scheduler should not have picked. */
  _badPick(t: Thread): never {
    throw new SchedulerError(
      `scheduler ${JSON.stringify(this.scheduler.name)} picked ${t.label}, which is ${t.state}, not ready`,
      { code: "BAD_SCHEDULER" },
    );
  }

  /** @internal Everything but a plain yield: off the hot path (the loop calls it). */
  _afterStep(t: Thread, r: StepResult): void {
    if (r === STEP_BLOCK) {
      const b = t._waitingOn;
      if (b === null) {
        t._value = new SchedulerError(
          "parked without a Blocker (call parkOn(thread, blocker) before `yield PARK`)",
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
      this.account.threw(t);
    } else if ((t._flags & CANCEL_DELIVERED) !== 0) {
      t._flags |= OUTCOME_CANCELLED;
      t._value = undefined;
      this.account.cancelled++;
    } else {
      t._flags |= OUTCOME_RETURNED;
      this.account.returned++;
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
    this.tracer?.trace.note(t, "cancel");
    this.deliverCancel(t);
    return true;
  }

  /** Deadlock: cancel a blocked thread (again, if its finally blocked too). */
  private readonly cancelForDeadlock = (t: Thread): void => {
    t._flags |= CANCEL_REQUESTED;
    this.deliverCancel(t);
  };

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

  /** Something became ready: if runAsync() is waiting idle, let it go on. */
  private poke(): void {
    const r = this.idleResolve;
    if (r !== null) {
      this.idleResolve = null;
      r();
    }
  }

  private finish(start: number, stopped: boolean, deadlock: BlockedThread[] | null): RunSummary {
    // The policy hears of the end first: Replay checks there that the run
    // followed its schedule, which matters more than how the run ended.
    return this.account.close(
      this._switches - start,
      stopped,
      this.live,
      this.recorder?.schedule,
      deadlock,
      () => {
        if (!stopped) this._sched.onRunEnd?.();
      },
    );
  }
}

Object.defineProperty(Runtime.prototype, RUNTIME_BRAND, { value: true });

/** `options.trace` of the constructor, checked. */
function checkTrace(options: RuntimeOptions): boolean {
  const { trace } = options;
  if (trace === undefined || typeof trace === "boolean") return trace === true;
  throw new SchedulerError(`new Runtime(): trace must be true or false, got ${typeof trace}`, {
    code: "BAD_ARGUMENT",
  });
}

/** `options.name` of spawn(), checked. Other options are the policy's to read and check. */
function checkName(options: SpawnOptions | undefined): string | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) {
    throw new SchedulerError("spawn(): options must be an object", { code: "BAD_ARGUMENT" });
  }
  const { name } = options;
  if (name !== undefined && typeof name !== "string") {
    throw new SchedulerError(`spawn(): name must be a string, got ${typeof name}`, {
      code: "BAD_ARGUMENT",
    });
  }
  return name;
}
