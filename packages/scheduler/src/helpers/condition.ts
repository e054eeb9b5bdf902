import { SchedulerError } from "../errors.js";
import { Ring } from "../ring.js";
import { requireThread, wake } from "../runtime.js";
import { type Blocker, PARK, type Park, type Thread } from "../thread.js";
import type { Mutex } from "./mutex.js";

/**
 * Options of `new Condition(mutex, options)`.
 *
 * @example
 * ```ts
 * import { Condition, type ConditionOptions, Mutex } from "@greenthreads/scheduler";
 * const options: ConditionOptions = { name: "not empty" };
 * console.log(new Condition(new Mutex(), options).label); // "condition \"not empty\""
 * ```
 */
export interface ConditionOptions {
  /** Shown in deadlock reports and errors. */
  name?: string;
}

/**
 * A condition variable over a {@link Mutex}, like Go's sync.Cond. `wait()`
 * must be called holding the mutex: it unlocks it, waits for a `notify()` or
 * `notifyAll()`, and locks it again before it returns. However `wait()` ends
 * (notified, cancelled, timed out) it holds the mutex again, so the caller's
 * `finally { m.unlock() }` is always right. Waiters are notified in arrival
 * order; a notification given to a waiter that is cancelled before it ran is
 * passed on to the next waiter, so none is lost. As everywhere, re-check the
 * condition in a loop after waking.
 *
 * @example
 * ```ts
 * import { Condition, Mutex, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const m = new Mutex({ name: "queue" });
 * const nonEmpty = new Condition(m, { name: "non-empty" });
 * const queue: string[] = [];
 * const consumer = rt.spawn(function* () {
 *   yield* m.lock();
 *   try {
 *     while (queue.length === 0) yield* nonEmpty.wait();
 *     return queue.shift();
 *   } finally {
 *     m.unlock();
 *   }
 * });
 * rt.spawn(function* () {
 *   yield* m.withLock(function* () {
 *     queue.push("job");
 *     nonEmpty.notify();
 *   });
 * });
 * rt.run();
 * console.log(consumer.result); // "job"
 * ```
 */
export class Condition implements Blocker {
  readonly name: string | undefined;
  readonly mutex: Mutex;
  private readonly waiters = new Ring<Thread>(4);
  /** Notified threads that have not run yet. */
  private readonly notified = new Set<Thread>();

  constructor(mutex: Mutex, options: ConditionOptions = {}) {
    if (typeof mutex !== "object" || mutex === null || typeof mutex.lock !== "function") {
      throw new SchedulerError("new Condition(mutex): mutex must be a Mutex", {
        code: "BAD_ARGUMENT",
      });
    }
    this.mutex = mutex;
    this.name = options.name;
  }

  get label(): string {
    return this.name === undefined ? "condition" : `condition ${JSON.stringify(this.name)}`;
  }

  /** Threads waiting to be notified. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** `yield* cond.wait()`: unlock the mutex, wait for a notification, lock it again. */
  wait(): Generator<Park, void, unknown> {
    const self = requireThread("condition.wait()");
    if (this.mutex.holder !== self) {
      throw new SchedulerError(
        `wait() on ${this.label}: the thread must hold ${this.mutex.label} (lock it first)`,
        { code: "MUTEX_NOT_HELD", thread: self },
      );
    }
    return this.waitingFor(self);
  }

  /** Wake the waiter waiting longest, if any. From a thread or host code. */
  notify(): void {
    const t = this.waiters.shift();
    if (t === undefined) return;
    this.notified.add(t);
    wake(t);
  }

  /** Wake every waiter. */
  notifyAll(): void {
    while (this.waiters.size > 0) this.notify();
  }

  describeWait(): string {
    return `notify on ${this.label} (of ${this.mutex.label})`;
  }

  cancelWait(t: Thread): void {
    this.waiters.remove(t);
  }

  private *waitingFor(self: Thread): Generator<Park, void, unknown> {
    this.mutex.unlock();
    this.waiters.push(self);
    self._waitingOn = this;
    let resumed = false;
    try {
      yield PARK;
      resumed = true;
    } finally {
      // Notified, then cancelled before it ran: the next waiter gets the notification.
      if (this.notified.delete(self) && !resumed) this.notify();
      yield* this.mutex.lock();
    }
  }
}
