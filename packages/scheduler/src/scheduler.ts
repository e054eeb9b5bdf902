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

/** Options of `spawn()`. Policies read the ones they know; unknown keys are passed through. */
export interface SpawnOptions {
  /** Shown in errors and reports. */
  name?: string;
  /** Priority policy: higher runs first (default 0). Any finite number. */
  priority?: number;
  /** Stride policy: share of the CPU (default 100). A positive integer. */
  tickets?: number;
  [option: string]: unknown;
}

export interface Scheduler {
  /** Short policy name used in reports, e.g. "round-robin". */
  readonly name: string;
  /** Called once by the Runtime constructor. */
  attach?(runtime: Runtime): void;
  /** A new thread enters the ready set. */
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
}

/** Checks that `s` looks like a Scheduler; used by the Runtime constructor. */
export function missingSchedulerMethods(s: unknown): string[] {
  if (typeof s !== "object" || s === null) return ["(not an object)"];
  const o = s as Record<string, unknown>;
  return ["onSpawn", "onYield", "onBlock", "onWake", "onExit", "pick"].filter(
    (m) => typeof o[m] !== "function",
  );
}
