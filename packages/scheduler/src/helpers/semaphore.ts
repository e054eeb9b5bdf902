import { SchedulerError } from "../errors.js";
import { Ring } from "../ring.js";
import { requireThread, wake } from "../runtime.js";
import { type Blocker, PARK, type Park, type Thread } from "../thread.js";

/**
 * Options of `new Semaphore(permits, options)`.
 *
 * @example
 * ```ts
 * import { Semaphore, type SemaphoreOptions } from "@greenthreads/scheduler";
 * const options: SemaphoreOptions = { name: "slots" };
 * console.log(new Semaphore(2, options).label); // "semaphore \"slots\""
 * ```
 */
export interface SemaphoreOptions {
  /** Shown in deadlock reports and errors. */
  name?: string;
}

function checkCount(n: unknown, what: string, self?: Thread): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new SchedulerError(
      `${what}: n must be an integer >= 1, got ${String(n)}`,
      self ? { code: "BAD_ARGUMENT", thread: self } : { code: "BAD_ARGUMENT" },
    );
  }
  return n;
}

/**
 * A counting semaphore: `permits` threads (or units) at a time. `acquire(n)`
 * waits until n permits are free; waiters are served in arrival order (a
 * large request at the front is not overtaken by smaller ones). Like
 * Dijkstra's, it is a counter: `release` adds permits whether or not the
 * caller acquired any, so a semaphore made with 0 permits is a signal (see
 * the bounded buffer in the README). Permits are
 * handed straight to the waiter they wake; if it is cancelled (or times out)
 * before it runs, they are released again, so none is ever lost, and a
 * waiter cancelled while it waits takes none. `release` may be called from
 * any thread or from host code.
 *
 *   yield* sem.acquire(); try { ... } finally { sem.release(); }
 *   const v = yield* sem.withPermit(function* () { ...; return v; });
 *
 * @example
 * ```ts
 * import { Runtime, Semaphore } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const slots = new Semaphore(2, { name: "slots" });
 * let inside = 0;
 * let most = 0;
 * for (let i = 0; i < 5; i++) {
 *   rt.spawn(function* () {
 *     yield* slots.withPermit(function* () {
 *       most = Math.max(most, ++inside);
 *       yield;
 *       inside--;
 *     });
 *   });
 * }
 * rt.run();
 * console.log(most, slots.available); // 2 2
 * ```
 */
export class Semaphore implements Blocker {
  readonly name: string | undefined;
  /** The permits it was made with. */
  readonly permits: number;
  private free: number;
  private readonly waiters = new Ring<Thread>(4);
  private readonly wants = new Ring<number>(4);
  /** Threads woken with permits that have not run yet, and how many each got. */
  private readonly handed = new Map<Thread, number>();

  constructor(permits: number, options: SemaphoreOptions = {}) {
    if (typeof permits !== "number" || !Number.isInteger(permits) || permits < 0) {
      throw new SchedulerError(
        `new Semaphore(permits): permits must be an integer >= 0, got ${String(permits)}`,
        { code: "BAD_ARGUMENT" },
      );
    }
    this.permits = permits;
    this.free = permits;
    this.name = options.name;
  }

  get label(): string {
    return this.name === undefined ? "semaphore" : `semaphore ${JSON.stringify(this.name)}`;
  }

  /** Permits free now. */
  get available(): number {
    return this.free;
  }

  /** `yield* sem.acquire(n = 1)`: wait until `n` permits are free and take them. */
  acquire(n = 1): Generator<Park, void, unknown> {
    const self = requireThread("semaphore.acquire(n)");
    checkCount(n, `acquire(n) on ${this.label}`, self);
    return this.acquiring(self, n);
  }

  /** Take `n` permits if they are free and nobody waits; never blocks. */
  tryAcquire(n = 1): boolean {
    checkCount(n, `tryAcquire(n) on ${this.label}`);
    if (this.waiters.size > 0 || this.free < n) return false;
    this.free -= n;
    return true;
  }

  /** Give back `n` permits, waking waiters that can now go on. From a thread or host code. */
  release(n = 1): void {
    checkCount(n, `release(n) on ${this.label}`);
    this.free += n;
    this.serve();
  }

  /** Run `body` holding one permit; release it however it ends. */
  *withPermit<R>(body: () => Generator<unknown, R, unknown>): Generator<unknown, R, unknown> {
    yield* this.acquire();
    try {
      return yield* body();
    } finally {
      this.release();
    }
  }

  describeWait(t: Thread): string {
    const i = this.waiters.indexOf(t);
    const n = i < 0 ? 1 : this.wants.at(i)!;
    return `acquire(${n}) on ${this.label} (${this.free} permits free)`;
  }

  cancelWait(t: Thread): void {
    const i = this.waiters.indexOf(t);
    if (i < 0) return;
    this.waiters.removeAt(i);
    this.wants.removeAt(i);
    // The front may have been the one holding others back.
    this.serve();
  }

  /** Hand free permits to waiters at the front, in order, while they fit. */
  private serve(): void {
    for (let w = this.waiters.peek(); w !== undefined; w = this.waiters.peek()) {
      const n = this.wants.peek()!;
      if (n > this.free) return;
      this.waiters.shift();
      this.wants.shift();
      this.free -= n;
      this.handed.set(w, n);
      wake(w);
    }
  }

  private *acquiring(self: Thread, n: number): Generator<Park, void, unknown> {
    if (this.waiters.size === 0 && this.free >= n) {
      this.free -= n;
      return;
    }
    this.waiters.push(self);
    this.wants.push(n);
    self._waitingOn = this;
    let resumed = false;
    try {
      yield PARK;
      resumed = true;
    } finally {
      const got = this.handed.get(self);
      if (got !== undefined) {
        this.handed.delete(self);
        // Handed permits, then cancelled before it ran: they go back.
        if (!resumed) {
          this.free += got;
          this.serve();
        }
      }
    }
  }
}
