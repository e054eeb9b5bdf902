/*
 * select(): wait on several channel operations at once, like Go's select.
 *
 * First every channel case is polled. If some are ready, the runtime's
 * policy chooses one (Runtime.choose: uniformly at random under Random, a
 * recorded decision under recording, Replay and explore()) and it happens at
 * once. If none is ready, a default case is taken, or a timeout of 0; else
 * the thread parks with one ChannelArm per channel case in the channels'
 * queues (channel.ts), and a host timer for a timeout case. The first channel
 * that takes an arm claims it: the claim removes every other arm at the same
 * moment, so exactly one case happens and the others leave no trace. A
 * claimed receive arm is then an ordinary receiver: if its thread is
 * cancelled before it runs, the value handed to it goes back to the channel.
 */
import { SchedulerError } from "../errors.js";
import { requireThread, wake } from "../runtime.js";
import { BLOCKED, type Blocker, PARK, type Park, type Thread } from "../thread.js";
import { Channel, type ChannelArm } from "./channel.js";
import { checkWaitMs, HostTimer, MAX_TIMER_MS } from "./host-timer.js";

/**
 * A select case that receives from `channel`: made by {@link recvCase}.
 *
 * @example
 * ```ts
 * import { Channel, type RecvCase, recvCase } from "@greenthreads/scheduler";
 * const c: RecvCase<number> = recvCase(new Channel<number>(1));
 * console.log(c.kind); // "recv"
 * ```
 */
export interface RecvCase<T> {
  readonly kind: "recv";
  readonly channel: Channel<T>;
}

/**
 * A select case that sends `value` on `channel`: made by {@link sendCase}.
 *
 * @example
 * ```ts
 * import { Channel, type SendCase, sendCase } from "@greenthreads/scheduler";
 * const c: SendCase<string> = sendCase(new Channel<string>(1), "hi");
 * console.log(c.kind, c.value); // "send" "hi"
 * ```
 */
export interface SendCase<T> {
  readonly kind: "send";
  readonly channel: Channel<T>;
  readonly value: T;
}

/**
 * The case select takes when no channel case is ready: it never blocks.
 * Made by {@link defaultCase}.
 *
 * @example
 * ```ts
 * import { type DefaultCase, defaultCase } from "@greenthreads/scheduler";
 * const c: DefaultCase = defaultCase();
 * console.log(c.kind); // "default"
 * ```
 */
export interface DefaultCase {
  readonly kind: "default";
}

/**
 * The case select takes when no channel case became ready within `ms`
 * milliseconds. Made by {@link timeoutCase}.
 *
 * @example
 * ```ts
 * import { type TimeoutCase, timeoutCase } from "@greenthreads/scheduler";
 * const c: TimeoutCase = timeoutCase(50);
 * console.log(c.kind, c.ms); // "timeout" 50
 * ```
 */
export interface TimeoutCase {
  readonly kind: "timeout";
  readonly ms: number;
}

/**
 * Any case of {@link select}.
 *
 * @example
 * ```ts
 * import { Channel, recvCase, type SelectCase, timeoutCase } from "@greenthreads/scheduler";
 * const cases: SelectCase[] = [recvCase(new Channel<number>()), timeoutCase(10)];
 * console.log(cases.map((c) => c.kind)); // ["recv", "timeout"]
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: a case of any channel's element type
export type SelectCase = RecvCase<any> | SendCase<any> | DefaultCase | TimeoutCase;

/**
 * What {@link select} gives when case `C`, at index `I`, is the one that
 * happened: one member of {@link SelectResult}.
 *
 * @example
 * ```ts
 * import type { RecvCase, SelectCaseResult } from "@greenthreads/scheduler";
 * const r: SelectCaseResult<RecvCase<number>, 0> = { index: 0, kind: "recv", done: false, value: 1 };
 * console.log(r.done ? "closed" : r.value); // 1
 * ```
 */
