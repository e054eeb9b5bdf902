import { SchedulerError } from "../errors.js";
import { requireThread, type ThreadBody } from "../runtime.js";
import type { Park, Thread } from "../thread.js";
import { Channel } from "./channel.js";
import { scope } from "./scope.js";

/**
 * `const v = yield* race([bodyA, bodyB])`: run each body as a child thread of
 * a {@link scope}; the first to finish decides, like `Promise.race`: its
 * value is returned, or its error thrown, and the others are cancelled (their
 * `finally` blocks have run when race() returns).
 *
 * @example
 * ```ts
 * import { Runtime, race } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const log: string[] = [];
 * const after = (turns: number, name: string) =>
 *   function* () {
 *     try {
 *       for (let i = 0; i < turns; i++) yield;
 *       return name;
 *     } finally {
 *       log.push(`${name} ended`);
 *     }
 *   };
 * const t = rt.spawn(function* () {
 *   return yield* race([after(5, "slow"), after(1, "fast")]);
 * });
 * rt.run();
 * console.log(t.result, log); // "fast" ["fast ended", "slow ended"]
 * ```
 */
export function race<T>(bodies: readonly ThreadBody<T>[]): Generator<Park, T, unknown> {
  const self = requireThread("race(bodies)");
  if (!Array.isArray(bodies) || bodies.length === 0) {
    throw new SchedulerError(
      "race(bodies) needs at least one body; with none it would wait forever",
      {
        code: "BAD_ARGUMENT",
        thread: self,
      },
    );
  }
  return scope(function* (s) {
    const finished = new Channel<T>(bodies.length, { name: "race" });
    for (const body of bodies) {
      s.spawn(function* (child) {
        finished.trySend(yield* body(child as Thread<T>));
      });
    }
    return yield* finished.recv();
  });
}
