/**
 * A third kind of thread, written from the public ThreadDriver contract
 * alone (only the package's exports): a thread whose body is a state
 * machine of callbacks. Each state is a function of the value the thread
 * was resumed with; it answers what to do next. It yields, blocks on a
 * channel-like mailbox, is woken with values and with errors, is cancelled,
 * returns and throws, next to generator threads under two policies.
 */
import { describe, expect, test } from "vitest";
import {
  type Blocker,
  FIFO,
  join,
  parkOn,
  RESUME_RETURN,
  RESUME_THROW,
  RoundRobin,
  RunFailedError,
  Runtime,
  type Scheduler,
  STEP_RETURN,
  STEP_THROW,
  STEP_YIELD,
  type StepResult,
  setStepValue,
  type Thread,
  type ThreadDriver,
  takeResumeMode,
  takeResumeValue,
  wake,
} from "../src/index.js";

/** What a state answers: go on to another state now or after a yield, wait, or end. */
type Next =
  | { readonly yield: State }
  | { readonly wait: Mailbox; readonly resume: State; readonly onError?: State }
  | { readonly done: unknown }
  | { readonly fail: unknown };
type State = (input: unknown) => Next;

interface MachineOfCallbacks {
  state: State;
  onError: State | undefined;
  cleanups: string[];
  name: string;
}

/** A mailbox: a thread waits on it until something is posted. */
class Mailbox implements Blocker {
  readonly waiting: Thread[] = [];
  readonly queued: unknown[] = [];
  post(value: unknown, isError = false): void {
    const t = this.waiting.shift();
    if (t === undefined) this.queued.push(value);
    else wake(t, value, isError);
  }
  describeWait(): string {
    return "a mailbox";
  }
  cancelWait(t: Thread): void {
    this.waiting.splice(this.waiting.indexOf(t), 1);
  }
}

class CallbackDriver implements ThreadDriver {
  readonly kind = "callbacks";
  constructor(readonly runtime: Runtime) {}

  step(thread: Thread): StepResult {
    const m = thread.body as MachineOfCallbacks;
    const mode = takeResumeMode(thread);
    let input = takeResumeValue(thread);
    if (mode === RESUME_RETURN) {
      m.cleanups.push(`${m.name} cancelled`);
      return STEP_RETURN;
    }
    let state = m.state;
    if (mode === RESUME_THROW) {
      if (m.onError === undefined) {
        setStepValue(thread, input);
        return STEP_THROW;
      }
      state = m.onError;
    }
    for (;;) {
      const next = state(input);
      if ("yield" in next) {
        m.state = next.yield;
        return STEP_YIELD;
      }
      if ("wait" in next) {
        const box = next.wait;
        if (box.queued.length > 0) {
          input = box.queued.shift();
          state = next.resume;
          continue;
        }
        m.state = next.resume;
        m.onError = next.onError;
        box.waiting.push(thread);
        return parkOn(thread, box);
      }
      if ("done" in next) {
        setStepValue(thread, next.done);
        return STEP_RETURN;
      }
      setStepValue(thread, next.fail);
      return STEP_THROW;
    }
  }

  dispose(thread: Thread): void {
    (thread.body as MachineOfCallbacks).cleanups.push(
      `${(thread.body as MachineOfCallbacks).name} disposed`,
    );
  }
}

function spawnCallbacks<T>(
  rt: Runtime,
  driver: CallbackDriver,
  name: string,
  start: State,
  log: string[],
): Thread<T> {
  const body: MachineOfCallbacks = { state: start, onError: undefined, cleanups: log, name };
  return rt.spawnWith<T>(driver, body, { name });
}

const policies: [string, () => Scheduler][] = [
  ["RoundRobin", () => new RoundRobin()],
  ["FIFO", () => new FIFO()],
];

