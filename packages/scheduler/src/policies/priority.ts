/**
 * Priority: strict priority with aging. The ready thread with the highest
 * effective priority runs; among equals, the one that has been ready longest.
 * A thread's effective priority is its spawn option `priority` (default 0)
 * plus one level for every `aging` decisions it has been waiting in the ready
 * set, so no ready thread starves: one with priority p runs within
 * (P - p) * aging + (number of ready threads) decisions, P being the highest
 * priority present. Running resets the wait. `aging: Infinity` gives plain
 * strict priority (starvation possible).
 *
 * Effective priority p + (now - since) / aging orders like the fixed key
 * since - p * aging, so aging costs nothing per waiting thread: the clock
 * moves, keys stay. The clock only grows, so threads of one priority are
 * pushed in key order and each priority is a FIFO lane of a LaneQueue: a
 * switch costs O(log of the number of distinct priorities), not O(log n).
 * A lane is given back when its last thread exits.
 */
import { SchedulerError } from "../errors.js";
import { LaneQueue } from "../lane-queue.js";
import type { Scheduler, SpawnOptions } from "../scheduler.js";
import type { Thread } from "../thread.js";

/**
 * Options of `new Priority(options)`: how fast waiting threads age, which
 * trades strict priority against starvation.
 *
 * @example
 * ```ts
 * import { Priority, type PriorityOptions } from "@greenthreads/scheduler";
 * const strict: PriorityOptions = { aging: Number.POSITIVE_INFINITY }; // low priority may starve
 * const fair: PriorityOptions = { aging: 10 }; // one level gained per 10 decisions waited
 * console.log(new Priority(strict).aging, new Priority(fair).aging); // Infinity 10
 * ```
 */
export interface PriorityOptions {
  /** Decisions a ready thread waits to gain one priority level. Default 100. */
  aging?: number;
}

/**
 * The strict-priority-with-aging policy described above: threads pass their
 * level as the `priority` spawn option.
 *
 * @example
 * ```ts
 * import { Priority, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime({ scheduler: new Priority() });
 * const order: string[] = [];
 * rt.spawn(function* () { order.push("background"); }, { name: "background", priority: -1 });
 * rt.spawn(function* () { order.push("normal"); }, { name: "normal" });
 * rt.spawn(function* () { order.push("urgent"); }, { name: "urgent", priority: 5 });
 * rt.run();
 * console.log(order); // ["urgent", "normal", "background"]
 * ```
 */
export class Priority implements Scheduler {
  readonly name = "priority";
  readonly aging: number;
  private readonly queue = new LaneQueue();
  private clock = 0;
  private readonly finite: boolean;
  /** Lane of each priority value with live threads. */
  private readonly laneOf = new Map<number, number>();
  /** By lane: its priority value. */
  private lanePriority: number[] = [];

  constructor(options: PriorityOptions = {}) {
    const aging = options.aging ?? 100;
    if (typeof aging !== "number" || !(aging > 0)) {
      throw new SchedulerError(
        `new Priority(): aging must be a positive number of decisions (or Infinity), got ${String(aging)}`,
        { code: "BAD_ARGUMENT" },
      );
    }
    this.aging = aging;
    this.finite = Number.isFinite(aging);
  }

  onSpawn(t: Thread, options: SpawnOptions | undefined): void {
    const p = options?.priority ?? 0;
    if (typeof p !== "number" || !Number.isFinite(p)) {
      throw new SchedulerError(
        `spawn(): ${t.label}: priority must be a finite number, got ${String(p)}`,
        { code: "BAD_ARGUMENT" },
      );
    }
    let lane = this.laneOf.get(p);
    if (lane === undefined) {
      lane = this.queue.addLane();
      this.laneOf.set(p, lane);
      this.lanePriority[lane] = p;
    }
    this.queue.join(lane);
    t.sched = lane;
    this.push(t);
  }

  onYield(t: Thread): void {
    this.push(t);
  }

  onWake(t: Thread): void {
    this.push(t);
  }

  onBlock(_t: Thread): void {}

  onExit(t: Thread): void {
    const lane = t.sched as number;
    if (this.queue.leave(lane)) {
      this.laneOf.delete(this.lanePriority[lane]!);
    }
  }

  pick(): Thread | undefined {
    const t = this.queue.pop();
    if (t !== undefined) this.clock++;
    return t;
  }

  private push(t: Thread): void {
    const lane = t.sched as number;
    const p = this.lanePriority[lane]!;
    this.queue.push(t, lane, this.finite ? this.clock - p * this.aging : -p);
  }
}
