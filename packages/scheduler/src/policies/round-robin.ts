/**
 * RoundRobin: the book's policy. Threads sit in a table of slots in spawn
 * order (a finished thread's slot goes to the next spawn, lowest slot first,
 * like the book's Available threads). To pick, scan forward from the slot
 * after the last thread that ran, wrapping around, for the first ready thread.
 *
 * Nothing is scanned, though. Ready threads live in two places:
 *   - `queue`, a ring of threads that yielded. A thread that yields sits in the
 *     slot just picked, which is the last slot in scan order from the new
 *     cursor, so pushing it to the back keeps the ring in scan order;
 *   - `woken`, a two-level bitset of slots of threads that were spawned or
 *     woken, which can belong anywhere in scan order.
 * pick() takes whichever of the ring's head and the first woken slot after the
 * cursor comes first in scan order. While nothing is spawned or woken (the
 * common case) a switch is one ring shift and one push, as cheap as FIFO. The
 * ring lives in this object's own fields to save a load and a map check.
 */
import type { Scheduler } from "../scheduler.js";
import type { Thread } from "../thread.js";
import { packedArray } from "./packed.js";
import { ringUpcoming, rotateRing } from "./ring-rotation.js";

/** Count trailing zeros of a non-zero int32. `(0 - x) | 0` keeps the negation in int32 for bit 31. */
function ctz(x: number): number {
  return 31 - Math.clz32(x & ((0 - x) | 0));
}

/**
 * The round-robin policy described above, and the default of `new Runtime()`:
 * every ready thread gets a turn in slot order, so none starves.
 *
 * @example
 * ```ts
 * import { RoundRobin, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime({ scheduler: new RoundRobin() });
 * const turns: string[] = [];
 * for (const name of ["a", "b"]) {
 *   rt.spawn(function* () {
 *     for (let i = 0; i < 2; i++) {
 *       turns.push(name);
 *       yield;
 *     }
 *   });
 * }
 * rt.run();
 * console.log(turns.join("")); // "abab"
 * ```
 */
export class RoundRobin implements Scheduler {
  readonly name = "round-robin";
  // the ring of yielded threads
  private items: (Thread | undefined)[] = packedArray(64);
  private head = 0;
  private size = 0;
  private mask = 63;
  private slots: (Thread | undefined)[] = [];
  /** bit s set: slot s was spawned or woken and is ready */
  private words = new Int32Array(2);
  /** bit w set: words[w] is not 0 */
  private summary = new Int32Array(1);
  private wokenCount = 0;
  /** slot of the thread picked last, unless lastIsTail is 1 */
  private cursor = -1;
  /**
   * 1 when the thread picked last came from the ring by the fast path: then it
   * is either the ring's tail (it yielded) or onBlock/onExit recorded its slot
   * in `cursor` (and reset this). Saves reading `t.sched` on every pick.
   */
  private lastIsTail = 0;
  private highWater = 0;
  /** free slots below highWater, a min-heap */
  private free: number[] = [];

  onSpawn(t: Thread): void {
    const slot = this.free.length > 0 ? this.popFree() : this.highWater++;
    if (slot >= this.words.length << 5) this.grow(slot);
    this.slots[slot] = t;
    t.sched = slot;
    if (this.cursor === -1 && this.lastIsTail === 0 && this.wokenCount === 0) {
      // Nothing picked yet: threads spawned now are in scan order already.
      this.onYield(t);
    } else {
      this.mark(slot);
    }
  }

  onYield(t: Thread): void {
    if (this.size > this.mask) this.growRing();
    this.items[(this.head + this.size) & this.mask] = t;
    this.size++;
  }

  onWake(t: Thread): void {
    this.mark(t.sched as number);
  }

  onBlock(t: Thread): void {
    this.cursor = t.sched as number;
    this.lastIsTail = 0;
  }

