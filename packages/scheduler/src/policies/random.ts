/**
 * Random: each decision picks a ready thread uniformly at random from a seeded
 * xoshiro128** stream, so a seed names a schedule. The ready set is an array;
 * a pick swaps the chosen thread with the last one and pops it.
 */
import { type Seed, Xoshiro128 } from "../prng.js";
import type { Scheduler } from "../scheduler.js";
import type { Thread } from "../thread.js";

/**
 * Options of `new Random(options)`: the seed of its stream, which names the
 * schedule.
 *
 * @example
 * ```ts
 * import { Random, type RandomOptions } from "@greenthreads/scheduler";
 * const options: RandomOptions = { seed: 123n };
 * console.log(new Random(options).seed); // 123n
 * ```
 */
export interface RandomOptions {
  /** Default 0. */
  seed?: Seed;
}

/**
 * The uniformly random policy described above: good at shaking out ordering
 * bugs, and reproducible, since the same seed gives the same schedule.
 *
 * @example
 * ```ts
 * import { Random, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime({ scheduler: new Random({ seed: 42 }) });
 * const order: number[] = [];
 * for (const n of [1, 2, 3, 4]) {
 *   rt.spawn(function* () {
 *     order.push(n);
 *   });
 * }
 * rt.run();
 * console.log(order.length); // 4, in an order seed 42 always gives
 * ```
 */
export class Random implements Scheduler {
  readonly name = "random";
  readonly seed: Seed;
  private readonly rng: Xoshiro128;
  private readonly ready: Thread[] = [];

  constructor(options: RandomOptions = {}) {
    this.seed = options.seed ?? 0;
    this.rng = new Xoshiro128(this.seed);
  }

  onSpawn(t: Thread): void {
    this.ready.push(t);
  }

  onYield(t: Thread): void {
    this.ready.push(t);
  }

  onWake(t: Thread): void {
    this.ready.push(t);
  }

  onBlock(_t: Thread): void {}

  onExit(_t: Thread): void {}

  /** Uniformly at random, from the same stream as the picks. */
  choose(n: number): number {
    return this.rng.nextInt(n);
  }

  pick(): Thread | undefined {
    const a = this.ready;
    const n = a.length;
    if (n === 0) return undefined;
    const last = a.pop()!;
    if (n === 1) return last;
    const i = this.rng.nextInt(n);
    if (i === n - 1) return last;
    const t = a[i]!;
    a[i] = last;
    return t;
  }
}
