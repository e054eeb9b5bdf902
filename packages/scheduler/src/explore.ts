/**
 * explore(): run a concurrent test body under many schedules and report the
 * first one that fails, with what reproduces it.
 *
 * The body gets a fresh Runtime each run, spawns threads (and may run them
 * itself); explore() then runs what is left and calls the check function the
 * body returned, if any. A run fails when the body, a thread, the run (e.g. a
 * deadlock) or the check throws. Strategies:
 *   - "random": Random policy, run i seeded with seed + i;
 *   - "pct":    PCT policy (bug depth `depth`), run i seeded with seed + i;
 *   - "dfs":    every schedule, depth first, over the decisions of the run
 *               (a decision is a pick among two or more ready threads, or a
 *               choice a thread asked for with Runtime.choose(n)), up to
 *               `runs` schedules; decisions after the first `maxDecisions` of a
 *               run always take the first ready thread.
 * The failure carries the schedule string: `new Replay(schedule)` runs the
 * same body the same way again, switch for switch.
 */
import { SchedulerError, type SchedulerErrorCode } from "./errors.js";
import { IdOrderedPolicy } from "./policies/id-ordered.js";
import { PCT } from "./policies/pct.js";
import { Random } from "./policies/random.js";
import { Replay } from "./policies/replay.js";
import { checkSeed, type Seed } from "./prng.js";
import { Runtime } from "./runtime.js";
import type { Scheduler } from "./scheduler.js";
import type { Thread } from "./thread.js";
import type { Trace } from "./trace.js";

/**
 * How {@link explore} chooses the schedules it tries: seeded random picks,
 * PCT's priority changes (good at bugs that need a few switches in the right
 * places), or every schedule in turn, depth first (exhaustive for small tests).
 *
 * @example
 * ```ts
 * import { explore, type ExploreStrategy } from "@greenthreads/scheduler";
 * for (const strategy of ["random", "pct", "dfs"] satisfies ExploreStrategy[]) {
 *   const r = explore((rt) => void rt.spawn(function* () { yield; }), { strategy, runs: 5 });
 *   console.log(strategy, r.ok); // random true, pct true, dfs true
 * }
 * ```
 */
export type ExploreStrategy = "random" | "pct" | "dfs";

/**
 * Spawns the threads of one run; may return a check to call after the run.
 *
 * @example
 * ```ts
 * import { Channel, type ExploreBody, explore } from "@greenthreads/scheduler";
 * // Two producers, one consumer: the consumer must see every value.
 * const body: ExploreBody = (rt) => {
 *   const ch = new Channel<number>(1);
 *   let sum = 0;
 *   for (const v of [1, 2]) rt.spawn(function* () { yield* ch.send(v); });
 *   rt.spawn(function* () { sum = (yield* ch.recv()) + (yield* ch.recv()); });
 *   return () => {
 *     if (sum !== 3) throw new Error(`sum is ${sum}`);
 *   };
 * };
 * console.log(explore(body, { strategy: "dfs" }).exhausted); // true
 * ```
 */
export type ExploreBody = (rt: Runtime, run: number) => void | (() => void);

/**
 * Options of {@link explore}: which strategy, how many runs, and the limits of
 * one run. Every default is chosen so that `explore(body)` alone is useful.
 *
 * @example
 * ```ts
 * import { explore, type ExploreOptions } from "@greenthreads/scheduler";
 * // PCT looking for bugs that need up to 3 well-placed switches, reproducibly.
 * const options: ExploreOptions = { strategy: "pct", depth: 3, runs: 200, seed: 7 };
 * const result = explore((rt) => {
 *   for (let i = 0; i < 3; i++) rt.spawn(function* () { yield; });
 * }, options);
 * console.log(result.ok, result.runs); // true 200
 * ```
 */
export interface ExploreOptions {
  /** Default "random". */
  strategy?: ExploreStrategy;
  /** Runs to make (for dfs: the most schedules to try). Default 1000. */
  runs?: number;
  /** Seed of run 0 for random and pct; run i uses seed + i. Default 0. */
  seed?: Seed;
  /** pct: bug depth d. Default 2. */
  depth?: number;
  /** pct: expected decisions k per run. Default: the most switches of any earlier run (100 for the first). */
  steps?: number;
  /** dfs: decisions per run that branch. Default 64. */
  maxDecisions?: number;
  /** A run still going after this many switches fails (a livelock). Default 1,000,000. */
  maxSwitches?: number;
  /**
   * On a failure, replay the failing schedule once more with tracing on and
   * give its trace, failing step marked, as `failure.trace`. Default false.
   */
  trace?: boolean;
}

