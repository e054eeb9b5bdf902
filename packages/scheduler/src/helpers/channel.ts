import { ChannelClosedError, SchedulerError } from "../errors.js";
import { Ring } from "../ring.js";
import { currentThread, requireThread, wake } from "../runtime.js";
import { type Blocker, PARK, type Park, type Thread } from "../thread.js";

/** Resume value telling a blocked receiver that the channel closed. */
const CLOSED: unique symbol = Symbol("closed");

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
  private readonly senders = new Ring<Thread>(4);
  private readonly sendValues = new Ring<T>(4);
  private readonly receivers = new Ring<Thread>(4);
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

  /** Values buffered now. */
  get size(): number {
    return this.buffer.size;
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
    const r = this.receivers.shift();
    if (r !== undefined) {
      wake(r, value);
      return true;
    }
    if (this.buffer.size < this.capacity) {
      this.buffer.push(value);
      return true;
    }
    return false;
  }

  /**
   * Close the channel: later sends throw, receivers drain what is buffered and
   * then see the end. Waiting receivers wake to the end, waiting senders with
   * a ChannelClosedError.
   */
  close(): void {
    if (this.isClosed) {
      throw new SchedulerError(`close(): ${this.label} is already closed`, {
        code: "CHANNEL_CLOSED",
      });
    }
    this.isClosed = true;
    for (let r = this.receivers.shift(); r !== undefined; r = this.receivers.shift()) {
      wake(r, CLOSED);
    }
    for (let s = this.senders.shift(); s !== undefined; s = this.senders.shift()) {
      this.sendValues.shift();
      wake(s, this.closedError("send", s), true);
    }
  }

  describeWait(t: Thread): string {
    const state = `capacity ${this.capacity}, ${this.buffer.size} buffered${this.isClosed ? ", closed" : ""}`;
    if (this.receivers.indexOf(t) >= 0) return `recv on ${this.label} (${state})`;
    return `send on ${this.label} (${state})`;
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
    const r = this.receivers.shift();
    if (r !== undefined) {
      wake(r, value);
      return;
    }
    if (this.buffer.size < this.capacity) {
      this.buffer.push(value);
      return;
    }
    this.senders.push(self);
    this.sendValues.push(value);
    self._waitingOn = this;
    yield PARK;
  }

  private *receiving(self: Thread, asResult: boolean): Generator<Park, unknown, unknown> {
    let v: unknown;
    if (this.buffer.size > 0) {
      v = this.buffer.shift();
      const s = this.senders.shift();
      if (s !== undefined) {
        this.buffer.push(this.sendValues.shift() as T);
        wake(s);
      }
    } else if (this.senders.size > 0) {
      v = this.sendValues.shift();
      wake(this.senders.shift()!);
    } else if (this.isClosed) {
      v = CLOSED;
    } else {
      this.receivers.push(self);
      self._waitingOn = this;
      v = yield PARK;
    }
    if (v === CLOSED) {
      if (asResult) return { done: true, value: undefined };
      throw this.closedError("recv", self);
    }
    return asResult ? { done: false, value: v } : v;
  }
}
