/*
 * Channels: Go's, between green threads and from host code.
 *
 * A value must never be lost to a cancellation. The risky moment is a
 * hand-off: a sender gives its value straight to a receiver parked in recv(),
 * wakes it, and goes on. The receiver is now ready but has not run, and may be
 * cancelled before it does; the runtime then resumes it with `return`, and a
 * value carried in its resume slot would vanish with it. So the value is not
 * carried in the thread: it stays in the channel (`handedTo`/`handedValues`,
 * in hand-off order) and the receiver is woken with the marker HANDED. When it
 * runs it takes its value out; when it is cancelled instead, the `finally`
 * around its park gives the value back: to the next waiting receiver, or, with
 * nobody waiting, to `givenBack`, which receivers drain before the buffer. A
 * given-back value is not counted against `capacity`, so a rendezvous sender
 * still returns only once a receiver really took its value.
 *
 * A sender has no such gap: its value is taken (by a receiver, or into the
 * buffer) at the same moment it is woken, so from then on the value is sent.
 *
 * select() (select.ts) parks one thread on several channels at once. Its
 * cases sit in the waiting queues in place of the thread, as a ChannelArm;
 * whoever takes an arm off a queue claims it, which removes every other arm
 * of that select from its channel at the same moment, so exactly one case
 * happens. From there on a claimed receive arm is a receiver like any other:
 * its value is handed, kept in the channel and given back on cancellation.
 */

import { ChannelClosedError, SchedulerError } from "../errors.js";
import { Ring } from "../ring.js";
import { currentThread, Runtime, requireThread, wake } from "../runtime.js";
import { type Blocker, PARK, type Park, Thread } from "../thread.js";

/** Resume value telling a blocked receiver that the channel closed. */
const CLOSED: unique symbol = Symbol("closed");
/** Resume value telling a blocked receiver that its value waits in `handedTo`/`handedValues`. */
const HANDED: unique symbol = Symbol("handed");
/** What takeHanded() finds for a receiver no value was handed to. */
const NOT_HANDED: unique symbol = Symbol("not handed");
/** What takeNow() gives when nothing can be received now. */
const NOTHING: unique symbol = Symbol("nothing");

/**
 * @internal A case of a parked select(), waiting in a channel's queue in place
 * of its thread. `claim()` makes it the case that happens: it removes the
 * select's other arms from their channels and returns the thread.
 */
export interface ChannelArm {
  readonly thread: Thread;
  claim(): Thread;
}

/** A waiting receiver or sender: a thread, or a select's arm. */
type Waiter = Thread | ChannelArm;

/** The thread behind a waiter just taken off a queue; an arm is claimed. */
function claim(w: Waiter): Thread {
  return w instanceof Thread ? w : w.claim();
}

/**
 * Options of `new Channel(capacity, options)`. A name makes deadlock reports
 * and errors say which channel a thread was stuck on.
 *
 * @example
 * ```ts
 * import { Channel, type ChannelOptions } from "@greenthreads/scheduler";
 * const options: ChannelOptions = { name: "jobs" };
 * const jobs = new Channel<string>(8, options);
 * console.log(jobs.label); // channel "jobs"
 * ```
 */
export interface ChannelOptions {
  /** Shown in deadlock reports and errors. */
  name?: string;
}

