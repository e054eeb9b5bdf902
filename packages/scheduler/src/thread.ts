/**
 * Threads, their states and flags, and {@link Blocker} (what a blocked thread
 * waits for). How a thread's body is resumed is its driver's business: see
 * thread-driver.ts.
 *
 * A Thread is both the runtime's record and the handle `spawn()` returns, so an
 * idle thread costs one object plus its body. Fields that start with `_` are
 * the runtime's and its helpers'; `sched` is a free slot for the scheduler
 * policy; a driver uses the functions of thread-driver.ts.
 */
import type { NamedThread } from "./errors.js";
import { SchedulerError, ThreadCancelledError } from "./errors.js";
import { hasBrand, processWide, THREAD_BRAND } from "./process-wide.js";
import type { Runtime } from "./runtime.js";
import type { ThreadDriver } from "./thread-driver.js";

// ---- states (Thread._state) --------------------------------------------------
/** In the scheduler's ready set, or running: the running thread is `currentThread()`. */
export const READY = 0;
/** Reported by `state` for the running thread; never stored (saves two writes a switch). */
export const RUNNING = 1;
/** Parked on a {@link Blocker}; not in the ready set. */
export const BLOCKED = 2;
/** Finished with exactly one outcome. */
export const DONE = 3;

// ---- flags (Thread._flags) ---------------------------------------------------
/** Next resume throws `_value` into the thread. */
export const RESUME_THROW = 1;
/** Next resume returns (cancels) the thread: its `finally` blocks run. */
export const RESUME_RETURN = 2;
/** Next resume passes `_value` in (set by wake()); without it, the body gets undefined. */
export const RESUME_VALUE = 4;
/** The resume modes above; takeResumeMode() (thread-driver.ts) takes these. */
export const RESUME_MODES = 7;
/**
 * Set while the thread is BLOCKED or DONE. It sits inside RESUME_MASK, so a
 * driver's one test `(_flags & RESUME_MASK) === 0` both picks its fast path and
 * catches a scheduler that returned a thread that is not ready.
 */
export const NOT_RUNNABLE = 8;
/** The generator driver's fast path is `(_flags & RESUME_MASK) === 0`. */
export const RESUME_MASK = 15;
/** cancel() was called. */
export const CANCEL_REQUESTED = 16;
/** A cancelling resume reached the body. */
export const CANCEL_DELIVERED = 32;
export const OUTCOME_RETURNED = 64;
export const OUTCOME_THREW = 128;
export const OUTCOME_CANCELLED = 256;
/** Its failure was seen by a joiner, so run() does not report it. */
export const FAILURE_HANDLED = 512;

/**
 * Something a blocked thread waits for: a channel, a mutex, a thread being
 * joined, a timer, a promise. The runtime asks it to describe the wait (for
 * deadlock reports) and to forget the thread when the thread is cancelled.
 *
 * @example
 * ```ts
 * import { type Blocker, PARK, parkOn, requireThread, Runtime, type Thread, wake } from "@greenthreads/scheduler";
 *
 * // A gate: threads pass() it only once it is opened.
 * class Gate implements Blocker {
 *   private readonly waiting: Thread[] = [];
 *   *pass(): Generator<unknown, unknown, unknown> {
 *     const self = requireThread("gate.pass()");
 *     this.waiting.push(self);
 *     parkOn(self, this);
 *     return yield PARK;
 *   }
 *   open(value: unknown): void {
 *     for (const t of this.waiting.splice(0)) wake(t, value);
 *   }
 *   describeWait(): string {
 *     return `gate (${this.waiting.length} waiting)`;
 *   }
 *   cancelWait(t: Thread): void {
 *     this.waiting.splice(this.waiting.indexOf(t), 1);
 *   }
 * }
 *
 * const rt = new Runtime();
 * const gate = new Gate();
 * const t = rt.spawn(function* () {
 *   return yield* gate.pass();
 * });
 * rt.spawn(function* () {
 *   gate.open("open sesame");
 * });
 * rt.run();
 * console.log(t.result); // "open sesame"
 * ```
 */
