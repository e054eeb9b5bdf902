/**
 * Replay: follows a recorded schedule string exactly, switch for switch, and
 * throws a ReplayDivergenceError as soon as the run stops matching it: a
 * decision out of range, a choice the schedule does not have, more or fewer
 * switches than recorded, or (checked at the end) different threads picked.
 * A schedule covers one run() / runAsync().
 */
import { ReplayDivergenceError } from "../errors.js";
import { decodeSchedule, HASH_SEED, hashPick } from "../schedule-recording.js";
import type { Thread } from "../thread.js";
import { IdOrderedPolicy } from "./id-ordered.js";

/**
 * The replaying policy described above: give it the `schedule` of a recorded
 * run (or of an `explore()` failure) and the same threads run the same way.
 *
 * @example
 * ```ts
 * import { Random, Replay, Runtime } from "@greenthreads/scheduler";
 * const body = (rt: Runtime, out: number[]) => {
 *   for (const n of [1, 2, 3]) {
 *     rt.spawn(function* () {
 *       yield;
 *       out.push(n);
 *     });
 *   }
 * };
 * const first: number[] = [];
 * const recorded = new Runtime({ scheduler: new Random({ seed: 9 }), record: true });
 * body(recorded, first);
 * const schedule = recorded.run().schedule!;
 * const again: number[] = [];
 * const rt = new Runtime({ scheduler: new Replay(schedule) });
 * body(rt, again);
 * rt.run();
 * console.log(again.join() === first.join()); // true
 * ```
 */
export class Replay extends IdOrderedPolicy {
  readonly name = "replay";
  readonly schedule: string;
  private readonly decisions: readonly number[];
  private readonly expectedSwitches: number | undefined;
  private readonly expectedHash: number | undefined;
  private pos = 0;
  private switches = 0;
  private hash = HASH_SEED;

  constructor(schedule: string) {
    super();
    const data = decodeSchedule(schedule);
    this.schedule = schedule;
    this.decisions = data.decisions;
    this.expectedSwitches = data.switches;
    this.expectedHash = data.hash;
  }

  /** Decisions not yet used. */
  get remaining(): number {
    return this.decisions.length - this.pos;
  }

  pick(): Thread | undefined {
    const n = this.ready.size;
    if (n === 0) return undefined;
    let i = 0;
    if (n > 1) {
      if (this.pos >= this.decisions.length) {
        throw this.diverged(
          `the schedule has no decision left, but ${n} threads are ready (${this.readyLabels()})`,
        );
      }
      i = this.decisions[this.pos++]!;
      if (i >= n) {
        throw this.diverged(
          `decision ${this.pos} picks ready thread index ${i}, but only ${n} are ready (${this.readyLabels()})`,
        );
      }
    }
    if (this.expectedSwitches !== undefined && this.switches >= this.expectedSwitches) {
      throw this.diverged(
        `the recorded run ended after ${this.expectedSwitches} switches, but threads are still ready (${this.readyLabels()})`,
      );
    }
    const t = this.ready.removeAt(i);
    this.switches++;
    this.hash = hashPick(this.hash, t.id);
    return t;
  }

  /** The next decision of the schedule, as in pick(). */
  choose(n: number): number {
    if (this.pos >= this.decisions.length) {
      throw this.diverged(
        `the schedule has no decision left, but a choice among ${n} options was asked for`,
      );
    }
    const c = this.decisions[this.pos++]!;
    if (c >= n) {
      throw this.diverged(`decision ${this.pos} chooses option ${c}, but only ${n} were possible`);
    }
    return c;
  }

  onRunEnd(): void {
    if (this.pos < this.decisions.length) {
      throw this.diverged(
        `the run ended after ${this.switches} switches with ${this.remaining} decisions of the schedule unused`,
      );
    }
    if (this.expectedSwitches !== undefined && this.switches !== this.expectedSwitches) {
      throw this.diverged(
        `the run made ${this.switches} switches, the recorded one ${this.expectedSwitches}`,
      );
    }
    if (this.expectedHash !== undefined && this.hash !== this.expectedHash) {
      throw this.diverged(
        "the run picked other threads than the recorded one (same decisions, different thread ids)",
      );
    }
  }

  private readyLabels(): string {
    return this.ready.threads.map((t) => t.label).join(", ");
  }

  private diverged(why: string): ReplayDivergenceError {
    return new ReplayDivergenceError(
      `replay diverged from schedule ${JSON.stringify(this.schedule)} at switch ${this.switches + 1}: ${why}`,
    );
  }
}