/**
 * A channel between threads, like Go's. `capacity` values can be buffered;
 * with capacity 0 (the default) it is a rendezvous: `send` waits for a
 * receiver to take the value. Waiting senders and receivers are served first
 * come, first served.
 *
 *   yield* ch.send(v)          // blocks while the buffer is full
 *   const v = yield* ch.recv() // blocks while empty; throws ChannelClosedError once closed and drained
 *   const r = yield* ch.next() // like recv, but { done: true } once closed and drained
 *   ch.close()                 // wakes every waiting receiver and sender
 *   ch.holdOpen(rt)            // host code feeds it: runAsync() waits until close()
 *
 * Cancellation never loses a value and never delivers one twice:
 * - A receiver cancelled while it waits takes nothing.
 * - A receiver that was handed a value (a sender or `trySend` gave it
 *   straight to the waiting receiver and went on) but is cancelled before it
 *   runs gives the value back when its cancellation runs: to the receiver
 *   waiting longest, or, if none waits, to the front of the channel, ahead of
 *   everything buffered and every waiting sender. Values given back wait in
 *   the order their receivers were cancelled, are counted in `size` but not
 *   against `capacity` (so even a rendezvous channel can hold them, and its
 *   senders still block until a receiver takes their own value), and are
 *   received even after `close()`. So every value sent is received exactly
 *   once, in send order, except that a given-back value comes after values
 *   already handed to other receivers.
 * - A sender cancelled while its value has not been taken sends nothing: the
 *   value is withdrawn. Once a receiver (or the buffer) took the value the
 *   send has happened, even if the sender is cancelled before it resumes.
 *   Either way `send` does not return; the sender's `finally` blocks run.
 *
 * @example
 * ```ts
 * import { Channel, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const jobs = new Channel<number>(2, { name: "jobs" });
 * rt.spawn(function* producer() {
 *   for (let n = 1; n <= 5; n++) yield* jobs.send(n);
 *   jobs.close();
 * });
 * const consumer = rt.spawn(function* () {
 *   let sum = 0;
 *   for (let r = yield* jobs.next(); !r.done; r = yield* jobs.next()) sum += r.value;
 *   return sum;
 * });
 * rt.run();
 * console.log(consumer.result); // 15
 * ```
 */
export class Channel<T> implements Blocker {
  readonly capacity: number;
  readonly name: string | undefined;
  private readonly buffer: Ring<T>;
  private readonly senders = new Ring<Waiter>(4);
  private readonly sendValues = new Ring<T>(4);
  private readonly receivers = new Ring<Waiter>(4);
  /** Receivers woken with HANDED that have not taken their value yet, and their values. */
  private readonly handedTo = new Ring<Thread>(4);
  private readonly handedValues = new Ring<T>(4);
  /** Values given back by cancelled receivers: received before the buffer. */
  private readonly givenBack = new Ring<T>(4);
  private releaseHolds: (() => void)[] | null = null;
  private isClosed = false;

  constructor(capacity = 0, options: ChannelOptions = {}) {
    if (typeof capacity !== "number" || !Number.isInteger(capacity) || capacity < 0) {
      throw new SchedulerError(
        `new Channel(capacity): capacity must be an integer >= 0, got ${String(capacity)}`,
        { code: "BAD_ARGUMENT" },
      );
    }
    this.capacity = capacity;
    this.name = options.name;
    this.buffer = new Ring<T>(Math.min(capacity, 1024));
  }