/**
 * The failing run: its error, how to reproduce it, and the cause.
 *
 * @example
 * ```ts
 * import { explore, Replay, Runtime, type ExploreBody } from "@greenthreads/scheduler";
 * let count = 0;
 * const body: ExploreBody = (rt) => {
 *   count = 0;
 *   for (let i = 0; i < 2; i++) {
 *     rt.spawn(function* () {
 *       const seen = count;
 *       yield; // another thread may update count here
 *       count = seen + 1;
 *     });
 *   }
 * };
 * const failure = explore((rt) => {
 *   body(rt, 0);
 *   return () => {
 *     if (count !== 2) throw new Error(`lost an update: count is ${count}`);
 *   };
 * }).failure;
 * if (failure) {
 *   // Run the same body again, switch for switch, to debug it.
 *   const rt = new Runtime({ scheduler: new Replay(failure.schedule) });
 *   body(rt, failure.run);
 *   rt.run();
 *   console.log(failure.code, count); // "EXPLORE_FAILED" 1
 * }
 * ```
 */
export class ExploreFailure extends SchedulerError {
  static readonly defaultCode: SchedulerErrorCode = "EXPLORE_FAILED";
  readonly strategy: ExploreStrategy;
  /** 0-based index of the failing run. */
  readonly run: number;
  /** The seed of the failing run (random and pct). */
  readonly seed: Seed | undefined;
  /** The failing run's schedule: `new Replay(schedule)` reproduces it. */
  readonly schedule: string;
  /** pct: the `steps` the failing run used. */
  readonly steps: number | undefined;
  readonly error: unknown;
  /**
   * The failing run replayed with tracing on, its failing step marked (see
   * {@link Trace.failure}); only when explore() was given `trace: true`.
   */
  trace: Trace | undefined = undefined;

  constructor(
    strategy: ExploreStrategy,
    run: number,
    seed: Seed | undefined,
    schedule: string,
    steps: number | undefined,
    depth: number | undefined,
    error: unknown,
  ) {
    const cause = error instanceof Error ? error.message : String(error);
    const policy =
      strategy === "random"
        ? `new Random({ seed: ${String(seed)} })`
        : strategy === "pct"
          ? `new PCT({ seed: ${String(seed)}, depth: ${depth}, steps: ${steps} })`
          : undefined;
    const how = [`new Replay(${JSON.stringify(schedule)})`];
    if (policy) how.push(policy);
    super(
      `explore (${strategy}): run ${run} failed${seed === undefined ? "" : ` (seed ${String(seed)})`}: ${cause}\n` +
        `  reproduce with the same body under new Runtime({ scheduler: ${how.join(" })\n  or new Runtime({ scheduler: ")} })`,
      { cause: error },
    );
    this.strategy = strategy;
    this.run = run;
    this.seed = seed;
    this.schedule = schedule;
    this.steps = steps;
    this.error = error;
  }
}

/**
 * What {@link explore} found: whether every run passed, how many runs it
 * made, whether dfs ran out of schedules, and the first failure if any.
 *
 * @example
 * ```ts
 * import { explore, type ExploreResult } from "@greenthreads/scheduler";
 * const result: ExploreResult = explore(
 *   (rt) => {
 *     rt.spawn(function* () { yield; });
 *     rt.spawn(function* () { yield; });
 *   },
 *   { strategy: "dfs" },
 * );
 * console.log(result.ok, result.exhausted, result.runs); // true true 6
 * ```
 */
export interface ExploreResult {
  /** True when no run failed. */
  ok: boolean;
  strategy: ExploreStrategy;
  /** Runs made (including the failing one). */
  runs: number;
  /** dfs: true when every schedule (within maxDecisions) was run. */
  exhausted: boolean;
  /** The first failing run. */
  failure?: ExploreFailure;
}

/** Depth-first search over schedules: follows a prefix of choices, then takes the first ready thread. */
class DfsScheduler extends IdOrderedPolicy {
  readonly name = "dfs";
  readonly choices: number[] = [];
  readonly counts: number[] = [];

  constructor(private readonly prefix: readonly number[]) {
    super();
  }

  pick(): Thread | undefined {
    const n = this.ready.size;
    if (n === 0) return undefined;
    if (n === 1) return this.ready.removeAt(0);
    return this.ready.removeAt(this.branch(n, "ready threads"));
  }

  /** A choice branches like a pick. */
  choose(n: number): number {
    return this.branch(n, "options");
  }

  /** The next decision: from the prefix, then the first of the `n`. */
  private branch(n: number, what: string): number {
    const d = this.choices.length;
    const c = d < this.prefix.length ? this.prefix[d]! : 0;
    if (c >= n) {
      throw new SchedulerError(
        `explore (dfs): decision ${d + 1} had ${n} ${what} this time but more before; the body must spawn and behave the same way on every run`,
        { code: "NONDETERMINISTIC_BODY" },
      );
    }
    this.choices.push(c);
    this.counts.push(n);
    return c;
  }
}

/** One run of the body on `rt`: spawn, run, check. Throws what fails the run. */
function runBody(rt: Runtime, body: ExploreBody, run: number, maxSwitches: number): void {
  const check = body(rt, run);
  if (rt.liveThreads > 0) {
    const summary = rt.run({ maxSwitches });
    if (summary.stopped) {
      throw new SchedulerError(
        `the threads were still running after ${maxSwitches} switches (livelock?)`,
        { code: "LIVELOCK" },
      );
    }
  }
  if (typeof check === "function") check();
}

