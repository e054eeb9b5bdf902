/**
 * The driver of JavaScript threads: a thread's body is a generator object,
 * and stepping it is one call of the generator's `next`.
 *
 * This is where the book's context switch happens for JavaScript threads. A
 * generator object keeps its own suspended frame, so `yield` is the book's
 * yield_thread() and resuming the generator is the switch back in; nested
 * green calls are `yield*`, which suspends the whole chain of frames at once.
 * A bare `yield` (undefined) is a yield; `yield PARK` is a block, after a
 * helper registered the thread with a Blocker; anything else yielded is
 * a plain yield, except two common mistakes that are thrown back in.
 */
import { SchedulerError } from "./errors.js";
import { generatorNext, generatorReturn, generatorThrow } from "./generator-methods.js";
import type { Runtime } from "./runtime.js";
import { PARK, RESUME_RETURN, RESUME_THROW, type Thread } from "./thread.js";
import { STEP_YIELD, type StepResult, type ThreadDriver, takeResumeMode } from "./thread-driver.js";

/**
 * The body of a JavaScript thread: a generator function. It receives its own handle.
 *
 * @example
 * ```ts
 * import { Runtime, type ThreadBody } from "@greenthreads/scheduler";
 * const countTo = (n: number): ThreadBody<number> =>
 *   function* (self) {
 *     for (let i = 1; i < n; i++) yield;
 *     return self.id * 100 + n;
 *   };
 * const rt = new Runtime();
 * const t = rt.spawn(countTo(3));
 * rt.run();
 * console.log(t.result); // 103
 * ```
 */
export type ThreadBody<T> = (self: Thread<T>) => Generator<unknown, T, unknown>;

const toStringTag = Object.prototype.toString;

function isThenable(v: unknown): boolean {
  return (
    (typeof v === "object" || typeof v === "function") &&
    v !== null &&
    typeof (v as { then?: unknown }).then === "function"
  );
}

/**
 * Steps a thread whose body is a generator object.
 *
 * @example
 * ```ts
 * import { GeneratorDriver, Runtime } from "@greenthreads/scheduler";
 * // spawn(body) is spawnWith(a GeneratorDriver, body(thread)); each runtime has one.
 * const rt = new Runtime();
 * const t = rt.spawn(function* () {
 *   yield;
 * });
 * console.log(t.kind, new GeneratorDriver(rt).kind); // "generator" "generator"
 * ```
 */
export class GeneratorDriver implements ThreadDriver {
  readonly kind = "generator";
  readonly runtime: Runtime;

  constructor(runtime: Runtime) {
    this.runtime = runtime;
  }

  step(t: Thread): StepResult {
    const g = t._body as Generator<unknown, unknown, unknown>;
    // Literals, not the imported constants: bundlers turn module constants into
    // `var`s, which V8 reloads and checks on every switch. test/constants.test.ts
    // checks these against RESUME_MASK (15), NOT_RUNNABLE (8) and the STEP_* codes.
    const special = t._flags & 15; // RESUME_MASK
    if (special >= 8) this.runtime._badPick(t); // NOT_RUNNABLE
    let r: IteratorResult<unknown, unknown>;
    try {
      r = special === 0 ? generatorNext.call(g) : this.resumeSpecial(t, g);
    } catch (e) {
      t._value = e;
      return 3; // STEP_THROW
    }
    if (r.done === true) {
      t._value = r.value;
      return 2; // STEP_RETURN
    }
    const y = r.value;
    if (y === undefined) return 0; // STEP_YIELD
    if (y === PARK) return 1; // STEP_BLOCK
    return this.oddYield(t, y);
  }

  private resumeSpecial(
    t: Thread,
    g: Generator<unknown, unknown, unknown>,
  ): IteratorResult<unknown, unknown> {
    const v = t._value;
    t._value = undefined;
    const mode = takeResumeMode(t);
    if (mode & RESUME_RETURN) return generatorReturn.call(g, undefined);
    if (mode & RESUME_THROW) return generatorThrow.call(g, v);
    return generatorNext.call(g, v);
  }

  /** `yield <value>`: a plain yield, except for two common mistakes, thrown back in. */
  private oddYield(t: Thread, y: unknown): StepResult {
    let problem: string | undefined;
    if (isThenable(y)) {
      problem = "yielded a promise; to wait for it use `yield* wait(promise)` under runAsync()";
    } else if (toStringTag.call(y) === "[object Generator]") {
      problem =
        "yielded a generator object; call green functions and helpers with `yield*`, not `yield`";
    }
    if (problem !== undefined) {
      t._value = new SchedulerError(problem, { code: "BAD_YIELD", thread: t });
      t._flags |= RESUME_THROW;
    }
    return STEP_YIELD;
  }
}

function describeNonGenerator(body: unknown): string {
  if (typeof body !== "function") return `got ${body === null ? "null" : typeof body}`;
  const tag = toStringTag.call(body);
  if (tag === "[object AsyncGeneratorFunction]") return "got an async generator function";
  if (tag === "[object AsyncFunction]") return "got an async function";
  const src = Function.prototype.toString.call(body);
  if (/^class[\s{]/.test(src)) return "got a class";
  if (!Object.hasOwn(body, "prototype")) return "got an arrow function or method";
  return "got a plain function";
}

/** What spawn() checks of a body: a generator function, or a SchedulerError saying what it got. */
export function checkThreadBody(body: unknown, name: string | undefined): void {
  if (typeof body === "function" && toStringTag.call(body) === "[object GeneratorFunction]") return;
  const who = name === undefined ? "the thread" : `thread ${JSON.stringify(name)}`;
  throw new SchedulerError(
    `spawn(): ${who} needs a generator function as its body (function* () { ... }); ${describeNonGenerator(body)}`,
    { code: "NOT_A_GENERATOR_FUNCTION" },
  );
}