export type SelectCaseResult<C, I> =
  C extends RecvCase<infer T>
    ?
        | { readonly index: I; readonly kind: "recv"; readonly done: false; readonly value: T }
        | {
            readonly index: I;
            readonly kind: "recv";
            readonly done: true;
            readonly value: undefined;
          }
    : C extends SendCase<unknown>
      ? { readonly index: I; readonly kind: "send" }
      : C extends DefaultCase
        ? { readonly index: I; readonly kind: "default" }
        : { readonly index: I; readonly kind: "timeout" };

/**
 * What {@link select} gives: the index of the case that happened, its kind,
 * and for a receive `{ done, value }` as `channel.next()` gives it (`done`
 * once the channel is closed and drained). For a tuple of cases the type is a
 * union by index, so `switch (r.index)` narrows `value`.
 *
 * @example
 * ```ts
 * import { Channel, Runtime, recvCase, type SelectResult, select } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const words = new Channel<string>(1);
 * words.trySend("hi");
 * rt.spawn(function* () {
 *   const r: SelectResult<[typeof recv]> = yield* select([recv]);
 *   if (r.index === 0 && !r.done) console.log(r.value.toUpperCase()); // "HI"
 * });
 * const recv = recvCase(words);
 * rt.run();
 * ```
 */
export type SelectResult<Cs extends readonly SelectCase[]> = {
  [K in keyof Cs]: SelectCaseResult<Cs[K], K extends `${infer N extends number}` ? N : number>;
}[number];

/**
 * A select case receiving from `channel`.
 *
 * @example
 * ```ts
 * import { Channel, Runtime, recvCase, select } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const ch = new Channel<number>(1);
 * ch.trySend(7);
 * const t = rt.spawn(function* () {
 *   const r = yield* select([recvCase(ch)]);
 *   return r.done ? "closed" : r.value;
 * });
 * rt.run();
 * console.log(t.result); // 7
 * ```
 */
export function recvCase<T>(channel: Channel<T>): RecvCase<T> {
  checkChannel(channel, "recvCase(channel)");
  return { kind: "recv", channel };
}

/**
 * A select case sending `value` on `channel`. If the channel is closed when
 * this case is chosen, select throws a ChannelClosedError, as `send` would.
 *
 * @example
 * ```ts
 * import { Channel, Runtime, sendCase, select } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const ch = new Channel<string>(1);
 * rt.spawn(function* () {
 *   yield* select([sendCase(ch, "hello")]);
 * });
 * rt.run();
 * console.log(ch.size); // 1
 * ```
 */
export function sendCase<T>(channel: Channel<T>, value: T): SendCase<T> {
  checkChannel(channel, "sendCase(channel, value)");
  return { kind: "send", channel, value };
}

/**
 * A select case taken when no channel case is ready: select does not block.
 *
 * @example
 * ```ts
 * import { Channel, defaultCase, Runtime, recvCase, select } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const empty = new Channel<number>(1);
 * const t = rt.spawn(function* () {
 *   return (yield* select([recvCase(empty), defaultCase()])).kind;
 * });
 * rt.run();
 * console.log(t.result); // "default"
 * ```
 */
export function defaultCase(): DefaultCase {
  return DEFAULT;
}
const DEFAULT: DefaultCase = Object.freeze({ kind: "default" as const });

/**
 * A select case taken when no channel case became ready within `ms`
 * milliseconds. A positive finite `ms` needs `runAsync()`; 0 acts like a
 * default case.
 *
 * @example
 * ```ts
 * import { Channel, Runtime, recvCase, select, timeoutCase } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const replies = new Channel<string>();
 * const t = rt.spawn(function* () {
 *   const r = yield* select([recvCase(replies), timeoutCase(10)]);
 *   return r.kind;
 * });
 * await rt.runAsync();
 * console.log(t.result, replies.size); // "timeout" 0
 * ```
 */
