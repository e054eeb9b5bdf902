/**
 * FIFO: one queue in the order threads became ready. A thread that yields,
 * is spawned or is woken goes to the back. Differs from RoundRobin once threads
 * block: a woken thread waits behind everyone already ready, where RoundRobin
 * runs it when the scan reaches its slot.
 */
import { Ring } from "../ring.js";
import type { Scheduler } from "../scheduler.js";
import type { Thread } from "../thread.js";

export class FIFO implements Scheduler {
  readonly name = "fifo";
  private readonly queue = new Ring<Thread>(64);

  onSpawn(t: Thread): void {
    this.queue.push(t);
  }

  onYield(t: Thread): void {
    this.queue.push(t);
  }

  onWake(t: Thread): void {
    this.queue.push(t);
  }

  onBlock(_t: Thread): void {}

  onExit(_t: Thread): void {}

  pick(): Thread | undefined {
    return this.queue.shift();
  }
}
