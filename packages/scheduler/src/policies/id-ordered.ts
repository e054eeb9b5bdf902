/**
 * The ready set in thread-id order, the canonical order that schedule strings
 * index into. Insert and remove are O(n) array moves, which is fine for the
 * test-sized runs that Replay, DFS exploration and recording are for.
 */
import type { Thread } from "../thread.js";

export class IdOrderedReady {
  readonly threads: Thread[] = [];

  get size(): number {
    return this.threads.length;
  }

  insert(t: Thread): void {
    const a = this.threads;
    const id = t.id;
    let lo = 0;
    let hi = a.length;
    if (hi === 0 || a[hi - 1]!.id < id) {
      a.push(t);
      return;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]!.id < id) lo = mid + 1;
      else hi = mid;
    }
    a.splice(lo, 0, t);
  }

  indexOf(t: Thread): number {
    const a = this.threads;
    const id = t.id;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = a[mid]!.id;
      if (m === id) return mid;
      if (m < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  removeAt(i: number): Thread {
    return this.threads.splice(i, 1)[0]!;
  }
}
