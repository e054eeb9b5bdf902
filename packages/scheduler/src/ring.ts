/**
 * A growable FIFO ring buffer (power-of-two capacity). push/shift are O(1) and
 * allocation-free once the buffer has grown to its working size.
 */
export class Ring<T> {
  private items: (T | undefined)[];
  private head = 0;
  private mask: number;
  /** Number of items. */
  size = 0;

  constructor(capacity = 16) {
    let c = 4;
    while (c < capacity) c <<= 1;
    this.items = new Array<T | undefined>(c).fill(undefined);
    this.mask = c - 1;
  }

  push(item: T): void {
    if (this.size > this.mask) this.grow();
    this.items[(this.head + this.size) & this.mask] = item;
    this.size++;
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const h = this.head;
    const item = this.items[h];
    this.items[h] = undefined;
    this.head = (h + 1) & this.mask;
    this.size--;
    return item;
  }

  peek(): T | undefined {
    return this.size === 0 ? undefined : this.items[this.head];
  }

  /** The i-th item from the front. */
  at(i: number): T | undefined {
    return i < 0 || i >= this.size ? undefined : this.items[(this.head + i) & this.mask];
  }

  /** Remove the first occurrence of `item`, keeping order. O(n). */
  remove(item: T): boolean {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      if (this.items[(this.head + i) & this.mask] === item) {
        this.removeAt(i);
        return true;
      }
    }
    return false;
  }

  /** Remove the i-th item from the front, keeping order, and return it. O(n). */
  removeAt(i: number): T | undefined {
    const n = this.size;
    if (i < 0 || i >= n) return undefined;
    const m = this.mask;
    const item = this.items[(this.head + i) & m];
    for (let j = i; j < n - 1; j++) {
      this.items[(this.head + j) & m] = this.items[(this.head + j + 1) & m];
    }
    this.items[(this.head + n - 1) & m] = undefined;
    this.size--;
    return item;
  }

  indexOf(item: T): number {
    for (let i = 0; i < this.size; i++) {
      if (this.items[(this.head + i) & this.mask] === item) return i;
    }
    return -1;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.items[(this.head + i) & this.mask] as T);
    return out;
  }

  private grow(): void {
    const old = this.items;
    const n = old.length;
    const next = new Array<T | undefined>(n * 2).fill(undefined);
    for (let i = 0; i < n; i++) next[i] = old[(this.head + i) & this.mask];
    this.items = next;
    this.head = 0;
    this.mask = n * 2 - 1;
  }
}
