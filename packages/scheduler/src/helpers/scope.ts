/*
 * Structured concurrency: threads that cannot outlive the code that started
 * them, by effection's and Kotlin's rules.
 *
 *   const total = yield* scope(function* (s) {
 *     const a = s.spawn(fetchA);
 *     const b = s.spawn(fetchB);
 *     return (yield* join(a)) + (yield* join(b));
 *   });
 *
 * The body runs in the calling thread; `s.spawn` starts children. However the
 * body ends (it returns, throws, or its thread is cancelled), the scope then
 * cancels every child still running and waits until all of them are done, so
 * their `finally` blocks have run before scope() returns or throws. If a child
 * throws, its siblings are cancelled, the body is cancelled where it stands
 * (as a timeout cancels an operation: supervise.ts) and scope() throws that
 * error; the first error wins (a body error, or the first child's), later ones
 * are reported by the run as usual. A child's error rethrown by its scope is
 * not reported by the run again.
 */
import { SchedulerError } from "../errors.js";
import { requireThread, type ThreadBody, wake } from "../runtime.js";
import type { SpawnOptions } from "../scheduler.js";
import { BLOCKED, type Blocker, FAILURE_HANDLED, PARK, type Park, type Thread } from "../thread.js";
import { join } from "./join.js";
import { INTERRUPTED, Supervisor, supervise } from "./supervise.js";

const NONE: unique symbol = Symbol("none");
const toStringTag = Object.prototype.toString;

/**
 * The handle a {@link scope} body gets: it spawns children bound to the scope.
 *
 * @example
 * ```ts
 * import { join, Runtime, scope } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const t = rt.spawn(function* () {
 *   return yield* scope(function* (s) {
 *     const child = s.spawn(function* () {
 *       yield;
 *       return 21;
 *     });
 *     return 2 * (yield* join(child));
 *   });
 * });
 * rt.run();
 * console.log(t.result); // 42
 * ```
 */
export class Scope implements Blocker {
  /** The thread running the scope's body. */
  readonly owner: Thread;
  private readonly children = new Set<Thread>();
  /** Children whose body has begun: only these run a `finally` when cancelled. */
  private readonly started = new Set<Thread>();
  private readonly sup: Supervisor;
  private ending = false;
  /** @internal The first error of the body or of a child, or NONE. */
  _error: unknown = NONE;

  /** @internal made by scope() */
  constructor(owner: Thread, sup: Supervisor) {
    this.owner = owner;
    this.sup = sup;
  }

  /** Children not yet done. */
  get running(): number {
    return this.children.size;
  }

  /**
   * Spawn a child thread of this scope, in the owner's runtime: it is
   * cancelled when the scope ends, and its error fails the scope.
   */
  spawn<T>(body: ThreadBody<T>, options?: SpawnOptions): Thread<T> {
    if (this.ending) {
      throw new SchedulerError(
        `scope of ${this.owner.label} has ended; spawn children only while its body runs`,
        { code: "SCOPE_ENDED" },
      );
    }
    const rt = this.owner.runtime;
    // A body that is not a generator function: the runtime says so, as for spawn().
    if (toStringTag.call(body) !== "[object GeneratorFunction]") rt.spawn(body, options);
    // spawn() with a closure per child would cost a new function per child
    // (about 1.5 us each, measured); one module-level generator does not.
    const t = rt.spawnWith<T>(rt._gen, undefined, options);
    t._body = child(this, body as ThreadBody<unknown>, t as Thread);
    this.children.add(t as Thread);
    return t;
  }

  describeWait(): string {
    const ids = [...this.children].map((t) => t.label).join(", ");
    return `scope to end: its children ${ids} are finishing`;
  }

  cancelWait(): void {}

  /** @internal the body ended with `e` */
  failed(e: unknown): void {
    if (this._error === NONE) this._error = e;
  }

  /** @internal the child's body has begun */
  _childStarted(child: Thread): void {
    this.started.add(child);
  }

  /** @internal the child's body threw `e` */
  _childFailed(child: Thread, e: unknown): void {
    if (this._error !== NONE) return;
    this._error = e;
    child._flags |= FAILURE_HANDLED; // the scope rethrows it
    for (const c of this.children) if (c !== child) c.cancel();
    if (!this.ending) this.sup.interrupt();
  }

