/**
 * Traps: the one way a machine thread talks to the main stack.
 *
 * A thread program never calls JavaScript. When it yields, calls the host,
 * runs out of its instruction budget, exits or faults, its lowered code stores
 * a trap record and switches back to the main stack, and the backend's
 * `resume()` returns one of these values. The shape is the same on every
 * backend and every ABI, and so are the values in it: they are defined by the
 * thread program's semantics, never by machine addresses.
 *
 * @module
 */

/**
 * Why a thread program faulted.
 *
 * - `stack-overflow`: a `push` or `call` would move the stack pointer below
 *   the stack's limit.
 * - `out-of-bounds`: a `pop` or `ret` with nothing on the stack, a stack
 *   `load`/`store` whose index is outside the words in use, or a `ret` to a
 *   value that is not a return address of the program.
 *
 * @example
 * ```ts
 * import type { FaultKind } from "@greenthreads/isa";
 * const f: FaultKind = "stack-overflow";
 * ```
 */
export type FaultKind = "stack-overflow" | "out-of-bounds";

/**
 * Where and why a fault happened, in program terms.
 *
 * @example
 * ```ts
 * import type { FaultDetails } from "@greenthreads/isa";
 * const d: FaultDetails = { instruction: 3, line: 4, index: -1n };
 * ```
 */
export interface FaultDetails {
  /** Index of the faulting instruction in the program. */
  readonly instruction: number;
  /** Source line of the faulting instruction (1-based). */
  readonly line: number;
  /** For an out-of-bounds access or return: the offending word index or return value. */
  readonly index?: bigint;
}

/**
 * What a machine thread reports when it stops running.
 *
 * @example
 * ```ts
 * import type { Trap } from "@greenthreads/isa";
 * function show(t: Trap): string {
 *   switch (t.kind) {
 *     case "yield": return `yield ${t.value}`;
 *     case "hostcall": return `${t.name}(${t.args.join(", ")})`;
 *     case "budget": return "budget";
 *     case "exit": return `exit ${t.code}`;
 *     case "fault": return `${t.fault} at instruction ${t.details.instruction}`;
 *   }
 * }
 * ```
 */
export type Trap =
  | { readonly kind: "yield"; readonly value: bigint }
  | { readonly kind: "hostcall"; readonly name: string; readonly args: readonly bigint[] }
  | { readonly kind: "budget" }
  | { readonly kind: "exit"; readonly code: bigint }
  | { readonly kind: "fault"; readonly fault: FaultKind; readonly details: FaultDetails };