export function timeoutCase(ms: number): TimeoutCase {
  if (typeof ms !== "number" || !(ms >= 0)) {
    throw new SchedulerError(`timeoutCase(ms): ms must be a number >= 0, got ${String(ms)}`, {
      code: "BAD_ARGUMENT",
    });
  }
  return { kind: "timeout", ms };
}

function checkChannel(channel: unknown, what: string): void {
  if (!(channel instanceof Channel)) {
    throw new SchedulerError(
      `${what}: channel must be a Channel, got ${channel === null ? "null" : typeof channel}`,
      {
        code: "BAD_ARGUMENT",
      },
    );
  }
}

/**
 * `const r = yield* select(cases)`: wait until one of the channel cases can
 * happen, make exactly that one happen, and say which (see
 * {@link SelectResult}). Where several are ready the runtime's policy
 * chooses (uniformly at random under Random, as Go does; part of the
 * schedule under Replay and `explore()`). A {@link defaultCase} makes select
 * never block; a {@link timeoutCase} bounds the wait. The cases not taken
 * leave no trace: no value taken, none sent. Cancelling the thread while it
 * waits takes nothing; a value handed to it before it ran goes back to its
 * channel, as with `recv`.
 *
 * @example
 * ```ts
 * import { Channel, Runtime, recvCase, select } from "@greenthreads/scheduler";
 * // Fan-in: one consumer serves two producers until both are done.
 * const rt = new Runtime();
 * const a = new Channel<string>(0, { name: "a" });
 * const b = new Channel<string>(0, { name: "b" });
 * for (const [ch, name] of [[a, "a"], [b, "b"]] as const) {
 *   rt.spawn(function* () {
 *     for (let i = 0; i < 2; i++) yield* ch.send(`${name}${i}`);
 *     ch.close();
 *   });
 * }
 * const consumer = rt.spawn(function* () {
 *   const got: string[] = [];
 *   const open = [a, b];
 *   while (open.length > 0) {
 *     const r = yield* select(open.map((ch) => recvCase(ch)));
 *     if (r.done) open.splice(r.index, 1); // closed and drained: stop selecting on it
 *     else got.push(r.value);
 *   }
 *   return got.sort();
 * });
 * rt.run();
 * console.log(consumer.result); // ["a0", "a1", "b0", "b1"]
 * ```
 */
export function select<const Cs extends readonly SelectCase[]>(
  cases: Cs,
): Generator<Park, SelectResult<Cs>, unknown> {
  const self = requireThread("select(cases)");
  if (!Array.isArray(cases) || cases.length === 0) {
    throw new SchedulerError(
      "select(cases) needs a non-empty array of cases (recvCase, sendCase, defaultCase, timeoutCase); with none it would wait forever",
      { code: "BAD_ARGUMENT", thread: self },
    );
  }
  let defaultAt = -1;
  let timeoutAt = -1;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i] as SelectCase | undefined;
    const kind = c?.kind;
    if (kind === "default" || kind === "timeout") {
      if (defaultAt >= 0 || timeoutAt >= 0) {
        throw new SchedulerError(
          `select(cases): case ${i} is a second default or timeout case; give at most one of them`,
          { code: "BAD_ARGUMENT", thread: self },
        );
      }
      if (kind === "default") defaultAt = i;
      else {
        checkWaitMs(self, (c as TimeoutCase).ms, "select() with a timeoutCase");
        timeoutAt = i;
      }
    } else if (kind !== "recv" && kind !== "send") {
      throw new SchedulerError(
        `select(cases): case ${i} is not a case; make cases with recvCase, sendCase, defaultCase or timeoutCase`,
        { code: "BAD_ARGUMENT", thread: self },
      );
    }
  }
  return selecting(self, cases, defaultAt, timeoutAt) as Generator<Park, SelectResult<Cs>, unknown>;
}

type Result = { index: number; kind: string; done?: boolean; value?: unknown };