  /** @internal the child's body ended, however */
  _childEnded(child: Thread): void {
    this.children.delete(child);
    this.started.delete(child);
    const o = this.owner;
    if (this.children.size === 0 && o._state === BLOCKED && o._waitingOn === this) wake(o);
  }

  /** @internal Cancel the children still running and wait until all are done. */
  *end(): Generator<Park, void, unknown> {
    this.ending = true;
    for (const c of this.children) c.cancel();
    yield* this.awaitChildren();
  }

  private *awaitChildren(): Generator<Park, void, unknown> {
    let done = false;
    try {
      while (this.children.size > 0) {
        // A child cancelled before its first step runs no code at all, not even
        // the wrapper's finally that reports its end: join it instead.
        let unstarted: Thread | undefined;
        for (const c of this.children) {
          if (!this.started.has(c)) {
            unstarted = c;
            break;
          }
        }
        if (unstarted !== undefined) {
          this.children.delete(unstarted);
          try {
            yield* join(unstarted);
          } catch {
            // ThreadCancelledError: what it was meant to be
          }
          continue;
        }
        this.owner._waitingOn = this;
        yield PARK;
      }
      done = true;
    } finally {
      // The owner was cancelled while it waited here: its children still end first.
      if (!done) yield* this.awaitChildren();
    }
  }
}

/** The body of every child thread: its own body, reporting to its scope. */
function* child<T>(
  scope: Scope,
  body: ThreadBody<T>,
  self: Thread<T>,
): Generator<unknown, T, unknown> {
  scope._childStarted(self);
  try {
    return yield* body(self);
  } catch (e) {
    scope._childFailed(self, e);
    throw e;
  } finally {
    scope._childEnded(self);
  }
}

/**
 * `const v = yield* scope(function* (s) { ... })`: run the body with a
 * {@link Scope} whose children cannot outlive it. When the body ends in any
 * way, running children are cancelled and scope() waits for them (their
 * `finally` blocks run first). A child's error cancels its siblings and the
 * body and is thrown by scope(). See the module comment.
 *
 * @example
 * ```ts
 * import { Runtime, scope } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const log: string[] = [];
 * const t = rt.spawn(function* () {
 *   try {
 *     yield* scope(function* (s) {
 *       s.spawn(function* () {
 *         try {
 *           for (;;) yield; // would run forever
 *         } finally {
 *           log.push("sibling cleaned up");
 *         }
 *       });
 *       s.spawn(function* () {
 *         yield;
 *         throw new Error("disk full");
 *       });
 *       for (;;) yield; // the body is cancelled too
 *     });
 *   } catch (e) {
 *     log.push(`scope threw: ${(e as Error).message}`);
 *   }
 * });
 * rt.run();
 * console.log(log); // ["sibling cleaned up", "scope threw: disk full"]
 * ```
 */
export function scope<R>(
  body: (s: Scope) => Generator<unknown, R, unknown>,
): Generator<Park, R, unknown> {
  const self = requireThread("scope(body)");
  if (typeof body !== "function") {
    throw new SchedulerError(`scope(body): body must be a generator function, got ${typeof body}`, {
      code: "BAD_ARGUMENT",
      thread: self,
    });
  }
  return scoped(self, body);
}

function* scoped<R>(
  self: Thread,
  body: (s: Scope) => Generator<unknown, R, unknown>,
): Generator<Park, R, unknown> {
  const sup = new Supervisor(self);
  const s = new Scope(self, sup);
  let result: R | typeof INTERRUPTED = INTERRUPTED;
  try {
    const g = body(s);
    if (toStringTag.call(g) !== "[object Generator]") {
      throw new SchedulerError(
        "scope(body): body must be a generator function (function* (s) { ... })",
        {
          code: "BAD_ARGUMENT",
          thread: self,
        },
      );
    }
    result = yield* supervise(sup, g) as Generator<Park, R | typeof INTERRUPTED>;
  } catch (e) {
    s.failed(e);
  } finally {
    // Also when the owner thread is cancelled: the children end first.
    yield* s.end();
  }
  if (s._error !== NONE) throw s._error;
  return result as R;
}
