/**
 * A trace: what every thread did at every switch, with names, for people.
 *
 * A recorded schedule (schedule-recording.ts) is enough to replay a run but
 * says nothing a reader can follow: `011@4:ctfs63` is slot numbers. A trace
 * is the same run as a list of events: which thread was spawned, which ran
 * at each switch, and how its step ended (it yielded, blocked on what, was
 * woken by whom, made host calls, was preempted, exited, faulted, was
 * cancelled). timeline.ts draws it.
 *
 * Cost. Tracing is a policy wrapper, like recording: `new Runtime({ trace:
 * true })` puts a {@link TracingScheduler} between the loop and the policy,
 * and the policy hooks (onSpawn, pick, onYield, onBlock, onWake, onExit) are
 * exactly the events of a trace. Without the option nothing is wrapped, so
 * the switch path (run-loop.ts) is the same code with tracing off: not one
 * branch more. What the runtime cannot see from the policy's side goes
 * through `runtime.trace?.note(...)` in code that is off the switch path:
 * cancel(), and a machine thread's host calls, budget traps and faults.
 *
 * Steps. Events are numbered by switch: the thread picked by the n-th switch
 * of the runtime's life runs step n, and what happens while it runs (its
 * own yield, the threads it wakes or spawns) carries the same number. Events
 * from host code between runs carry the number of the last switch (0 before
 * the first).
 */
import { processWide } from "./process-wide.js";
import type { Runtime } from "./runtime.js";
import type { Scheduler, SpawnOptions } from "./scheduler.js";
import { OUTCOME_CANCELLED, OUTCOME_THREW, RESUME_RETURN, type Thread } from "./thread.js";

/**
 * What happened, in a {@link TraceEvent}:
 *
 * | kind        | the thread...                                   | detail                  |
 * | ----------- | ----------------------------------------------- | ----------------------- |
 * | `spawn`     | was spawned                                     | its kind                |
 * | `run`       | was picked: it runs this step                   |                         |
 * | `yield`     | gave up the CPU and is ready again              |                         |
 * | `block`     | parked on a Blocker                             | what it waits for       |
 * | `wake`      | is ready again                                  | who woke it             |
 * | `cancel`    | was asked to cancel                             |                         |
 * | `host-call` | (a machine thread) trapped to a host call       | the host call's name    |
 * | `budget`    | (a machine thread) used up its budget: preempted|                         |
 * | `fault`     | (a machine thread) faulted                      | the fault and where     |
 * | `exit`      | ended                                           | `returned`, `cancelled` or `threw: <message>` |
 * | `note`      | (its program) wrote a note with {@link Trace.note} | the note             |
 *
 * @example
 * ```ts
 * import { Runtime, type TraceEventKind } from "@greenthreads/scheduler";
 * const rt = new Runtime({ trace: true });
 * rt.spawn(function* () {
 *   yield;
 * });
 * rt.run();
 * const kinds: TraceEventKind[] = rt.trace!.events.map((e) => e.kind);
 * console.log(kinds.join(" ")); // "spawn run yield run exit"
 * ```
 */
export type TraceEventKind =
  | "spawn"
  | "run"
  | "yield"
  | "block"
  | "wake"
  | "cancel"
  | "host-call"
  | "budget"
  | "fault"
  | "exit"
  | "note";

/**
 * One event of a {@link Trace}.
 *
 * @example
 * ```ts
 * import { Channel, Runtime, type TraceEvent } from "@greenthreads/scheduler";
 * const rt = new Runtime({ trace: true });
 * const jobs = new Channel<number>(0, { name: "jobs" });
 * rt.spawn(function* () {
 *   yield* jobs.recv();
 * }, { name: "worker" });
 * rt.run({ maxSwitches: 1 });
 * const block: TraceEvent | undefined = rt.trace!.events.find((e) => e.kind === "block");
 * console.log(block?.step, block?.detail); // 1 "recv on channel \"jobs\" (capacity 0, 0 buffered)"
 * ```
 */
export interface TraceEvent {
  /** The switch it happened in (see the module comment); 0 before the first. */
  readonly step: number;
  readonly kind: TraceEventKind;
  /** The thread's id; its name is in {@link Trace.threads}. */
  readonly thread: number;
  /** What it waits for, who woke it, how it ended...: see {@link TraceEventKind}. */
  readonly detail?: string;
}

