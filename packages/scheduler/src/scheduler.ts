/**
 * The Scheduler interface: a policy that owns the ready set. The runtime tells
 * it of every transition into and out of the ready set and asks it which ready
 * thread runs next. It never sees a thread twice in the ready set, and every
 * thread it returns from pick() has left the ready set.
 *
 *   spawn ──onSpawn──▶ READY ──pick──▶ RUNNING ──onYield──▶ READY
 *                                        │ └────onExit───▶ DONE
 *                         READY ◀─onWake─ BLOCKED ◀─onBlock─┘
 *
 * Hot path: one pick() and one onYield() per switch; keep both allocation-free.
 */
import type { Runtime } from "./runtime.js";
import type { Thread } from "./thread.js";

/**
 * Options of `spawn()`. The runtime reads `name`; everything else is passed to
 * the policy's `onSpawn`, which reads and checks the options it knows (and
 * throws a SchedulerError `BAD_ARGUMENT` for a bad one, before keeping the
 * thread); policies that do not know an option ignore it.
 *
 * @example
 * ```ts
 * import { Priority, Runtime, type SpawnOptions } from "@greenthreads/scheduler";
 * const rt = new Runtime({ scheduler: new Priority() });
 * const urgent: SpawnOptions = { name: "alarm", priority: 10 };
 * rt.spawn(function* () {}, urgent);
 * ```
 */
export interface SpawnOptions {
  /** Shown in errors and reports. */
  name?: string;
  /** Priority policy: higher runs first (default 0). Any finite number. */
  priority?: number;
  /** Stride policy: share of the CPU (default 100). A positive integer. */
  tickets?: number;
  [option: string]: unknown;
}

/**
 * A scheduling policy: it owns the ready set and decides which thread runs
 * next. The runtime keeps no run queue of its own, so swapping policies is one
 * constructor argument. See the module comment for the calls it receives.
 *
 * @example
 * ```ts
 * import { Runtime, type Scheduler, type Thread } from "@greenthreads/scheduler";
 * // Last in, first out: the most recently ready thread runs next.
 * class Lifo implements Scheduler {
 *   readonly name = "lifo";
 *   private readonly ready: Thread[] = [];
 *   onSpawn(t: Thread): void { this.ready.push(t); }
 *   onYield(t: Thread): void { this.ready.push(t); }
 *   onWake(t: Thread): void { this.ready.push(t); }
 *   onBlock(): void {}
 *   onExit(): void {}
 *   pick(): Thread | undefined { return this.ready.pop(); }
 * }
 * const rt = new Runtime({ scheduler: new Lifo() });
 * const order: string[] = [];
 * for (const name of ["a", "b", "c"]) rt.spawn(function* () { order.push(name); });
 * rt.run();
 * console.log(order); // ["c", "b", "a"]
 * ```
 */
export interface Scheduler {
  /** Short policy name used in reports, e.g. "round-robin". */
  readonly name: string;
  /** Called once by the Runtime constructor. */
  attach?(runtime: Runtime): void;
  /**
   * A new thread enters the ready set. Check the options this policy reads
   * before changing anything: a throw here refuses the spawn.
   */
  onSpawn(thread: Thread, options: SpawnOptions | undefined): void;
  /** The running thread yielded: it re-enters the ready set. */
  onYield(thread: Thread): void;
  /** The running thread blocked: it stays out of the ready set until onWake. */
  onBlock(thread: Thread): void;
  /** A blocked thread enters the ready set again. */
  onWake(thread: Thread): void;
  /** The running thread finished; it will never be seen again. */
  onExit(thread: Thread): void;
  /** Remove and return the ready thread to run next, or undefined if none is ready. */
  pick(): Thread | undefined;
  /** Called when a run ends because nothing can run (not when it is stopped early). */
  onRunEnd?(): void;
  /**
   * Choose one of `n` (>= 2) options that are all possible now, e.g. which of
   * several ready cases a `select()` takes: return an integer in [0, n).
   * Optional: a policy without it gets the runtime's rotation (0, 1, 2, ...
   * modulo n), which is fair and deterministic. Policies that make their picks
   * at random choose at random too; Replay and the explorer treat a choice as
   * one more decision of the schedule, so recorded runs replay it exactly.
   */
  choose?(n: number): number;
  /**
   * Optional: the threads `pick()` would return next, in order, if every
   * thread picked went back at once through `onYield`, when those picks are
   * a fixed cycle now (a ring's rotation): fill `out` with up to `max` of
   * them and return how many; return -1 when they are not (a woken thread
   * waits to be slotted in, or picks depend on chance or priorities). It
   * lets a driver run several threads in one step (`turn-taking.ts`);
   * without it every switch goes through the loop, which is always right.
   * Must not change the policy's state.
   */
  upcoming?(out: Thread[], max: number): number;
  /**
   * Optional: the same as `k` times `onYield(pick())`, right after an
   * `upcoming()` that did not return -1 (so a rotation), done faster.
   */
  advance?(k: number): void;
}

/** Checks that `s` looks like a Scheduler; used by the Runtime constructor. */
export function missingSchedulerMethods(s: unknown): string[] {
  if (typeof s !== "object" || s === null) return ["(not an object)"];
  const o = s as Record<string, unknown>;
  return ["onSpawn", "onYield", "onBlock", "onWake", "onExit", "pick"].filter(
    (m) => typeof o[m] !== "function",
  );
}
