/**
 * LaneQueue: a min-queue of threads ordered by (key, seq), exactly like
 * ThreadHeap (smallest key first, then the one pushed first), built for
 * policies whose threads fall into a few classes ("lanes") and whose pushes
 * arrive in key order within a lane.
 *
 * Priority and Stride are such policies. Under Priority a thread's key is
 * clock - priority * aging, and the clock only grows, so threads of one
 * priority are pushed in key order: each priority is a FIFO. Under Stride a
 * yielding thread's new pass is the global pass plus its stride, so threads of
 * one stride that only yield are pushed in pass order too. A heap over all
 * ready threads pays log4(n) levels of hard-to-predict compares for every
 * switch (about 200 ns at 10,000 threads); here a switch is a shift from one
 * ring, an append to another, and a sift in a heap over the lanes, which has
 * as many entries as there are distinct classes.
 *
 *   lane heap (by head key, seq)      lanes: rings of (thread, key, seq)
 *        [ lane 2 ]                   lane 0: t7 t3 t9 ...   keys ascending
 *      [ lane 0 ] [ lane 1 ]          lane 1: t4 t8 ...
 *                                     lane 2: t1 t5 t2 t6 ...
 *   overflow: a ThreadHeap for the pushes that are not in key order in their
 *   lane (Stride wakes and spawns); pop takes the smaller of its top and the
 *   lane heap's top.
 *
 * Sequence numbers come from one counter for lanes and overflow, so the order
 * of pops is the same as one ThreadHeap would give for the same pushes. Keys
 * and sequence numbers sit in Float64Arrays next to the thread arrays, so no
 * compare touches a Thread, and nothing allocates once the arrays have grown.
 */
import { ThreadHeap } from "./heap.js";
import type { Thread } from "./thread.js";

/** One lane: a FIFO ring of threads whose keys never decrease from head to tail. */
class Lane {
  items: (Thread | undefined)[];
  keys: Float64Array;
  seqs: Float64Array;
  head = 0;
  count = 0;
  mask: number;

  constructor(capacity: number) {
    this.items = new Array<Thread | undefined>(capacity).fill(undefined);
    this.keys = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  grow(): void {
    const old = this.mask + 1;
    const cap = old * 2;
    const items = new Array<Thread | undefined>(cap).fill(undefined);
    const keys = new Float64Array(cap);
    const seqs = new Float64Array(cap);
    for (let i = 0; i < old; i++) {
      const j = (this.head + i) & this.mask;
      items[i] = this.items[j];
      keys[i] = this.keys[j]!;
      seqs[i] = this.seqs[j]!;
    }
    this.items = items;
    this.keys = keys;
    this.seqs = seqs;
    this.head = 0;
    this.mask = cap - 1;
  }
}

const LANE_CAPACITY = 8;

/**
 * Lanes pay for themselves while they are few or hold several threads each.
 * With many lanes of one or two threads (every thread its own priority) the
 * heap of lanes is as deep as a heap of threads and each switch empties and
 * refills a lane, so then new pushes all go to the overflow heap; threads
 * already in lanes still pop in order. Measured at 10,000 threads: lanes win
 * by 2-4x at 256 lanes and lose by 2x at 10,000.
 */
const FEW_LANES = 64;
const THREADS_PER_LANE = 8;

export class LaneQueue {
  private lanes: Lane[] = [];
  private readonly freeLanes: number[] = [];
  // Binary min-heap of the non-empty lanes, keyed by their head's (key, seq).
  private heapLane = new Int32Array(8);
  private heapKey = new Float64Array(8);
  private heapSeq = new Float64Array(8);
  private heapSize = 0;
  private readonly overflow = new ThreadHeap();
  private nextSeq = 0;
  private count = 0;
  private lanesOn = true;
  /** By lane: threads that joined it and have not left. */
  private members: number[] = [];
  private totalMembers = 0;

  /** Number of threads in the queue. */
  get size(): number {
    return this.count;
  }

  /** Number of lanes handed out by addLane() and not released. */
  get laneCount(): number {
    return this.lanes.length - this.freeLanes.length;
  }

  /** A new, empty lane; its id is a small integer, reused once the lane is released. */
  addLane(): number {
    let id = this.freeLanes.pop();
    if (id === undefined) {
      this.lanes.push(new Lane(LANE_CAPACITY));
      id = this.lanes.length - 1;
    }
    this.members[id] = 0;
    this.choose();
    return id;
  }

  /** A thread of lane `id` is born (spawned): it will be pushed through that lane. */
  join(id: number): void {
    this.members[id]!++;
    this.totalMembers++;
    this.choose();
  }

