/**
 * The ready set in thread-id order, the canonical order that schedule strings
 * index into: "the i-th ready thread by id" and "how many ready threads have a
 * smaller id" are both O(log n), with a Fenwick tree over thread ids. Used by
 * Replay, the Recorder and the DFS explorer.
 */
import type { Scheduler } from "../scheduler.js";
import type { Thread } from "../thread.js";

export class IdOrderedReady {
  /** Fenwick tree over ids 1..capacity: tree[i] counts ready ids in (i - lowbit(i), i]. */
  private tree = new Int32Array(65);
  private capacity = 64;
  private byId: (Thread | undefined)[] = [];
  /** Number of ready threads. */
  size = 0;

  /** The ready threads in id order (for messages; O(highest id)). */
  get threads(): Thread[] {
    return this.byId.filter((t): t is Thread => t !== undefined);
  }

  insert(t: Thread): void {
    const id = t.id;
    if (id > this.capacity) this.grow(id);
    this.byId[id] = t;
    this.add(id, 1);
    this.size++;
  }

  /** Index of `t` among the ready threads by id, or -1 if it is not ready. */
  indexOf(t: Thread): number {
    const id = t.id;
    if (this.byId[id] !== t) return -1;
    let count = 0;
    for (let i = id - 1; i > 0; i -= i & -i) count += this.tree[i]!;
    return count;
  }

  /** Remove and return the i-th ready thread by id (0-based); i must be < size. */
  removeAt(i: number): Thread {
    let pos = 0;
    let rest = i + 1;
    for (let step = this.capacity; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.capacity && this.tree[next]! < rest) {
        pos = next;
        rest -= this.tree[next]!;
      }
    }
    const id = pos + 1;
    const t = this.byId[id]!;
    this.byId[id] = undefined;
    this.add(id, -1);
    this.size--;
    return t;
  }

  private add(id: number, delta: number): void {
    const tree = this.tree;
    for (let i = id; i <= this.capacity; i += i & -i) tree[i]! += delta;
  }

  private grow(id: number): void {
    let cap = this.capacity;
    while (cap < id) cap <<= 1;
    this.capacity = cap;
    this.tree = new Int32Array(cap + 1);
    for (let i = 1; i < this.byId.length; i++) if (this.byId[i] !== undefined) this.add(i, 1);
  }
}

/**
 * A policy that keeps every ready thread in id order and chooses among them
 * in `pick()` by an index: what Replay and the DFS explorer share, since a
 * schedule string's decisions are indices into this order.
 */
export abstract class IdOrderedPolicy implements Scheduler {
  abstract readonly name: string;
  protected readonly ready = new IdOrderedReady();

  onSpawn(t: Thread): void {
    this.ready.insert(t);
  }

  onYield(t: Thread): void {
    this.ready.insert(t);
  }

  onWake(t: Thread): void {
    this.ready.insert(t);
  }

  onBlock(_t: Thread): void {}

  onExit(_t: Thread): void {}

  abstract pick(): Thread | undefined;
}
