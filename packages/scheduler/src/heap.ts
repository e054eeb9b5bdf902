/**
 * A 4-ary min-heap of threads ordered by (key, seq): the smallest key first,
 * and among equal keys the one pushed first. Four children per node halve the
 * depth of a binary heap, which matters once the ready set outgrows the cache.
 * Keys and sequence numbers live in Float64Arrays parallel to the thread
 * array, so sift compares read unboxed doubles and touch no Thread, and a push
 * or a pop allocates nothing once the arrays have grown.
 */
import type { Thread } from "./thread.js";

export class ThreadHeap {
  private items: (Thread | undefined)[] = new Array<Thread | undefined>(16).fill(undefined);
  private keys = new Float64Array(16);
  private seqs = new Float64Array(16);
  private n = 0;
  private nextSeq = 0;

  get size(): number {
    return this.n;
  }

  /**
   * Adds `t` with `key`. `seq` orders equal keys; by default the heap numbers
   * pushes itself. A caller that passes it keeps it increasing.
   */
  push(t: Thread, key: number, seq: number = this.nextSeq++): void {
    if (this.n === this.keys.length) this.grow();
    const items = this.items;
    const keys = this.keys;
    const seqs = this.seqs;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pk = keys[p]!;
      if (pk < key || (pk === key && seqs[p]! < seq)) break;
      items[i] = items[p];
      keys[i] = pk;
      seqs[i] = seqs[p]!;
      i = p;
    }
    items[i] = t;
    keys[i] = key;
    seqs[i] = seq;
  }

  /** Key of the top thread (Infinity when empty). */
  peekKey(): number {
    return this.n === 0 ? Number.POSITIVE_INFINITY : this.keys[0]!;
  }

  /** Sequence number of the top thread (Infinity when empty). */
  peekSeq(): number {
    return this.n === 0 ? Number.POSITIVE_INFINITY : this.seqs[0]!;
  }

  peek(): Thread | undefined {
    return this.n === 0 ? undefined : this.items[0];
  }

  pop(): Thread | undefined {
    const n = this.n - 1;
    if (n < 0) return undefined;
    const items = this.items;
    const keys = this.keys;
    const seqs = this.seqs;
    const top = items[0]!;
    const last = items[n]!;
    const lk = keys[n]!;
    const ls = seqs[n]!;
    items[n] = undefined;
    this.n = n;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      // the smallest of up to four children
      let c = first;
      let ck = keys[c]!;
      let cs = seqs[c]!;
      const end = Math.min(first + 4, n);
      for (let j = first + 1; j < end; j++) {
        const jk = keys[j]!;
        if (jk < ck || (jk === ck && seqs[j]! < cs)) {
          c = j;
          ck = jk;
          cs = seqs[j]!;
        }
      }
      if (lk < ck || (lk === ck && ls < cs)) break;
      items[i] = items[c];
      keys[i] = ck;
      seqs[i] = cs;
      i = c;
    }
    items[i] = last;
    keys[i] = lk;
    seqs[i] = ls;
    return top;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const keys = new Float64Array(cap);
    const seqs = new Float64Array(cap);
    keys.set(this.keys);
    seqs.set(this.seqs);
    this.keys = keys;
    this.seqs = seqs;
    const items = new Array<Thread | undefined>(cap).fill(undefined);
    for (let i = 0; i < this.n; i++) items[i] = this.items[i];
    this.items = items;
  }
}
