import type { Scheduler, SpawnOptions, Thread } from "@greenthreads/scheduler";

/** Shortest job first: run the ready thread with the fewest turns left (spawn option `work`). */
export class ShortestJobFirst implements Scheduler {
  readonly name = "shortest-job-first";
  private readonly ready: Thread[] = [];

  onSpawn(thread: Thread, options: SpawnOptions | undefined): void {
    thread.sched = typeof options?.work === "number" ? options.work : 1; // turns left
    this.ready.push(thread);
  }
  onYield(thread: Thread): void {
    this.ready.push(thread);
  }
  onWake(thread: Thread): void {
    this.ready.push(thread);
  }
  onBlock(_thread: Thread): void {}
  onExit(_thread: Thread): void {}

  pick(): Thread | undefined {
    const ready = this.ready;
    if (ready.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < ready.length; i++) {
      if ((ready[i]!.sched as number) < (ready[best]!.sched as number)) best = i;
    }
    const thread = ready[best]!;
    ready[best] = ready[ready.length - 1]!;
    ready.pop();
    thread.sched = (thread.sched as number) - 1;
    return thread;
  }
}
