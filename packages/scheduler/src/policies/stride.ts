/**
 * Stride: proportional share (Waldspurger and Weihl, 1995). Each thread holds
 * `tickets` (spawn option, default 100); its stride is L / tickets. The ready
 * thread with the smallest pass runs and its pass grows by its stride, so over
 * any run of decisions each always-ready thread gets a share of the picks
 * proportional to its tickets, off by at most one pick. A thread that spawns
 * or wakes starts at the current global pass, so sleeping earns no credit.
 *
 * The global pass never decreases, so a thread that yields is pushed with a
 * pass (global pass + its stride) no smaller than that of any earlier push of
 * a thread with the same stride: threads of one stride form a FIFO lane of a
 * LaneQueue, and a switch costs O(log of the number of distinct strides).
 * Spawns and wakes that land out of order go to the queue's overflow heap.
 */
import { SchedulerError } from "../errors.js";
import { LaneQueue } from "../lane-queue.js";
import type { Scheduler, SpawnOptions } from "../scheduler.js";
import type { Thread } from "../thread.js";

const L = 1 << 20;

interface StrideState {
  pass: number;
  readonly stride: number;
  readonly lane: number;
}

/**
 * The stride (proportional share) policy described above: threads pass their
 * share as the `tickets` spawn option.
 *
 * @example
 * ```ts
 * import { Runtime, Stride } from "@greenthreads/scheduler";
 * const rt = new Runtime({ scheduler: new Stride() });
 * const turns = { big: 0, small: 0 };
 * for (const [name, tickets] of [["big", 300], ["small", 100]] as const) {
 *   rt.spawn(function* () {
 *     for (;;) {
 *       turns[name]++;
 *       yield;
 *     }
 *   }, { name, tickets });
 * }
 * rt.run({ maxSwitches: 400 });
 * console.log(turns); // { big: 300, small: 100 }
 * ```
 */
export class Stride implements Scheduler {
  readonly name = "stride";
  private readonly queue = new LaneQueue();
  private globalPass = 0;
  /** Lane of each stride with live threads. */
  private readonly laneOf = new Map<number, number>();
  /** By lane: its stride. */
  private laneStride: number[] = [];

  onSpawn(t: Thread, options: SpawnOptions | undefined): void {
    const tickets = options?.tickets ?? 100;
    if (typeof tickets !== "number" || !Number.isInteger(tickets) || tickets <= 0) {
      throw new SchedulerError(
        `spawn(): ${t.label}: tickets must be a positive integer, got ${String(tickets)}`,
        { code: "BAD_ARGUMENT" },
      );
    }
    const stride = L / tickets;
    let lane = this.laneOf.get(stride);
    if (lane === undefined) {
      lane = this.queue.addLane();
      this.laneOf.set(stride, lane);
      this.laneStride[lane] = stride;
    }
    this.queue.join(lane);
    const st: StrideState = { pass: this.globalPass, stride, lane };
    t.sched = st;
    this.queue.push(t, lane, st.pass);
  }

  onYield(t: Thread): void {
    const st = t.sched as StrideState;
    this.queue.push(t, st.lane, st.pass);
  }

  onWake(t: Thread): void {
    const st = t.sched as StrideState;
    if (st.pass < this.globalPass) st.pass = this.globalPass;
    this.queue.push(t, st.lane, st.pass);
  }

  onBlock(_t: Thread): void {}

  onExit(t: Thread): void {
    const lane = (t.sched as StrideState).lane;
    if (this.queue.leave(lane)) {
      this.laneOf.delete(this.laneStride[lane]!);
    }
  }

  pick(): Thread | undefined {
    const t = this.queue.pop();
    if (t === undefined) return undefined;
    const st = t.sched as StrideState;
    this.globalPass = st.pass;
    st.pass += st.stride;
    return t;
  }
}