export interface Blocker {
  /** E.g. `recv on channel "jobs" (capacity 0, empty)`. */
  describeWait(thread: Thread): string;
  /** Forget that `thread` waits here; it is being cancelled or woken otherwise. */
  cancelWait(thread: Thread): void;
}

/**
 * What a thread body yields to park itself (after registering with a Blocker).
 * Blocking helpers say so in their type: they are `Generator<Park, R, unknown>`.
 *
 * @example
 * ```ts
 * import { Channel, type Park, Runtime } from "@greenthreads/scheduler";
 * // A green function built from blocking helpers blocks the same way.
 * function* recvPair(ch: Channel<number>): Generator<Park, number, unknown> {
 *   return (yield* ch.recv()) + (yield* ch.recv());
 * }
 * const rt = new Runtime();
 * const ch = new Channel<number>(2);
 * const t = rt.spawn(function* () {
 *   return yield* recvPair(ch);
 * });
 * ch.trySend(1);
 * ch.trySend(2);
 * rt.run();
 * console.log(t.result); // 3
 * ```
 */
export interface Park {
  readonly __park: true;
}
/**
 * The one Park value. Helpers `yield PARK`; user code never needs it.
 *
 * @example
 * ```ts
 * import { type Blocker, PARK, parkOn, Runtime, type Thread, wake } from "@greenthreads/scheduler";
 * // A hand-written blocking step: register with a Blocker, then yield PARK.
 * const rt = new Runtime();
 * let parked: Thread | undefined;
 * const doorbell: Blocker = {
 *   describeWait: () => "the doorbell",
 *   cancelWait: () => {
 *     parked = undefined;
 *   },
 * };
 * const t = rt.spawn(function* (self) {
 *   parked = self;
 *   parkOn(self, doorbell);
 *   return yield PARK; // resumes with the value given to wake()
 * });
 * rt.spawn(function* () {
 *   if (parked) wake(parked, "ding");
 * });
 * rt.run();
 * console.log(t.result); // "ding"
 * ```
 */
export const PARK: Park = processWide.park as Park;

/**
 * How a thread ended.
 *
 * @example
 * ```ts
 * import { type Outcome, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const t = rt.spawn(function* () {
 *   yield;
 *   return 1;
 * });
 * t.cancel();
 * rt.run();
 * const outcome: Outcome<number> | undefined = t.outcome;
 * console.log(outcome); // { kind: "cancelled" }
 * ```
 */
export type Outcome<T> =
  | { readonly kind: "returned"; readonly value: T }
  | { readonly kind: "threw"; readonly error: unknown }
  | { readonly kind: "cancelled" };

/**
 * The state of a thread as {@link Thread.state} reports it. The runtime keeps
 * a small integer; this string is for people, tests and reports.
 *
 * @example
 * ```ts
 * import { Runtime, type ThreadState } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const seen: ThreadState[] = [];
 * const t = rt.spawn(function* (self) {
 *   seen.push(self.state);
 *   yield;
 * });
 * seen.push(t.state);
 * rt.run();
 * seen.push(t.state);
 * console.log(seen); // ["ready", "running", "done"]
 * ```
 */
export type ThreadState = "ready" | "running" | "blocked" | "done";
const STATE_NAMES: readonly ThreadState[] = ["ready", "running", "blocked", "done"];

/** Rarely used per-thread state, created on first use. */
export interface ThreadExtra {
  name: string | undefined;
  joiners: Thread[] | null;
}

/**
 * A green thread: the handle `spawn()` returns and the runtime's record.
 * `T` is the body's return type.
 *
 * @example
 * ```ts
 * import { Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const t = rt.spawn(
 *   function* (self) {
 *     yield;
 *     return `${self.name} done`;
 *   },
 *   { name: "worker" },
 * );
 * console.log(t.label, t.state); // thread "worker" (#1) ready
 * rt.run();
 * console.log(t.result); // "worker done"
 * ```
 */
