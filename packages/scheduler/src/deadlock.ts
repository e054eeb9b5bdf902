/**
 * Deadlock handling. When nothing can run, threads are still blocked and
 * nothing is pending (no sleep timer, no awaited promise, and under
 * runAsync() no hold), no thread will ever wake them: that is a deadlock.
 * The runtime notes what each blocked thread waits for (the report is taken
 * before anything changes), then cancels them in id order so their `finally`
 * blocks run, and looks again: a `finally` may block in turn, so it repeats,
 * up to MAX_DEADLOCK_ROUNDS rounds. The run then throws a DeadlockError
 * listing the threads first found blocked.
 */
import type { BlockedThread } from "./errors.js";
import type { Thread } from "./thread.js";

/** Rounds of cancelling before the runtime gives up on `finally` blocks that keep blocking. */
export const MAX_DEADLOCK_ROUNDS = 64;

/** Blocked threads by id, with what each waits for. */
export function describeBlocked(blocked: Iterable<Thread>): BlockedThread[] {
  return sortedById(blocked).map((t) => ({
    thread: t,
    waitingFor: t._waitingOn?.describeWait(t) ?? "(unknown)",
  }));
}

/** The blocked threads in id order: the order they are cancelled in. */
export function sortedById(blocked: Iterable<Thread>): Thread[] {
  return [...blocked].sort((a, b) => a.id - b.id);
}

/** One run's view of a deadlock: the first report and the rounds spent on it. */
export class DeadlockBreaker {
  /** What the blocked threads waited for when the deadlock was first seen. */
  found: BlockedThread[] | null = null;
  private rounds = 0;

  /**
   * Everything left is blocked with nothing pending: note who (first time),
   * then cancel them all with `cancel`. False when the rounds are used up.
   */
  breakDeadlock(blocked: Set<Thread>, cancel: (t: Thread) => void): boolean {
    this.found ??= describeBlocked(blocked);
    if (++this.rounds > MAX_DEADLOCK_ROUNDS) return false;
    for (const t of sortedById(blocked)) cancel(t);
    return true;
  }
}