describe.each(policies)("callback threads under %s", (_policy, make) => {
  test("they yield, wait, get woken with values and errors, and end, next to generator threads", () => {
    const rt = new Runtime({ scheduler: make() });
    const driver = new CallbackDriver(rt);
    const box = new Mailbox();
    const log: string[] = [];
    const order: string[] = [];
    // Adds up three posted numbers, yielding after each; an error posted
    // instead is caught by the error state and ends the sum.
    let sum = 0;
    const add: State = (v) => {
      order.push(`adder got ${String(v)}`);
      sum += v as number;
      return sum >= 6
        ? { done: sum }
        : { yield: () => ({ wait: box, resume: add, onError: caught }) };
    };
    const caught: State = (e) => ({ done: `caught ${(e as Error).message}` });
    const adder = spawnCallbacks<number | string>(
      rt,
      driver,
      "adder",
      () => ({ wait: box, resume: add, onError: caught }),
      log,
    );
    const poster = rt.spawn(function* () {
      for (const v of [1, 2, 3]) {
        order.push(`post ${v}`);
        box.post(v);
        yield;
      }
      return yield* join(adder);
    });
    rt.run();
    expect(adder.kind).toBe("callbacks");
    expect(adder.result).toBe(6);
    expect(poster.result).toBe(6);
    expect(order).toEqual([
      "post 1",
      "adder got 1",
      "post 2",
      "adder got 2",
      "post 3",
      "adder got 3",
    ]);
    expect(log).toEqual(["adder disposed"]);
    expect(adder.body).toBe(null);

    // Woken with an error: the error state runs.
    const rt2 = new Runtime({ scheduler: make() });
    const d2 = new CallbackDriver(rt2);
    const box2 = new Mailbox();
    const t2 = spawnCallbacks<string>(
      rt2,
      d2,
      "t2",
      () => ({ wait: box2, resume: () => ({ done: "value" }), onError: caught }),
      log,
    );
    rt2.run({ maxSwitches: 1 });
    expect(t2.state).toBe("blocked");
    expect(t2.waitingFor).toBe("a mailbox");
    box2.post(new Error("boom"), true);
    rt2.run();
    expect(t2.result).toBe("caught boom");
  });

  test("a cancelled waiting thread ends cancelled; a failing one fails the run; a deadlock names it", () => {
    const rt = new Runtime({ scheduler: make() });
    const driver = new CallbackDriver(rt);
    const box = new Mailbox();
    const log: string[] = [];
    const waiter = spawnCallbacks(
      rt,
      driver,
      "waiter",
      () => ({ wait: box, resume: () => ({ done: 1 }) }),
      log,
    );
    const failing = spawnCallbacks(
      rt,
      driver,
      "failing",
      () => ({ yield: () => ({ fail: new Error("bad state") }) }),
      log,
    );
    rt.run({ maxSwitches: 2 });
    expect(waiter.cancel()).toBe(true);
    let error: unknown;
    try {
      rt.run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunFailedError);
    expect((error as RunFailedError).failures.map((f) => f.thread)).toEqual([failing]);
    expect(waiter.outcome).toEqual({ kind: "cancelled" });
    expect(failing.outcome?.kind).toBe("threw");
    expect(box.waiting).toEqual([]);
    // Which of the two ends first is the policy's choice; the waiter's cancellation comes before its disposal.
    expect([...log].sort()).toEqual(["failing disposed", "waiter cancelled", "waiter disposed"]);
    expect(log.indexOf("waiter cancelled")).toBeLessThan(log.indexOf("waiter disposed"));

    const rt2 = new Runtime({ scheduler: make() });
    const stuck = spawnCallbacks(
      rt2,
      new CallbackDriver(rt2),
      "stuck",
      () => ({ wait: new Mailbox(), resume: () => ({ done: 0 }) }),
      log,
    );
    expect(() => rt2.run()).toThrow(/thread "stuck" \(#1\)[^\n]*a mailbox/);
    expect(stuck.outcome).toEqual({ kind: "cancelled" });
  });

  test("a driver that is handed a thread the policy should not have picked refuses it", () => {
    const rt = new Runtime({ scheduler: make() });
    const driver = new CallbackDriver(rt);
    const t = spawnCallbacks(rt, driver, "t", () => ({ done: 1 }), []);
    rt.run();
    expect(() => driver.step(t)).toThrow(/picked thread "t" \(#1\), which is done, not ready/);
  });
});