export class Thread<T = unknown> implements NamedThread, Blocker {
  /** 1, 2, 3... in spawn order within its runtime. */
  readonly id: number;
  /** @internal READY | RUNNING | BLOCKED | DONE */ _state: number;
  /** @internal resume mode, cancellation, outcome bits */ _flags: number;
  /** @internal */ _driver: ThreadDriver;
  /** @internal the generator (or machine handle); null once done */ _body: unknown;
  /** @internal resume value (with RESUME_VALUE/THROW) before a step, result after it */ _value: unknown;
  /** @internal what it waits for while BLOCKED */ _waitingOn: Blocker | null;
  /** Free slot for the scheduler policy (a queue index, a priority...). */
  sched: unknown;
  /** @internal name, joiners: created on first use */ _extra: ThreadExtra | null;

  /** `instanceof Thread` holds for threads of either build of the package (see process-wide.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, THREAD_BRAND);
  }

  /** @internal Threads are made by `Runtime.spawn()`/`spawnWith()`. */
  constructor(id: number, name: string | undefined, driver: ThreadDriver, body: unknown) {
    this.id = id;
    this._state = READY;
    this._flags = 0;
    this._driver = driver;
    this._body = body;
    this._value = undefined;
    this._waitingOn = null;
    this.sched = undefined;
    this._extra = name === undefined ? null : { name, joiners: null };
  }

  /** The name given at spawn, or `#<id>`. */
  get name(): string {
    return this._extra?.name ?? `#${this.id}`;
  }

  /** `thread "name" (#id)`, or `thread #id` when unnamed: how errors name it. */
  get label(): string {
    const name = this._extra?.name;
    return name === undefined
      ? `thread #${this.id}`
      : `thread ${JSON.stringify(name)} (#${this.id})`;
  }

  get state(): ThreadState {
    if (this._state === READY && processWide.current === this) return "running";
    return STATE_NAMES[this._state]!;
  }

  get done(): boolean {
    return this._state === DONE;
  }

  /** The runtime that owns this thread. */
  get runtime(): Runtime {
    return this._driver.runtime;
  }

  /**
   * What its driver resumes: the generator of a `spawn()` thread, the body
   * given to `spawnWith(driver, body)`; null once the thread is done.
   */
  get body(): unknown {
    return this._body;
  }

  /** "generator" for `spawn()` threads, the driver's `kind` for others. */
  get kind(): string {
    return this._driver.kind;
  }

  /** What the thread waits for while blocked, else undefined. */
  get waitingFor(): string | undefined {
    return this._state === BLOCKED && this._waitingOn
      ? this._waitingOn.describeWait(this)
      : undefined;
  }

  /** How it ended, or undefined while it has not. */
  get outcome(): Outcome<T> | undefined {
    if (this._state !== DONE) return undefined;
    const f = this._flags;
    if (f & OUTCOME_RETURNED) return { kind: "returned", value: this._value as T };
    if (f & OUTCOME_THREW) return { kind: "threw", error: this._value };
    return { kind: "cancelled" };
  }

  /**
   * The returned value. Throws what the thread threw, a ThreadCancelledError if
   * it was cancelled, or a SchedulerError if it has not finished.
   */
  get result(): T {
    if (this._state !== DONE) {
      throw new SchedulerError(`has not finished (it is ${this.state})`, {
        code: "NOT_FINISHED",
        thread: this,
      });
    }
    const f = this._flags;
    if (f & OUTCOME_RETURNED) return this._value as T;
    this._flags |= FAILURE_HANDLED;
    if (f & OUTCOME_THREW) throw this._value;
    throw new ThreadCancelledError("was cancelled", { thread: this });
  }

  /**
   * Cancel the thread: the next time it would run, its body returns from the
   * point where it is suspended, so its `finally` blocks run (they may still
   * yield or block). A blocked thread is woken for this. Returns false if the
   * thread is already done or already cancelled.
   */
  cancel(): boolean {
    return this._driver.runtime._cancel(this);
  }

  toString(): string {
    return this.label;
  }

  /** @internal A thread is the Blocker of the threads that join it. */
  describeWait(_joiner: Thread): string {
    if (this._state === BLOCKED) return `join(${this.label}), which is blocked`;
    return `join(${this.label}), which is ${this.state}`;
  }

  /** @internal */
  cancelWait(joiner: Thread): void {
    const js = this._extra?.joiners;
    if (!js) return;
    const i = js.indexOf(joiner);
    if (i >= 0) js.splice(i, 1);
  }
}

Object.defineProperty(Thread.prototype, THREAD_BRAND, { value: true });