/**
 * The failing run once more, under Replay of its schedule and with tracing
 * on: the same switches, now with names and events. Its own failure (the same
 * one, for a body that behaves the same way on every run) marks the trace.
 */
function traceReplay(
  body: ExploreBody,
  run: number,
  schedule: string,
  maxSwitches: number,
  error: unknown,
): Trace {
  const rt = new Runtime({ scheduler: new Replay(schedule), trace: true });
  let failed: unknown = error;
  try {
    runBody(rt, body, run, maxSwitches);
  } catch (e) {
    failed = e;
  }
  const trace = rt.trace!;
  trace.markFailure(failed);
  return trace;
}

function positiveInt(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new SchedulerError(`explore(): ${name} must be an integer >= 1, got ${String(v)}`, {
      code: "BAD_ARGUMENT",
    });
  }
  return v;
}

function addSeed(seed: Seed, i: number): Seed {
  return typeof seed === "bigint" ? seed + BigInt(i) : seed + i;
}

/**
 * Run `body` under many schedules; see the module comment. Synchronous: threads cannot sleep or wait.
 *
 * @example
 * ```ts
 * import { explore } from "@greenthreads/scheduler";
 * // A lost update: each thread reads, yields, then writes what it read plus one.
 * const result = explore((rt) => {
 *   let count = 0;
 *   for (let i = 0; i < 2; i++) {
 *     rt.spawn(function* () {
 *       const seen = count;
 *       yield;
 *       count = seen + 1;
 *     });
 *   }
 *   return () => {
 *     if (count !== 2) throw new Error(`lost an update: count is ${count}`);
 *   };
 * });
 * console.log(result.ok); // false
 * console.log(result.failure?.message);
 * // explore (random): run 1 failed (seed 1): lost an update: count is 1
 * //   reproduce with the same body under new Runtime({ scheduler: new Replay("010@4:18qfjft") })
 * //   or new Runtime({ scheduler: new Random({ seed: 1 }) })
 * ```
 */
export function explore(body: ExploreBody, options: ExploreOptions = {}): ExploreResult {
  if (typeof body !== "function") {
    throw new SchedulerError("explore(body): body must be a function (rt) => { spawn threads }", {
      code: "BAD_ARGUMENT",
    });
  }
  const strategy = options.strategy ?? "random";
  if (strategy !== "random" && strategy !== "pct" && strategy !== "dfs") {
    throw new SchedulerError(
      `explore(): strategy must be "random", "pct" or "dfs", got ${JSON.stringify(strategy)}`,
      { code: "BAD_ARGUMENT" },
    );
  }
  const runs = positiveInt(options.runs ?? 1000, "runs");
  const seed = options.seed ?? 0;
  checkSeed(seed, "explore()");
  const depth = positiveInt(options.depth ?? 2, "depth");
  if (options.steps !== undefined) positiveInt(options.steps, "steps");
  const maxDecisions = positiveInt(options.maxDecisions ?? 64, "maxDecisions");
  const maxSwitches = positiveInt(options.maxSwitches ?? 1_000_000, "maxSwitches");

  let learnedSteps = 100;
  let seenSwitches = 0;
  let prefix: number[] = [];
  for (let run = 0; run < runs; run++) {
    let scheduler: Scheduler;
    let runSeed: Seed | undefined;
    let steps: number | undefined;
    if (strategy === "random") {
      runSeed = addSeed(seed, run);
      scheduler = new Random({ seed: runSeed });
    } else if (strategy === "pct") {
      runSeed = addSeed(seed, run);
      steps = options.steps ?? learnedSteps;
      scheduler = new PCT({ seed: runSeed, depth, steps });
    } else {
      scheduler = new DfsScheduler(prefix);
    }
    const rt = new Runtime({ scheduler, record: true });
    try {
      runBody(rt, body, run, maxSwitches);
    } catch (error) {
      const failure = new ExploreFailure(
        strategy,
        run,
        runSeed,
        rt.schedule ?? "",
        steps,
        strategy === "pct" ? depth : undefined,
        error,
      );
      if (options.trace === true) {
        failure.trace = traceReplay(body, run, failure.schedule, maxSwitches, error);
      }
      return { ok: false, strategy, runs: run + 1, exhausted: false, failure };
    }
    seenSwitches = Math.max(seenSwitches, rt.switches);
    learnedSteps = Math.max(1, seenSwitches);
    if (strategy === "dfs") {
      const dfs = scheduler as DfsScheduler;
      let i = Math.min(dfs.choices.length, maxDecisions) - 1;
      while (i >= 0 && dfs.choices[i]! + 1 >= dfs.counts[i]!) i--;
      if (i < 0) return { ok: true, strategy, runs: run + 1, exhausted: true };
      prefix = dfs.choices.slice(0, i);
      prefix.push(dfs.choices[i]! + 1);
    }
  }
  return { ok: true, strategy, runs, exhausted: false };
}
