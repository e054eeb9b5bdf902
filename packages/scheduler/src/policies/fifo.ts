/**
 * FIFO: one queue in the order threads became ready. A thread that yields,
 * is spawned or is woken goes to the back. Differs from RoundRobin once threads
 * block: a woken thread waits behind everyone already ready, where RoundRobin
 * runs it when the scan reaches its slot.
 *
 * The queue is a ring buffer kept in this object's own fields (not a separate
 * Ring object), which saves a load and a map check on every pick and push.
 */
import type { Scheduler } from "../scheduler.js";
import type { Thread } from "../thread.js";
import { packedArray } from "./packed.js";
import { ringUpcoming, rotateRing } from "./ring-rotation.js";

/**
 * The first-in, first-out policy described above.
 *
 * @example
 * ```ts
 * import { Channel, FIFO, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime({ scheduler: new FIFO() });
 * const ch = new Channel<void>();
 * const order: string[] = [];
 * rt.spawn(function* () {
 *   yield* ch.recv(); // blocks until "b" sends, then queues behind "c"
 *   order.push("a");
 * });
 * rt.spawn(function* () {
 *   yield* ch.send();
 *   order.push("b");
 * });
 * rt.spawn(function* () {
 *   order.push("c");
 * });
 * rt.run();
 * console.log(order); // ["b", "c", "a"]
 * ```
 */
export class FIFO implements Scheduler {
  readonly name = "fifo";
  private items: (Thread | undefined)[] = packedArray(64);
  private head = 0;
  private size = 0;
  private mask = 63;

  onSpawn(t: Thread): void {
    this.push(t);
  }

  onYield(t: Thread): void {
    this.push(t);
  }

  onWake(t: Thread): void {
    this.push(t);
  }

  onBlock(_t: Thread): void {}

  onExit(_t: Thread): void {}

  pick(): Thread | undefined {
    if (this.size === 0) return undefined;
    const h = this.head;
    const t = this.items[h];
    this.items[h] = undefined;
    this.head = (h + 1) & this.mask;
    this.size--;
    return t;
  }

  /** The picks are always the queue's rotation while threads only yield. */
  upcoming(out: Thread[], max: number): number {
    return ringUpcoming(this.items, this.head, this.size, this.mask, out, max);
  }

  advance(k: number): void {
    this.head = rotateRing(this.items, this.head, this.size, this.mask, k);
  }

  private push(t: Thread): void {
    if (this.size > this.mask) this.grow();
    this.items[(this.head + this.size) & this.mask] = t;
    this.size++;
  }

  private grow(): void {
    const n = this.items.length;
    const next = packedArray(n * 2);
    for (let i = 0; i < n; i++) next[i] = this.items[(this.head + i) & this.mask];
    this.items = next;
    this.head = 0;
    this.mask = n * 2 - 1;
  }
}
