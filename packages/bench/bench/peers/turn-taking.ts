/**
 * The workload every peer runs: n tasks taking turns, each turn handing
 * control to the next task in the library's own idiom, until a number of
 * turns has been taken; then every task is parked (idle) until the next
 * batch. A "switch" is one task's turn, so ns per switch compares across
 * libraries whatever each does inside a turn.
 */
import type { SeriesId, SeriesInfo } from "../../src/series.js";

/** n started tasks of one library, all parked between batches. */
export interface TurnTaking {
  /** Takes at least `turns` turns and parks every task again; returns the turns taken. */
  run(turns: number): number | Promise<number>;
}

/** One library (or one way of using it) in its idiomatic form; label and idiom come from src/series.ts. */
export interface Peer extends SeriesInfo {
  /** Stable id: the series name in results.json and the chart. */
  id: SeriesId;
  /** Sets up n tasks and starts each one until it first parks. */
  create(n: number): TurnTaking | Promise<TurnTaking>;
}

/**
 * A token passed around a ring of n tasks, for libraries whose tasks hand
 * control over by message passing (channels, queues): task i waits on its
 * inbox, then sends the remaining turn count to task i + 1.
 * `send` starts a batch from outside the library. The task that
 * receives 0 stops the batch, and the next batch starts at its successor,
 * so every task of a large ring takes turns, not only the first few.
 */
export class Ring {
  private next = 0;
  private finish: ((turns: number) => void) | undefined;
  private turns = 0;

  constructor(
    readonly n: number,
    private readonly send: (to: number, left: number) => void,
  ) {}

  /**
   * Called by task i with the count it received: the task that the task
   * sends `left - 1` to, in its library's idiom, or -1 when the batch is over.
   */
  turn(i: number, left: number): number {
    this.turns++;
    const successor = i + 1 === this.n ? 0 : i + 1;
    if (left > 0) return successor;
    this.next = successor;
    const finish = this.finish!;
    this.finish = undefined;
    finish(this.turns);
    return -1;
  }

  run(turns: number): Promise<number> {
    this.turns = 0;
    const done = new Promise<number>((resolve) => {
      this.finish = resolve;
    });
    this.send(this.next, turns - 1);
    return done;
  }
}

/**
 * A gate for libraries whose tasks yield to the microtask queue (`await`,
 * co's `yield promise`): tasks take turns while turns are left, then park on
 * the gate; the batch ends when all n are parked, and the next batch opens
 * the gate. Parking and waking count as turns too.
 */
export class Gate {
  left = 0;
  turns = 0;
  private parked = 0;
  private closed: Promise<void>;
  private open!: () => void;
  private finish: ((turns: number) => void) | undefined;

  constructor(readonly n: number) {
    this.closed = this.close();
  }

  private close(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.open = resolve;
    });
  }

  /** What a task awaits when no turns are left. */
  park(): Promise<void> {
    if (++this.parked === this.n && this.finish) {
      const finish = this.finish;
      this.finish = undefined;
      finish(this.turns);
    }
    return this.closed;
  }

  /** Resolves when n tasks have parked for the first time. */
  started(): Promise<number> {
    return this.parked === this.n ? Promise.resolve(0) : this.wait();
  }

  private wait(): Promise<number> {
    return new Promise<number>((resolve) => {
      this.finish = resolve;
    });
  }

  run(turns: number): Promise<number> {
    this.left = turns;
    this.turns = 0;
    this.parked = 0;
    const open = this.open;
    this.closed = this.close();
    const done = this.wait();
    open();
    return done;
  }
}
