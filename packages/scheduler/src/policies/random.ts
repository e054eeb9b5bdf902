/**
 * Random: each decision picks a ready thread uniformly at random from a seeded
 * xoshiro128** stream, so a seed names a schedule. The ready set is an array;
 * a pick swaps the chosen thread with the last one and pops it.
 */
import { type Seed, Xoshiro128 } from "../prng.js";
import type { Scheduler } from "../scheduler.js";
import type { Thread } from "../thread.js";

export interface RandomOptions {
  /** Default 0. */
  seed?: Seed;
}

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