  /**
   * A thread of lane `id` is gone for good (exited, so not in the queue).
   * When it was the lane's last, the lane is released and this returns true,
   * so a policy that sees many distinct classes over time keeps only live ones.
   */
  leave(id: number): boolean {
    this.totalMembers--;
    const released = --this.members[id]! === 0;
    if (released) {
      this.lanes[id] = new Lane(LANE_CAPACITY);
      this.freeLanes.push(id);
    }
    this.choose();
    return released;
  }

  private choose(): void {
    const lanes = this.laneCount;
    this.lanesOn = lanes <= FEW_LANES || lanes * THREADS_PER_LANE <= this.totalMembers;
  }

  /**
   * Adds `t` with `key` through lane `laneId`. Any key is accepted: one that
   * is below the lane's last key goes to the overflow heap, so the order of
   * pops never depends on the lane.
   */
  push(t: Thread, laneId: number, key: number): void {
    const seq = this.nextSeq++;
    this.count++;
    if (!this.lanesOn) {
      this.overflow.push(t, key, seq);
      return;
    }
    const lane = this.lanes[laneId]!;
    const n = lane.count;
    if (n === 0) {
      const h = lane.head;
      lane.items[h] = t;
      lane.keys[h] = key;
      lane.seqs[h] = seq;
      lane.count = 1;
      this.heapInsert(laneId, key, seq);
      return;
    }
    if (key >= lane.keys[(lane.head + n - 1) & lane.mask]!) {
      if (n > lane.mask) lane.grow();
      const i = (lane.head + n) & lane.mask;
      lane.items[i] = t;
      lane.keys[i] = key;
      lane.seqs[i] = seq;
      lane.count = n + 1;
      return;
    }
    this.overflow.push(t, key, seq);
  }

  /** Removes and returns the thread with the smallest (key, seq), or undefined. */
  pop(): Thread | undefined {
    if (this.heapSize === 0) {
      if (this.count === 0) return undefined;
      this.count--;
      return this.overflow.pop();
    }
    this.count--;
    const overflow = this.overflow;
    if (overflow.size !== 0) {
      const ok = overflow.peekKey();
      const hk = this.heapKey[0]!;
      if (ok < hk || (ok === hk && overflow.peekSeq() < this.heapSeq[0]!)) return overflow.pop();
    }
    const lane = this.lanes[this.heapLane[0]!]!;
    const h = lane.head;
    const t = lane.items[h]!;
    lane.items[h] = undefined;
    const nh = (h + 1) & lane.mask;
    lane.head = nh;
    if (--lane.count === 0) {
      lane.head = 0;
      this.heapRemoveTop();
    } else {
      this.heapKey[0] = lane.keys[nh]!;
      this.heapSeq[0] = lane.seqs[nh]!;
      this.siftDown(0, this.heapLane[0]!, lane.keys[nh]!, lane.seqs[nh]!);
    }
    return t;
  }

  private heapInsert(laneId: number, key: number, seq: number): void {
    if (this.heapSize === this.heapLane.length) this.heapGrow();
    const hl = this.heapLane;
    const hk = this.heapKey;
    const hs = this.heapSeq;
    let i = this.heapSize++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = hk[p]!;
      if (pk < key || (pk === key && hs[p]! < seq)) break;
      hl[i] = hl[p]!;
      hk[i] = pk;
      hs[i] = hs[p]!;
      i = p;
    }
    hl[i] = laneId;
    hk[i] = key;
    hs[i] = seq;
  }

  private heapRemoveTop(): void {
    const n = --this.heapSize;
    if (n === 0) return;
    this.siftDown(0, this.heapLane[n]!, this.heapKey[n]!, this.heapSeq[n]!);
  }

  /** Places (laneId, key, seq) at hole `i` or below it. */
  private siftDown(i: number, laneId: number, key: number, seq: number): void {
    const hl = this.heapLane;
    const hk = this.heapKey;
    const hs = this.heapSeq;
    const n = this.heapSize;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ck = hk[c]!;
      let cs = hs[c]!;
      const r = c + 1;
      if (r < n) {
        const rk = hk[r]!;
        if (rk < ck || (rk === ck && hs[r]! < cs)) {
          c = r;
          ck = rk;
          cs = hs[r]!;
        }
      }
      if (key < ck || (key === ck && seq < cs)) break;
      hl[i] = hl[c]!;
      hk[i] = ck;
      hs[i] = cs;
      i = c;
    }
    hl[i] = laneId;
    hk[i] = key;
    hs[i] = seq;
  }

  private heapGrow(): void {
    const cap = this.heapLane.length * 2;
    const hl = new Int32Array(cap);
    const hk = new Float64Array(cap);
    const hs = new Float64Array(cap);
    hl.set(this.heapLane);
    hk.set(this.heapKey);
    hs.set(this.heapSeq);
    this.heapLane = hl;
    this.heapKey = hk;
    this.heapSeq = hs;
  }
}
