/**
 * A 4-ary min-heap of threads ordered by (key, seq): the smallest key first,
 * and among equal keys the one pushed first. Four children per node halve the
 * depth of a binary heap, which matters once the ready set outgrows the cache.
 * Keys and sequence numbers live in parallel arrays, so a push or a pop
 * allocates nothing once the arrays have grown.
 */
import type { Thread } from "./thread.js";

export class ThreadHeap {
  private items: Thread[] = [];
  private keys: number[] = [];
  private seqs: number[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  push(t: Thread, key: number): void {
    const items = this.items;
    const keys = this.keys;
    const seqs = this.seqs;
    const seq = this.nextSeq++;
    let i = items.length;
    items.push(t);
    keys.push(key);
    seqs.push(seq);
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pk = keys[p]!;
      if (pk < key || (pk === key && seqs[p]! < seq)) break;
      items[i] = items[p]!;
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
    return this.items.length === 0 ? Number.POSITIVE_INFINITY : this.keys[0]!;
  }

  peek(): Thread | undefined {
    return this.items[0];
  }

  pop(): Thread | undefined {
    const items = this.items;
    const n = items.length - 1;
    if (n < 0) return undefined;
    const top = items[0]!;
    const keys = this.keys;
    const seqs = this.seqs;
    const last = items.pop()!;
    const lk = keys.pop()!;
    const ls = seqs.pop()!;
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
      items[i] = items[c]!;
      keys[i] = ck;
      seqs[i] = cs;
      i = c;
    }
    items[i] = last;
    keys[i] = lk;
    seqs[i] = ls;
    return top;
  }
}
