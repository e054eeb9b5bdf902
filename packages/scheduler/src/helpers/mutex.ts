import { SchedulerError } from "../errors.js";
import { Ring } from "../ring.js";
import { currentThread, requireThread, wake } from "../runtime.js";
import { type Blocker, PARK, type Park, type Thread } from "../thread.js";

/**
 * Options of `new Mutex(options)`. A name makes deadlock reports and errors
 * say which lock a thread was stuck on.
 *
 * @example
 * ```ts
 * import { Mutex, type MutexOptions } from "@greenthreads/scheduler";
 * const options: MutexOptions = { name: "accounts" };
 * console.log(new Mutex(options).label); // mutex "accounts"
 * ```
 */
export interface MutexOptions {
  /** Shown in deadlock reports and errors. */
  name?: string;
}

/**
 * A lock for threads. Not re-entrant. Waiters get the lock in arrival order:
 * unlock() hands it straight to the first waiter.
 *
 *   yield* m.lock(); try { ... } finally { m.unlock(); }
 *   const v = yield* m.withLock(function* () { ...; return v; });
 *
 * @example
 * ```ts
 * import { Mutex, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const m = new Mutex({ name: "counter" });
 * let count = 0;
 * for (let i = 0; i < 3; i++) {
 *   rt.spawn(function* () {
 *     yield* m.withLock(function* () {
 *       const seen = count;
 *       yield; // others run, but cannot enter
 *       count = seen + 1;
 *     });
 *   });
 * }
 * rt.run();
 * console.log(count); // 3
 * ```
 */
export class Mutex implements Blocker {
  readonly name: string | undefined;
  private owner: Thread | null = null;
  private readonly waiters = new Ring<Thread>(4);

  constructor(options: MutexOptions = {}) {
    this.name = options.name;
  }

  get label(): string {
    return this.name === undefined ? "mutex" : `mutex ${JSON.stringify(this.name)}`;
  }

  get locked(): boolean {
    return this.owner !== null;
  }

  /** The thread holding the lock, or null. */
  get holder(): Thread | null {
    return this.owner;
  }

  /** `yield* m.lock()` */
  lock(): Generator<Park, void, unknown> {
    const self = requireThread("mutex.lock()");
    if (this.owner === self) {
      throw new SchedulerError(
        `lock(): already holds ${this.label}; Mutex is not re-entrant, locking it again would deadlock`,
        { code: "MUTEX_REENTERED", thread: self },
      );
    }
    return this.locking(self);
  }

  /** Take the lock if it is free; never blocks. Must be called from a thread. */
  tryLock(): boolean {
    const self = requireThread("mutex.tryLock()");
    if (this.owner !== null) return false;
    this.owner = self;
    return true;
  }

  /** Release the lock; the calling thread must hold it. */
  unlock(): void {
    const self = currentThread();
    if (this.owner === null) {
      throw new SchedulerError(
        `unlock(): ${this.label} is not locked`,
        self ? { code: "MUTEX_NOT_HELD", thread: self } : { code: "MUTEX_NOT_HELD" },
      );
    }
    if (self !== this.owner) {
      throw new SchedulerError(
        `unlock(): ${this.label} is held by ${this.owner.label}; only its holder can unlock it`,
        self ? { code: "MUTEX_NOT_HELD", thread: self } : { code: "MUTEX_NOT_HELD" },
      );
    }
    this.release();
  }

  /** Run `body` holding the lock; unlock however it ends. */
  *withLock<R>(body: () => Generator<unknown, R, unknown>): Generator<unknown, R, unknown> {
    yield* this.lock();
    try {
      return yield* body();
    } finally {
      this.unlock();
    }
  }

  describeWait(): string {
    const by = this.owner === null ? "" : ` held by ${this.owner.label}`;
    return `lock on ${this.label}${by}`;
  }

  cancelWait(t: Thread): void {
    this.waiters.remove(t);
  }

  private release(): void {
    const next = this.waiters.shift();
    this.owner = next ?? null;
    if (next !== undefined) wake(next);
  }

  private *locking(self: Thread): Generator<Park, void, unknown> {
    if (this.owner === null) {
      this.owner = self;
      return;
    }
    this.waiters.push(self);
    self._waitingOn = this;
    let acquired = false;
    try {
      yield PARK;
      acquired = true;
    } finally {
      // Handed the lock, then cancelled before it ran: pass the lock on.
      if (!acquired && this.owner === self) this.release();
    }
  }
}
