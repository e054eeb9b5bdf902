/**
 * Machine threads taking turns inside the backend: a ring of threads, what
 * each one's turn may end at, and what a run of turns returns.
 *
 * A scheduler whose next picks are a plain rotation of its ready threads
 * (round robin, FIFO) needs no JavaScript between two machine threads that
 * only yield: it hands the backend the ring in pick order and
 * {@link Backend.runTurns} runs them in turn, each until its next trap,
 * exactly as that many `resume(thread)` calls in ring order would:
 *
 * ```
 *   ring (pick order)           after 5 turns, every one a yield:
 *   ┌───┬───┬───┐               ┌───┬───┬───┐
 *   │ a │ b │ c │  ──────────►  │ c │ a │ b │   the ring rotated by 5
 *   └───┴───┴───┘               └───┴───┴───┘   (a b c a b ran)
 *
 *   a turn ends at              the thread goes to the back, and
 *     a yield  (TURN_YIELD)       at its next turn it is answered
 *     a budget (TURN_BUDGET_PASS) with 0, or with fresh fuel
 *   the run stops at
 *     any other trap             pending: the caller answers it
 *     a thread it may not        (exited, faulted, released, another
 *       answer at the head        backend's, a trap its flags do not allow)
 *     the limit, or the time
 * ```
 *
 * The native backend does this in the addon (no Node-API crossing per
 * switch); every other backend with the same rules in TypeScript, so a
 * caller sees the same turns, the same rotation and the same pending trap
 * whichever backend it holds.
 *
 * @module
 */
import type { Trap } from "@greenthreads/isa";
import type { MachineThread } from "./backend.js";
import { SwitchError } from "./errors.js";

/**
 * A turn may end at a yield: the thread goes to the back of the ring, and at
 * its next turn the yield is answered with 0 (as `resume(thread)` answers it).
 *
 * @example
 * ```ts
 * import { TURN_BUDGET_PASS, TURN_YIELD } from "@greenthreads/switch";
 * console.log(TURN_YIELD | TURN_BUDGET_PASS); // 3
 * ```
 */
export const TURN_YIELD = 1;

/**
 * A turn may end at a budget trap: the thread goes to the back, and at its
 * next turn its fuel is refilled.
 *
 * @example
 * ```ts
 * import { TURN_BUDGET_PASS } from "@greenthreads/switch";
 * console.log(TURN_BUDGET_PASS); // 2
 * ```
 */
export const TURN_BUDGET_PASS = 2;

/**
 * A budget trap refills the fuel and the same thread goes on: it does not
 * end the turn (for a budget that only exists so that the host could look at
 * the clock, when no one is looking).
 *
 * @example
 * ```ts
 * import { TURN_BUDGET_STAY, TURN_YIELD } from "@greenthreads/switch";
 * console.log(TURN_YIELD | TURN_BUDGET_STAY); // 5
 * ```
 */
export const TURN_BUDGET_STAY = 4;

/**
 * Machine threads in the order they take turns, each with what its turn may
 * end at ({@link TURN_YIELD}, {@link TURN_BUDGET_PASS}, {@link TURN_BUDGET_STAY}).
 * Made once and refilled for every run: `clear()`, then `add()` in pick
 * order. A thread may appear once.
 *
 * @example
 * ```ts
 * import { parseProgram } from "@greenthreads/isa";
 * import { TURN_YIELD, TurnRing, loadBackend } from "@greenthreads/switch";
 * const backend = loadBackend();
 * const program = backend.load(parseProgram("yield 1\nyield 2\nexit 0"));
 * const ring = new TurnRing();
 * ring.add(backend.spawn(program), TURN_YIELD);
 * ring.add(backend.spawn(program), TURN_YIELD);
 * console.log(ring.length); // 2
 * ```
 */
export class TurnRing {
  /** The threads, in turn order (the first `length` entries). */
  readonly threads: (MachineThread | undefined)[] = [];
  /** Per thread, the TURN_* bits of what its turn may end at. */
  how: Uint8Array = new Uint8Array(64);
  /** Threads in the ring. */
  length = 0;

  /** Empties the ring (keeps its memory for the next run, not its threads). */
  clear(): void {
    this.threads.fill(undefined, 0, this.length);
    this.length = 0;
  }

  /** Puts `thread` last, with `how` (TURN_* bits). */
  add(thread: MachineThread, how: number): void {
    const n = this.length;
    if (n === this.how.length) {
      const grown = new Uint8Array(n * 2);
      grown.set(this.how);
      this.how = grown;
    }
    this.threads[n] = thread;
    this.how[n] = how;
    this.length = n + 1;
  }
}

/**
 * What {@link Backend.runTurns} did: how far the ring turned, and the trap
 * it stopped at when a thread trapped in a way the ring may not answer.
 *
 * @example
 * ```ts
 * import { parseProgram } from "@greenthreads/isa";
 * import { TURN_YIELD, TurnRing, loadBackend } from "@greenthreads/switch";
 * const backend = loadBackend();
 * const program = backend.load(parseProgram("yield 1\nexit 7"));
 * const ring = new TurnRing();
 * ring.add(backend.spawn(program), TURN_YIELD);
 * ring.add(backend.spawn(program), TURN_YIELD);
 * const { turns, pending } = backend.runTurns(ring);
 * // Both yielded once; then the first one exited: its trap is pending.
 * console.log(turns, pending); // 2 { kind: "exit", code: 7n }
 * ```
 */
export interface TurnResult {
  /** Turns taken: the ring is now the one given, rotated by this many. */
  readonly turns: number;
  /**
   * The trap the thread at the head (`threads[turns % length]`) stopped at,
   * when its run ended at a trap its flags do not let the ring answer (a
   * host call, an exit, a fault, a yield without TURN_YIELD...). It is that
   * thread's last trap, as if `resume` had returned it; the caller answers it.
   */
  readonly pending: Trap | undefined;
  /** When resuming the head thread threw (a corrupt thread), what `resume` threw. */
  readonly error?: unknown;
}

/** Checks the arguments of runTurns; throws SwitchError BAD_ARGUMENT. */
export function checkTurnArguments(
  kind: string,
  ring: unknown,
  limit: unknown,
  timeLimitMs: unknown,
): asserts ring is TurnRing {
  const where = `${kind} backend: runTurns`;
  if (!(ring instanceof TurnRing)) {
    throw new SwitchError("BAD_OPTIONS", `${where}: the ring must be a TurnRing`);
  }
  if (typeof limit !== "number" || !(limit >= 0)) {
    throw new SwitchError(
      "BAD_OPTIONS",
      `${where}: limit must be a number of runs >= 0 (Infinity for none), got ${String(limit)}`,
    );
  }
  if (typeof timeLimitMs !== "number" || !(timeLimitMs >= 0)) {
    throw new SwitchError(
      "BAD_OPTIONS",
      `${where}: timeLimitMs must be a number of milliseconds >= 0 (Infinity for none), got ${String(timeLimitMs)}`,
    );
  }
}
