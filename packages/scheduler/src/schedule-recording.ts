/**
 * Schedules as strings.
 *
 * A schedule is the sequence of decisions a run made. A decision is only
 * recorded when there was a choice (two or more threads ready); it is the index
 * of the picked thread in the ready set ordered by thread id. A choice among
 * n >= 2 options that a thread asked for (`Runtime.choose(n)`, e.g. which
 * ready case a `select()` takes) is a decision too: the option's index. Ids are given in
 * spawn order and a run is deterministic given its decisions, so the same
 * indices pick the same threads again whatever policy made the original run.
 *
 * Format: `<decisions>@<switches>:<hash>`, everything in base 36.
 *   - each decision is one character 0-9a-z (0..35), or `(<n>)` when larger;
 *   - a decision repeated r >= 4 times is written once followed by `~<r>.`;
 *   - the suffix (optional when replaying) is the number of switches and an
 *     FNV-1a hash of the id of every thread picked, forced picks included, so
 *     Replay can tell when a run went its own way while staying in range.
 * Example: `0110~5.2@j:1x3k9a` is 10 decisions over 19 switches.
 */
import { SchedulerError } from "./errors.js";
import { IdOrderedReady } from "./policies/id-ordered.js";
import type { Runtime } from "./runtime.js";
import type { Scheduler, SpawnOptions } from "./scheduler.js";
import type { Thread } from "./thread.js";

/**
 * A schedule as data: what {@link decodeSchedule} gives and
 * {@link encodeSchedule} takes. Tools that show, shrink or edit schedules
 * work on this instead of the string.
 *
 * @example
 * ```ts
 * import { encodeSchedule, type ScheduleData } from "@greenthreads/scheduler";
 * // Pick the second ready thread, then the first four times, then the third.
 * const data: ScheduleData = { decisions: [1, 0, 0, 0, 0, 2] };
 * console.log(encodeSchedule(data)); // "10~4.2"
 * ```
 */
export interface ScheduleData {
  /** Index of the picked thread in the id-ordered ready set, at each choice. */
  decisions: number[];
  /** Total switches of the run, when known. */
  switches?: number;
  /** Hash of the picked thread ids, when known. */
  hash?: number;
}

export const HASH_SEED = 0x811c9dc5;

/** FNV-1a step over one picked thread id. */
export function hashPick(h: number, id: number): number {
  return Math.imul(h ^ id, 0x01000193) >>> 0;
}

function token(v: number): string {
  return v < 36 ? v.toString(36) : `(${v.toString(36)})`;
}

/**
 * Write a schedule as a string (see the module comment for the format): the
 * form runs report, failures print and {@link Replay} takes.
 *
 * @example
 * ```ts
 * import { encodeSchedule } from "@greenthreads/scheduler";
 * console.log(encodeSchedule({ decisions: [1, 0, 0, 0, 0, 2], switches: 9 })); // "10~4.2@9:ztntfp"
 * ```
 */
export function encodeSchedule(data: ScheduleData): string {
  const d = data.decisions;
  let out = "";
  for (let i = 0; i < d.length; ) {
    let j = i + 1;
    while (j < d.length && d[j] === d[i]) j++;
    const r = j - i;
    const tok = token(d[i]!);
    out += r >= 4 ? `${tok}~${r.toString(36)}.` : tok.repeat(r);
    i = j;
  }
  if (data.switches !== undefined) {
    out += `@${data.switches.toString(36)}:${(data.hash ?? HASH_SEED).toString(36)}`;
  }
  return out;
}

const B36 = /^[0-9a-z]+$/;

/**
 * Read a schedule string back into its decisions and, when the string has the
 * `@<switches>:<hash>` suffix, the switch count and hash. Throws a
 * {@link SchedulerError} (code `BAD_SCHEDULE`) saying where a string is malformed.
 *
 * @example
 * ```ts
 * import { decodeSchedule } from "@greenthreads/scheduler";
 * const { decisions, switches } = decodeSchedule("0110~5.2@j:1x3k9a");
 * console.log(decisions.length, switches); // 9 19
 * ```
 */