  /**
   * Values waiting in the channel now: those buffered, and those given back by
   * receivers cancelled after a value was handed to them.
   */
  get size(): number {
    return this.buffer.size + this.givenBack.size;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get label(): string {
    return this.name === undefined ? "channel" : `channel ${JSON.stringify(this.name)}`;
  }

  /** `yield* ch.send(value)` */
  send(value: T): Generator<Park, void, unknown> {
    return this.sending(requireThread("channel.send(value)"), value);
  }

  /** `const v = yield* ch.recv()` */
  recv(): Generator<Park, T, unknown> {
    return this.receiving(requireThread("channel.recv()"), false) as Generator<Park, T, unknown>;
  }

  /** `const r = yield* ch.next()`: `{ done: false, value }`, or `{ done: true }` once closed and drained. */
  next(): Generator<Park, IteratorResult<T, undefined>, unknown> {
    return this.receiving(requireThread("channel.next()"), true) as Generator<
      Park,
      IteratorResult<T, undefined>,
      unknown
    >;
  }

  /**
   * Send without blocking, from a thread or from host code: true if a waiting
   * receiver or the buffer took the value.
   */
  trySend(value: T): boolean {
    if (this.isClosed) throw this.closedError("trySend", currentThread());
    return this.offer(value);
  }

  /**
   * Hold `runtime` open while this channel is open: host code (timers, I/O
   * callbacks) will feed it with `trySend`, so under `runAsync()` threads
   * blocked on it are waiting for the host, not deadlocked. `close()` releases
   * the hold, and so does calling the function returned. See
   * {@link Runtime.hold}; `run()` ignores holds.
   *
   * @example
   * ```ts
   * import { Channel, Runtime } from "@greenthreads/scheduler";
   * const rt = new Runtime();
   * const lines = new Channel<string>(16, { name: "lines" });
   * lines.holdOpen(rt);
   * const reader = rt.spawn(function* () {
   *   const got: string[] = [];
   *   for (let r = yield* lines.next(); !r.done; r = yield* lines.next()) got.push(r.value);
   *   return got;
   * });
   * // Host callbacks feed the channel, then close it: that ends the hold.
   * setTimeout(() => lines.trySend("hello"), 5);
   * setTimeout(() => {
   *   lines.trySend("world");
   *   lines.close();
   * }, 10);
   * await rt.runAsync();
   * console.log(reader.result); // ["hello", "world"]
   * ```
   */
  holdOpen(runtime: Runtime): () => void {
    if (!(runtime instanceof Runtime)) {
      throw new SchedulerError(`holdOpen(runtime): ${this.label} needs a Runtime`, {
        code: "BAD_ARGUMENT",
      });
    }
    if (this.isClosed) {
      throw new SchedulerError(
        `holdOpen(): ${this.label} is already closed, so no more values can come`,
        { code: "CHANNEL_CLOSED" },
      );
    }
    const release = runtime.hold();
    if (this.releaseHolds === null) this.releaseHolds = [];
    this.releaseHolds.push(release);
    return release;
  }

  /**
   * Close the channel: later sends throw, receivers drain what is buffered and
   * then see the end. Waiting receivers wake to the end, waiting senders with
   * a ChannelClosedError. Holds taken by `holdOpen` are released.
   */
  close(): void {
    if (this.isClosed) {
      throw new SchedulerError(`close(): ${this.label} is already closed`, {
        code: "CHANNEL_CLOSED",
      });
    }
    this.isClosed = true;
    for (let r = this.receivers.shift(); r !== undefined; r = this.receivers.shift()) {
      wake(claim(r), CLOSED);
    }
    for (let w = this.senders.shift(); w !== undefined; w = this.senders.shift()) {
      this.sendValues.shift();
      const s = claim(w);
      wake(s, this.closedError("send", s), true);
    }
    const holds = this.releaseHolds;
    this.releaseHolds = null;
    if (holds !== null) for (const release of holds) release();
  }

  describeWait(t: Thread): string {
    return this._describeArm(this.receivers.indexOf(t) < 0);
  }

  cancelWait(t: Thread): void {
    if (this.receivers.remove(t)) return;
    const i = this.senders.indexOf(t);
    if (i >= 0) {
      this.senders.removeAt(i);
      this.sendValues.removeAt(i);
    }
  }

  private closedError(op: string, t: Thread | null): ChannelClosedError {
    return new ChannelClosedError(`${op} on closed ${this.label}`, t ? { thread: t } : undefined);
  }

  private *sending(self: Thread, value: T): Generator<Park, void, unknown> {
    if (this.isClosed) throw this.closedError("send", self);
    if (this.offer(value)) return;
    this.senders.push(self);
    this.sendValues.push(value);
    self._waitingOn = this;
    yield PARK;
  }

  /** Without blocking: hand `value` to a waiting receiver, or buffer it. */
  private offer(value: T): boolean {
    const r = this.receivers.shift();
    if (r !== undefined) {
      this.handOff(claim(r), value);
      return true;
    }
    if (this.buffer.size < this.capacity) {
      this.buffer.push(value);
      return true;
    }
    return false;
  }

  /** Give `value` to `r`, a receiver taken off `receivers`; it takes it when it runs. */
  private handOff(r: Thread, value: T): void {
    this.handedTo.push(r);
    this.handedValues.push(value);
    wake(r, HANDED);
  }

  /** The value handed to `self`, or NOT_HANDED; either way `self` is forgotten. */
  private takeHanded(self: Thread): unknown {
    const i = this.handedTo.indexOf(self);
    if (i < 0) return NOT_HANDED;
    if (i === 0) {
      this.handedTo.shift();
      return this.handedValues.shift();
    }
    this.handedTo.removeAt(i);
    return this.handedValues.removeAt(i);
  }

  /** `self` was cancelled: if a value was handed to it, the channel gets it back. */
  private giveBack(self: Thread): void {
    const v = this.takeHanded(self);
    if (v === NOT_HANDED) return;
    const r = this.receivers.shift();
    if (r !== undefined) this.handOff(claim(r), v as T);
    else this.givenBack.push(v as T);
  }

  /** Receive without blocking: a value, CLOSED once closed and drained, or NOTHING. */
  private takeNow(): unknown {
    if (this.givenBack.size > 0) return this.givenBack.shift();
    if (this.buffer.size > 0) {
      const v = this.buffer.shift();
      const s = this.senders.shift();
      if (s !== undefined) {
        this.buffer.push(this.sendValues.shift() as T);
        wake(claim(s));
      }
      return v;
    }
    const s = this.senders.shift();
    if (s !== undefined) {
      const v = this.sendValues.shift();
      wake(claim(s));
      return v;
    }
    return this.isClosed ? CLOSED : NOTHING;
  }

  /** What a receiver woken with `v` receives (HANDED: its value; CLOSED: a given-back value or the end). */
  private afterWake(self: Thread, v: unknown): unknown {
    if (v === HANDED) return this.takeHanded(self);
    // Woken by close(), but a cancelled receiver has given a value back since.
    if (v === CLOSED && this.givenBack.size > 0) return this.givenBack.shift();
    return v;
  }

  /** A received value (or CLOSED) as recv() or next() gives it. */
  private received(self: Thread, v: unknown, asResult: boolean): unknown {
    if (v === CLOSED) {
      if (asResult) return { done: true, value: undefined };
      throw this.closedError("recv", self);
    }
    return asResult ? { done: false, value: v } : v;
  }

  private *receiving(self: Thread, asResult: boolean): Generator<Park, unknown, unknown> {
    let v = this.takeNow();
    if (v === NOTHING) {
      this.receivers.push(self);
      self._waitingOn = this;
      let resumed = false;
      try {
        v = yield PARK;
        resumed = true;
      } finally {
        // Not resumed: cancelled, perhaps after a value was handed to it.
        if (!resumed) this.giveBack(self);
      }
      v = this.afterWake(self, v);
    }
    return this.received(self, v, asResult);
  }

  // ---- select()'s side (select.ts) -------------------------------------------

  /** @internal Could a receive complete now (a value, or the end)? */
  _canRecv(): boolean {
    return (
      this.givenBack.size > 0 || this.buffer.size > 0 || this.senders.size > 0 || this.isClosed
    );
  }

  /** @internal Could a send complete now (or throw, as the channel is closed)? */
  _canSend(): boolean {
    return this.isClosed || this.receivers.size > 0 || this.buffer.size < this.capacity;
  }

  /** @internal Receive now (the caller saw _canRecv()): `{ done, value }`. */
  _recvNow(self: Thread): IteratorResult<T, undefined> {
    return this.received(self, this.takeNow(), true) as IteratorResult<T, undefined>;
  }

  /** @internal Send now (the caller saw _canSend()); throws once closed. */
  _sendNow(self: Thread, value: T): void {
    if (this.isClosed) throw this.closedError("send", self);
    this.offer(value);
  }

  /** @internal Queue a select's arm as a receiver, or as a sender of `value`. */
  _park(arm: ChannelArm, send: boolean, value: T | undefined): void {
    if (send) {
      this.senders.push(arm);
      this.sendValues.push(value as T);
    } else {
      this.receivers.push(arm);
    }
  }

  /** @internal Take a select's unclaimed arm out of the queues. */
  _unpark(arm: ChannelArm): void {
    if (this.receivers.remove(arm)) return;
    const i = this.senders.indexOf(arm);
    if (i >= 0) {
      this.senders.removeAt(i);
      this.sendValues.removeAt(i);
    }
  }

  /** @internal A claimed receive arm's thread resumed with `v`: what it received. */
  _recvWoken(self: Thread, v: unknown): IteratorResult<T, undefined> {
    return this.received(self, this.afterWake(self, v), true) as IteratorResult<T, undefined>;
  }

  /** @internal A claimed receive arm's thread was cancelled before it ran: give back its value. */
  _giveBack(self: Thread): void {
    this.giveBack(self);
  }

  /** @internal How a select's arm waits here, for its deadlock report. */
  _describeArm(send: boolean): string {
    return `${send ? "send" : "recv"} on ${this.label} (${this.describeState()})`;
  }

  private describeState(): string {
    return `capacity ${this.capacity}, ${this.buffer.size} buffered${this.isClosed ? ", closed" : ""}`;
  }
}
