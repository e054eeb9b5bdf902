import { requireThread, type ThreadBody } from "../runtime.js";
import type { Park } from "../thread.js";
import { join } from "./join.js";
import { scope } from "./scope.js";

/**
 * `const [a, b] = yield* all([bodyA, bodyB])`: run each body as a child
 * thread of a {@link scope} and give their results in order, like
 * `Promise.all`. If one throws, the others are cancelled (their `finally`
 * blocks run) and all() throws that error; if the calling thread is
 * cancelled, so are they.
 *
 * @example
 * ```ts
 * import { all, Runtime } from "@greenthreads/scheduler";
 * const rt = new Runtime();
 * const square = (n: number) =>
 *   function* () {
 *     yield;
 *     return n * n;
 *   };
 * const t = rt.spawn(function* () {
 *   return yield* all([square(2), square(3), square(4)]);
 * });
 * rt.run();
 * console.log(t.result); // [4, 9, 16]
 * ```
 */
export function all<const B extends readonly ThreadBody<unknown>[]>(
  bodies: B,
): Generator<
  Park,
  { -readonly [K in keyof B]: B[K] extends ThreadBody<infer T> ? T : never },
  unknown
> {
  requireThread("all(bodies)");
  return scope(function* (s) {
    const threads = [...bodies].map((b) => s.spawn(b));
    const out: unknown[] = [];
    for (const t of threads) out.push(yield* join(t));
    return out;
  }) as Generator<
    Park,
    { -readonly [K in keyof B]: B[K] extends ThreadBody<infer T> ? T : never },
    unknown
  >;
}
