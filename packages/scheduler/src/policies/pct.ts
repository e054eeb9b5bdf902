/**
 * PCT: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi and
 * Nagarakatte, "A Randomized Scheduler with Probabilistic Guarantees of Finding
 * Bugs", ASPLOS 2010).
 *
 * Every thread gets a random initial priority, all of them at least `depth`;
 * `depth - 1` change points are chosen uniformly among the first `steps`
 * decisions. The highest-priority ready thread always runs; when decision k_i
 * is reached, the thread about to run drops to priority depth - i and the
 * next highest runs instead. A run with n threads and at most k steps finds a
 * given bug of depth d with probability at least 1 / (n * k^(d-1)).
 *
 * Threads spawned during the run get a random priority too, which places them
 * at a uniformly random rank among the others.
 */
import { SchedulerError } from "../errors.js";
import { ThreadHeap } from "../heap.js";
import { type Seed, Xoshiro128 } from "../prng.js";
import type { Scheduler } from "../scheduler.js";
import type { Thread } from "../thread.js";

/**
 * Options of `new PCT(options)`: the seed names the run; `depth` and `steps`
 * set the bug depth PCT aims at and how many decisions it spreads its
 * priority changes over.
 *
 * @example
 * ```ts
 * import { PCT, type PCTOptions } from "@greenthreads/scheduler";
 * const options: PCTOptions = { seed: 1, depth: 3, steps: 50 };
 * console.log(new PCT(options).changePoints.length); // 2
 * ```
 */
export interface PCTOptions {
  /** Default 0. */
  seed?: Seed;
  /** Bug depth d >= 1 (d - 1 priority change points). Default 2. */
  depth?: number;
  /** Expected number of decisions k in a run, >= 1. Default 100. */
  steps?: number;
}

/**
 * The PCT policy described above. Mostly used through
 * `explore(body, { strategy: "pct" })`; use it directly to rerun one seed.
 *
 * @example
 * ```ts
 * import { PCT, Runtime } from "@greenthreads/scheduler";
 * const order = (seed: number) => {
 *   const rt = new Runtime({ scheduler: new PCT({ seed, depth: 2, steps: 10 }) });
 *   const out: string[] = [];
 *   for (const name of ["a", "b", "c"]) {
 *     rt.spawn(function* () {
 *       yield;
 *       out.push(name);
 *     });
 *   }
 *   rt.run();
 *   return out.join("");
 * };
 * console.log(order(4) === order(4)); // true: a seed names a schedule
 * ```
 */
export class PCT implements Scheduler {
  readonly name = "pct";
  readonly seed: Seed;
  readonly depth: number;
  readonly steps: number;
  /** The decisions (1-based) at which priorities change, in order. */
  readonly changePoints: readonly number[];
  private readonly changePriority: number[];
  private readonly rng: Xoshiro128;
  private readonly heap = new ThreadHeap();
  private step = 0;
  private nextChange = 0;

  constructor(options: PCTOptions = {}) {
    const depth = options.depth ?? 2;
    const steps = options.steps ?? 100;
    if (!Number.isInteger(depth) || depth < 1) {
      throw new SchedulerError(`new PCT(): depth must be an integer >= 1, got ${String(depth)}`, {
        code: "BAD_ARGUMENT",
      });
    }
    if (!Number.isInteger(steps) || steps < 1) {
      throw new SchedulerError(`new PCT(): steps must be an integer >= 1, got ${String(steps)}`, {
        code: "BAD_ARGUMENT",
      });
    }
    this.seed = options.seed ?? 0;
    this.depth = depth;
    this.steps = steps;
    this.rng = new Xoshiro128(this.seed);
    // d - 1 distinct change points, uniform over 1..k; the i-th drawn gets priority d - i.
    const chosen = new Map<number, number>();
    const want = Math.min(depth - 1, steps);
    for (let i = 1; chosen.size < want; ) {
      const k = 1 + this.rng.nextInt(steps);
      if (!chosen.has(k)) chosen.set(k, depth - i++);
    }
    const points = [...chosen.keys()].sort((a, b) => a - b);
    this.changePoints = points;
    this.changePriority = points.map((k) => chosen.get(k)!);
  }

  onSpawn(t: Thread): void {
    t.sched = this.depth + this.rng.nextFloat();
    this.heap.push(t, -(t.sched as number));
  }

  onYield(t: Thread): void {
    this.heap.push(t, -(t.sched as number));
  }

  onWake(t: Thread): void {
    this.heap.push(t, -(t.sched as number));
  }

  onBlock(_t: Thread): void {}

  onExit(_t: Thread): void {}

  /** Uniformly at random: PCT's guarantee is about the order of threads, not these choices. */
  choose(n: number): number {
    return this.rng.nextInt(n);
  }

  pick(): Thread | undefined {
    const heap = this.heap;
    if (heap.size === 0) return undefined;
    this.step++;
    if (
      this.nextChange < this.changePoints.length &&
      this.changePoints[this.nextChange] === this.step
    ) {
      const t = heap.pop()!;
      t.sched = this.changePriority[this.nextChange++]!;
      heap.push(t, -(t.sched as number));
    }
    return heap.pop();
  }
}