  onExit(t: Thread): void {
    const slot = t.sched as number;
    this.cursor = slot;
    this.lastIsTail = 0;
    this.slots[slot] = undefined;
    this.pushFree(slot);
  }

  pick(): Thread | undefined {
    if (this.wokenCount === 0) {
      if (this.size === 0) return undefined;
      const h = this.head;
      const t = this.items[h];
      this.items[h] = undefined;
      this.head = (h + 1) & this.mask;
      this.size--;
      this.lastIsTail = 1;
      return t;
    }
    const c =
      this.lastIsTail === 1 && this.size > 0
        ? (this.items[(this.head + this.size - 1) & this.mask]!.sched as number)
        : this.cursor;
    this.lastIsTail = 0;
    let ws = this.find(c + 1);
    const wWrapped = ws < 0;
    if (wWrapped) ws = this.find(0);
    if (this.size > 0) {
      const h = this.items[this.head]!;
      const hs = h.sched as number;
      const hWrapped = hs <= c;
      if ((!hWrapped && wWrapped) || (hWrapped === wWrapped && hs < ws)) {
        this.items[this.head] = undefined;
        this.head = (this.head + 1) & this.mask;
        this.size--;
        this.cursor = hs;
        return h;
      }
    }
    const w = ws >>> 5;
    const word = this.words[w]! & ~(1 << (ws & 31));
    this.words[w] = word;
    if (word === 0) this.summary[w >>> 5]! &= ~(1 << (w & 31));
    this.wokenCount--;
    this.cursor = ws;
    return this.slots[ws];
  }

  /** While no spawned or woken thread waits to be slotted in, the picks are the ring's rotation. */
  upcoming(out: Thread[], max: number): number {
    if (this.wokenCount !== 0) return -1;
    return ringUpcoming(this.items, this.head, this.size, this.mask, out, max);
  }

  advance(k: number): void {
    if (k === 0 || this.size === 0) return;
    if (this.wokenCount !== 0) {
      for (let i = 0; i < k; i++) this.onYield(this.pick()!);
      return;
    }
    this.head = rotateRing(this.items, this.head, this.size, this.mask, k);
    this.lastIsTail = 1;
  }

  private mark(slot: number): void {
    const w = slot >>> 5;
    this.words[w]! |= 1 << (slot & 31);
    this.summary[w >>> 5]! |= 1 << (w & 31);
    this.wokenCount++;
  }

  /** First marked slot >= pos, or -1. */
  private find(pos: number): number {
    const words = this.words;
    let w = pos >>> 5;
    if (w >= words.length) return -1;
    const x = words[w]! & (-1 << (pos & 31));
    if (x !== 0) return (w << 5) | ctz(x);
    w++;
    const summary = this.summary;
    let sw = w >>> 5;
    if (sw >= summary.length) return -1;
    let y = summary[sw]! & (-1 << (w & 31));
    for (;;) {
      if (y !== 0) {
        const ww = (sw << 5) | ctz(y);
        return (ww << 5) | ctz(words[ww]!);
      }
      if (++sw >= summary.length) return -1;
      y = summary[sw]!;
    }
  }

  private growRing(): void {
    const n = this.items.length;
    const next = packedArray(n * 2);
    for (let i = 0; i < n; i++) next[i] = this.items[(this.head + i) & this.mask];
    this.items = next;
    this.head = 0;
    this.mask = n * 2 - 1;
  }

  private grow(slot: number): void {
    let n = this.words.length;
    while (slot >= n << 5) n <<= 1;
    const words = new Int32Array(n);
    words.set(this.words);
    this.words = words;
    const summary = new Int32Array(Math.ceil(n / 32));
    summary.set(this.summary);
    this.summary = summary;
  }

  private pushFree(slot: number): void {
    const h = this.free;
    let i = h.length;
    h.push(slot);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= slot) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = slot;
  }

  private popFree(): number {
    const h = this.free;
    const top = h[0]!;
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && h[c + 1]! < h[c]!) c++;
        if (last <= h[c]!) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
