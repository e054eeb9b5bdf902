/**
 * Stride: proportional share (Waldspurger and Weihl, 1995). Each thread holds
 * `tickets` (spawn option, default 100); its stride is L / tickets. The ready
 * thread with the smallest pass runs and its pass grows by its stride, so over
 * any run of decisions each always-ready thread gets a share of the picks
 * proportional to its tickets, off by at most one pick. A thread that spawns
 * or wakes starts at the current global pass, so sleeping earns no credit.
 */
import { ThreadHeap } from "../heap.js";
import type { Scheduler, SpawnOptions } from "../scheduler.js";
import type { Thread } from "../thread.js";

const L = 1 << 20;

interface StrideState {
  pass: number;
  readonly stride: number;
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
  private readonly heap = new ThreadHeap();
  private globalPass = 0;

  onSpawn(t: Thread, options: SpawnOptions | undefined): void {
    const tickets = options?.tickets ?? 100;
    const st: StrideState = { pass: this.globalPass, stride: L / tickets };
    t.sched = st;
    this.heap.push(t, st.pass);
  }

  onYield(t: Thread): void {
    const st = t.sched as StrideState;
    this.heap.push(t, st.pass);
  }

  onWake(t: Thread): void {
    const st = t.sched as StrideState;
    if (st.pass < this.globalPass) st.pass = this.globalPass;
    this.heap.push(t, st.pass);
  }

  onBlock(_t: Thread): void {}

  onExit(_t: Thread): void {}

  pick(): Thread | undefined {
    const t = this.heap.pop();
    if (t === undefined) return undefined;
    const st = t.sched as StrideState;
    this.globalPass = st.pass;
    st.pass += st.stride;
    return t;
  }
}