/** One channel case of a parked select, waiting in its channel's queue. */
class Arm implements ChannelArm {
  constructor(
    readonly wait: SelectWait,
    readonly index: number,
    readonly channel: Channel<unknown>,
    readonly send: boolean,
  ) {}

  get thread(): Thread {
    return this.wait.thread;
  }

  claim(): Thread {
    this.wait.settle(this.index, this);
    return this.wait.thread;
  }
}

/** A parked select: its arms, its timer, and which case happened. */
class SelectWait implements Blocker {
  readonly arms: Arm[] = [];
  timer: HostTimer | null = null;
  /** The index of the case that happened, or -1 while none has. */
  happened = -1;

  constructor(readonly thread: Thread) {}

  /** Case `index` happened: every other arm leaves its channel. */
  settle(index: number, keep: Arm | null): void {
    this.happened = index;
    for (const a of this.arms) if (a !== keep) a.channel._unpark(a);
    this.timer?.disarm();
  }

  describeWait(): string {
    const what = this.arms.map((a) => a.channel._describeArm(a.send));
    return `select on ${what.join(" or ")}${this.timer === null ? "" : " with a timeout"}`;
  }

  cancelWait(): void {
    this.settle(-1, null);
  }
}

function* selecting(
  self: Thread,
  cases: readonly SelectCase[],
  defaultAt: number,
  timeoutAt: number,
): Generator<Park, Result, unknown> {
  // Poll: which channel cases could happen now?
  let ready: number[] | null = null;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    if (c.kind === "recv" ? c.channel._canRecv() : c.kind === "send" && c.channel._canSend()) {
      if (ready === null) ready = [];
      ready.push(i);
    }
  }
  if (ready !== null) {
    const i = ready[self.runtime.choose(ready.length)]!;
    const c = cases[i] as RecvCase<unknown> | SendCase<unknown>;
    if (c.kind === "send") {
      c.channel._sendNow(self, c.value);
      return { index: i, kind: "send" };
    }
    return { index: i, kind: "recv", ...c.channel._recvNow(self) };
  }
  if (defaultAt >= 0) return { index: defaultAt, kind: "default" };
  const ms = timeoutAt >= 0 ? (cases[timeoutAt] as TimeoutCase).ms : Number.POSITIVE_INFINITY;
  if (ms === 0) return { index: timeoutAt, kind: "timeout" };

  // Park on every channel case at once.
  const w = new SelectWait(self);
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    if (c.kind !== "recv" && c.kind !== "send") continue;
    const arm = new Arm(w, i, c.channel, c.kind === "send");
    w.arms.push(arm);
    c.channel._park(arm, arm.send, c.kind === "send" ? c.value : undefined);
  }
  if (ms !== Number.POSITIVE_INFINITY) {
    const deadline = Date.now() + ms;
    const arm = (left: number) => {
      // setTimeout takes at most 2^31 - 1 ms; a longer wait re-arms when that passes.
      const longWait = left > MAX_TIMER_MS;
      w.timer = new HostTimer(self.runtime, longWait ? MAX_TIMER_MS : left, () => {
        if (w.happened >= 0 || self._state !== BLOCKED || self._waitingOn !== w) return;
        if (longWait) return arm(deadline - Date.now());
        w.settle(timeoutAt, null);
        wake(self);
      });
    };
    arm(ms);
  }
  self._waitingOn = w;
  let v: unknown;
  let resumed = false;
  try {
    v = yield PARK;
    resumed = true;
  } finally {
    if (!resumed) {
      // Cancelled or thrown into: if a receive case was claimed, its value goes back.
      const i = w.happened;
      const c = i >= 0 ? cases[i]! : undefined;
      if (c?.kind === "recv") c.channel._giveBack(self);
      w.timer?.disarm();
    }
  }
  const i = w.happened;
  const c = cases[i]!;
  if (c.kind === "recv") return { index: i, kind: "recv", ...c.channel._recvWoken(self, v) };
  return { index: i, kind: c.kind };
}