export function decodeSchedule(s: string): ScheduleData {
  if (typeof s !== "string") {
    throw new SchedulerError(`schedule must be a string, got ${typeof s}`, {
      code: "BAD_SCHEDULE",
    });
  }
  const bad = (at: number, why: string) =>
    new SchedulerError(
      `bad schedule string at character ${at + 1} (${why}): ${JSON.stringify(s)}`,
      { code: "BAD_SCHEDULE" },
    );
  const at = s.indexOf("@");
  const body = at < 0 ? s : s.slice(0, at);
  const data: ScheduleData = { decisions: [] };
  if (at >= 0) {
    const [sw, h, ...rest] = s.slice(at + 1).split(":");
    if (rest.length > 0 || !sw || !h || !B36.test(sw) || !B36.test(h)) {
      throw bad(at, "expected @<switches>:<hash> in base 36");
    }
    data.switches = Number.parseInt(sw, 36);
    data.hash = Number.parseInt(h, 36);
  }
  const d = data.decisions;
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    let v: number;
    if (c === "(") {
      const end = body.indexOf(")", i);
      const digits = end < 0 ? "" : body.slice(i + 1, end);
      if (!B36.test(digits)) throw bad(i, "expected (<base-36 number>)");
      v = Number.parseInt(digits, 36);
      i = end + 1;
    } else if (/[0-9a-z]/.test(c)) {
      v = Number.parseInt(c, 36);
      i++;
    } else {
      throw bad(i, `unexpected ${JSON.stringify(c)}`);
    }
    if (body[i] === "~") {
      const end = body.indexOf(".", i);
      const digits = end < 0 ? "" : body.slice(i + 1, end);
      if (!B36.test(digits)) throw bad(i, "expected ~<count>.");
      const r = Number.parseInt(digits, 36);
      for (let k = 0; k < r; k++) d.push(v);
      i = end + 1;
    } else {
      d.push(v);
    }
  }
  return data;
}

/**
 * Wraps a policy and writes down its decisions. `new Runtime({ record: true })`
 * installs one; it changes nothing about the order threads run in.
 *
 * @example
 * ```ts
 * import { Random, Recorder, Replay, Runtime } from "@greenthreads/scheduler";
 * const spawnTwo = (rt: Runtime) => {
 *   for (let i = 0; i < 2; i++) {
 *     rt.spawn(function* () {
 *       yield;
 *       yield;
 *     });
 *   }
 * };
 * const recorder = new Recorder(new Random({ seed: 3 }));
 * const rt = new Runtime({ scheduler: recorder });
 * spawnTwo(rt);
 * rt.run();
 * // The same run, under any policy's recording, replays exactly.
 * const again = new Runtime({ scheduler: new Replay(recorder.schedule) });
 * spawnTwo(again);
 * console.log(again.run().switches); // 6
 * ```
 */
export class Recorder implements Scheduler {
  readonly name: string;
  readonly inner: Scheduler;
  private readonly ready = new IdOrderedReady();
  private decisions: number[] = [];
  private switches = 0;
  private hash = HASH_SEED;
  private rotation = 0;

  constructor(inner: Scheduler) {
    this.inner = inner;
    this.name = inner.name;
  }

  /** Start a new recording (the ready set is kept). */
  reset(): void {
    this.decisions = [];
    this.switches = 0;
    this.hash = HASH_SEED;
  }

  get schedule(): string {
    return encodeSchedule({ decisions: this.decisions, switches: this.switches, hash: this.hash });
  }

  attach(runtime: Runtime): void {
    this.inner.attach?.(runtime);
  }

  onSpawn(t: Thread, options: SpawnOptions | undefined): void {
    this.inner.onSpawn(t, options); // first: the policy may refuse the options
    this.ready.insert(t);
  }

  onYield(t: Thread): void {
    this.ready.insert(t);
    this.inner.onYield(t);
  }

  onWake(t: Thread): void {
    this.ready.insert(t);
    this.inner.onWake(t);
  }

  onBlock(t: Thread): void {
    this.inner.onBlock(t);
  }

  onExit(t: Thread): void {
    this.inner.onExit(t);
  }

  pick(): Thread | undefined {
    const t = this.inner.pick();
    if (t === undefined) return undefined;
    const i = this.ready.indexOf(t);
    if (i >= 0) {
      if (this.ready.size > 1) this.decisions.push(i);
      this.ready.removeAt(i);
    }
    this.switches++;
    this.hash = hashPick(this.hash, t.id);
    return t;
  }

  /** The inner policy's choice (or a rotation), recorded as one more decision. */
  choose(n: number): number {
    const c = this.inner.choose !== undefined ? this.inner.choose(n) : this.rotation++ % n;
    this.decisions.push(c);
    return c;
  }

  onRunEnd(): void {
    this.inner.onRunEnd?.();
  }

  /**
   * The inner policy's upcoming threads. There is no `advance`: the turns
   * come back one pick at a time, so each is recorded.
   */
  upcoming(out: Thread[], max: number): number {
    return this.inner.upcoming === undefined ? -1 : this.inner.upcoming(out, max);
  }
}