/**
 * A thread as a {@link Trace} names it.
 *
 * @example
 * ```ts
 * import { Runtime, type TraceThread } from "@greenthreads/scheduler";
 * const rt = new Runtime({ trace: true });
 * rt.spawn(function* () {}, { name: "main" });
 * rt.spawn(function* () {});
 * const names = rt.trace!.threads.map((t: TraceThread) => t.name);
 * console.log(names); // ["main", "#2"]
 * ```
 */
export interface TraceThread {
  readonly id: number;
  /** The name given at spawn, or `#<id>`, as {@link Thread.name} says. */
  readonly name: string;
  /** "generator", "machine", or a custom driver's kind. */
  readonly kind: string;
}

/**
 * Where a run went wrong, as {@link Trace.failure} marks it.
 *
 * @example
 * ```ts
 * import { Runtime, type TraceFailure } from "@greenthreads/scheduler";
 * const rt = new Runtime({ trace: true });
 * rt.spawn(function* () {
 *   yield;
 *   throw new Error("boom");
 * }, { name: "doomed" });
 * try { rt.run(); } catch (e) { rt.trace!.markFailure(e); }
 * const f: TraceFailure | undefined = rt.trace!.failure;
 * console.log(f?.step, f?.thread, f?.message); // 2 1 "boom"
 * ```
 */
export interface TraceFailure {
  /** The step to mark: where the failing thread threw, else the last step. */
  readonly step: number;
  /** The thread that threw, when one did. */
  readonly thread?: number;
  /** The first line of the error's message. */
  readonly message: string;
}

/**
 * The events of a traced runtime, in order. `new Runtime({ trace: true })`
 * makes one, readable as `rt.trace` during and after runs; draw it with
 * {@link timelineText} or {@link timelineSvg}.
 *
 * @example
 * ```ts
 * import { Mutex, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime({ trace: true });
 * const lock = new Mutex({ name: "lock" });
 * for (const name of ["a", "b"]) {
 *   rt.spawn(function* () {
 *     yield* lock.lock();
 *     yield;
 *     lock.unlock();
 *   }, { name });
 * }
 * rt.run();
 * const trace = rt.trace!;
 * const blocked = trace.events.find((e) => e.kind === "block")!;
 * console.log(trace.nameOf(blocked.thread), trace.steps); // "b" 5
 * ```
 */
export class Trace {
  /** Every thread spawned while tracing, in spawn order. */
  readonly threads: TraceThread[] = [];
  /** Every event, in order. */
  readonly events: TraceEvent[] = [];
  /** Set by {@link Trace.markFailure}; `explore()` sets it on a failing run's trace. */
  failure: TraceFailure | undefined = undefined;
  /** @internal switches seen so far */
  _step = 0;
  private readonly names = new Map<number, string>();

  /** Switches traced so far: the last step. */
  get steps(): number {
    return this._step;
  }

  /** The name of thread `id` (`#<id>` for a thread the trace did not see spawned). */
  nameOf(id: number): string {
    return this.names.get(id) ?? `#${id}`;
  }

  /**
   * Add an event the policy hooks cannot see. Drivers call it for what
   * happens inside a step, as `runtime.trace?.note(...)`, so that nothing is
   * computed when tracing is off; a thread's body may add `note` events of
   * its own (`self.runtime.trace?.note(self, "note", "read 0")`), which the
   * timelines print in the thread's step.
   *
   * @example
   * ```ts
   * import { Runtime, STEP_RETURN, type Thread, type ThreadDriver } from "@greenthreads/scheduler";
   * const rt = new Runtime({ trace: true });
   * const pinger: ThreadDriver = {
   *   runtime: rt,
   *   kind: "pinger",
   *   step(thread: Thread) {
   *     rt.trace?.note(thread, "host-call", "ping");
   *     return STEP_RETURN;
   *   },
   * };
   * rt.spawnWith(pinger, null);
   * rt.run();
   * console.log(rt.trace!.events.map((e) => e.detail ?? e.kind).join(" ")); // "pinger run ping returned"
   * ```
   */
  note(thread: Thread, kind: TraceEventKind, detail?: string): void {
    this.events.push(
      detail === undefined
        ? { step: this._step, kind, thread: thread.id }
        : { step: this._step, kind, thread: thread.id, detail },
    );
  }

