import { SchedulerError } from "../errors.js";
import { requireThread, wake } from "../runtime.js";
import { type Blocker, PARK, type Park, type Thread } from "../thread.js";

/**
 * Options of `new WaitGroup(options)`.
 *
 * @example
 * ```ts
 * import { WaitGroup, type WaitGroupOptions } from "@greenthreads/scheduler";
 * const options: WaitGroupOptions = { name: "uploads" };
 * console.log(new WaitGroup(options).label); // "wait group \"uploads\""
 * ```
 */
export interface WaitGroupOptions {
  /** Shown in deadlock reports and errors. */
  name?: string;
}

/**
 * Go's WaitGroup: a counter of outstanding work. `add(n)` counts work
 * started, `done()` work finished, and `wait()` blocks until the counter is
 * 0. All waiters wake together when it reaches 0. A waiter cancelled (or
 * timed out) while it waits is simply forgotten: waiting takes nothing.
 * `add` and `done` may be called from any thread or from host code. A
 * counter below 0 is an error (more `done` than `add`).
 *
 * @example
 * ```ts
 * import { Runtime, WaitGroup } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const wg = new WaitGroup({ name: "workers" });
 * const finished: number[] = [];
 * for (const n of [1, 2, 3]) {
 *   wg.add(1);
 *   rt.spawn(function* () {
 *     for (let i = 0; i < n; i++) yield;
 *     finished.push(n);
 *     wg.done();
 *   });
 * }
 * const boss = rt.spawn(function* () {
 *   yield* wg.wait();
 *   return finished.length;
 * });
 * rt.run();
 * console.log(boss.result); // 3
 * ```
 */
export class WaitGroup implements Blocker {
  readonly name: string | undefined;
  private counter = 0;
  private waiters: Thread[] = [];

  constructor(options: WaitGroupOptions = {}) {
    this.name = options.name;
  }

  get label(): string {
    return this.name === undefined ? "wait group" : `wait group ${JSON.stringify(this.name)}`;
  }

  /** Work outstanding. */
  get count(): number {
    return this.counter;
  }

  /** Count `n` more pieces of work (n may be negative, like Go's, but the counter may not go below 0). */
  add(n = 1): void {
    if (typeof n !== "number" || !Number.isInteger(n)) {
      throw new SchedulerError(`add(n) on ${this.label}: n must be an integer, got ${String(n)}`, {
        code: "BAD_ARGUMENT",
      });
    }
    if (this.counter + n < 0) {
      throw new SchedulerError(
        `${n === -1 ? "done()" : `add(${n})`} on ${this.label} would make its counter ${this.counter + n}: more work finished than was added`,
        { code: "WAIT_GROUP_NEGATIVE" },
      );
    }
    this.counter += n;
    if (this.counter === 0 && this.waiters.length > 0) {
      const ws = this.waiters;
      this.waiters = [];
      for (const w of ws) wake(w);
    }
  }

  /** One piece of work finished: `add(-1)`. */
  done(): void {
    this.add(-1);
  }

  /** `yield* wg.wait()`: block until the counter is 0 (at once if it is). */
  wait(): Generator<Park, void, unknown> {
    return this.waiting(requireThread("waitGroup.wait()"));
  }

  describeWait(): string {
    return `wait on ${this.label} (${this.counter} outstanding)`;
  }

  cancelWait(t: Thread): void {
    const i = this.waiters.indexOf(t);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  private *waiting(self: Thread): Generator<Park, void, unknown> {
    if (this.counter === 0) return;
    this.waiters.push(self);
    self._waitingOn = this;
    yield PARK;
  }
}