  /**
   * Mark where the run failed with `error`: the step where a thread threw
   * (the first one, or the one the error names), else the last step (a
   * deadlock, or a check after the run).
   *
   * @example
   * ```ts
   * import { Runtime } from "@greenthreads/scheduler";
   * const rt = new Runtime({ trace: true });
   * const counter = { value: 0 };
   * rt.spawn(function* () {
   *   counter.value++;
   * });
   * rt.run();
   * rt.trace!.markFailure(new Error("expected 2"));
   * console.log(rt.trace!.failure); // { step: 1, message: "expected 2" }
   * ```
   */
  markFailure(error: unknown): void {
    // A run whose threads threw fails with a RunFailedError listing them: the
    // first one's own error says more than "1 thread failed".
    const first = (error as { failures?: readonly { thread: { id: number }; error: unknown }[] })
      ?.failures?.[0];
    const cause = first === undefined ? error : first.error;
    const message = firstLine(cause);
    const named = first?.thread.id ?? (error as { thread?: { id?: unknown } } | null)?.thread?.id;
    const threw = this.events.find(
      (e) =>
        e.kind === "exit" &&
        e.detail?.startsWith("threw") === true &&
        (typeof named !== "number" || e.thread === named),
    );
    this.failure =
      threw === undefined
        ? { step: this._step, message }
        : { step: threw.step, thread: threw.thread, message };
  }

  /** @internal */
  _spawned(t: Thread): void {
    const name = t.name;
    this.names.set(t.id, name);
    this.threads.push({ id: t.id, name, kind: t.kind });
    this.note(t, "spawn", t.kind);
  }
}

/**
 * An error's message in one line, without the `thread "name" (#id): ` that
 * SchedulerError puts first: the trace names threads itself.
 */
function firstLine(error: unknown): string {
  const m = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  const thread = (error as { thread?: { label?: unknown } } | null)?.thread;
  const prefix = typeof thread?.label === "string" ? `${thread.label}: ` : "";
  return prefix !== "" && m.startsWith(prefix) ? m.slice(prefix.length) : m;
}

/**
 * Wraps a policy and writes a {@link Trace}; `new Runtime({ trace: true })`
 * installs one. It changes nothing about which thread runs: every call goes
 * to the inner policy.
 *
 * @example
 * ```ts
 * import { Random, Runtime, TracingScheduler } from "@greenthreads/scheduler";
 * const tracing = new TracingScheduler(new Random({ seed: 1 }));
 * const rt = new Runtime({ scheduler: tracing });
 * for (let i = 0; i < 2; i++) rt.spawn(function* () { yield; });
 * rt.run();
 * console.log(tracing.trace.steps, tracing.name); // 4 "random"
 * ```
 */
export class TracingScheduler implements Scheduler {
  readonly name: string;
  readonly inner: Scheduler;
  readonly trace = new Trace();
  /** Present exactly when the inner policy has one, so the runtime's rotation applies otherwise. */
  readonly choose?: (n: number) => number;

  constructor(inner: Scheduler) {
    this.inner = inner;
    this.name = inner.name;
    if (inner.choose !== undefined) this.choose = (n) => inner.choose!(n);
  }

  attach(runtime: Runtime): void {
    this.inner.attach?.(runtime);
  }

  onSpawn(t: Thread, options: SpawnOptions | undefined): void {
    this.inner.onSpawn(t, options); // first: the policy may refuse the options
    this.trace._spawned(t);
  }

  pick(): Thread | undefined {
    const t = this.inner.pick();
    if (t !== undefined) {
      this.trace._step++;
      this.trace.note(t, "run");
    }
    return t;
  }

  onYield(t: Thread): void {
    this.trace.note(t, "yield");
    this.inner.onYield(t);
  }

  onBlock(t: Thread): void {
    this.trace.note(t, "block", t._waitingOn?.describeWait(t));
    this.inner.onBlock(t);
  }

  onWake(t: Thread): void {
    const by = processWide.current as Thread | null;
    let detail: string;
    if ((t._flags & RESUME_RETURN) !== 0) detail = "to be cancelled";
    else if (by !== null && by !== t && by._driver.runtime === t._driver.runtime)
      detail = `by ${by.name}`;
    else detail = "by the host";
    this.trace.note(t, "wake", detail);
    this.inner.onWake(t);
  }

  onExit(t: Thread): void {
    const f = t._flags;
    let how = "returned";
    if ((f & OUTCOME_THREW) !== 0) {
      how = `threw: ${firstLine(t._value)}`;
    } else if ((f & OUTCOME_CANCELLED) !== 0) {
      how = "cancelled";
    }
    this.trace.note(t, "exit", how);
    this.inner.onExit(t);
  }

  onRunEnd(): void {
    this.inner.onRunEnd?.();
  }
}
