/**
 * The one rule for instruction budgets.
 *
 * A budget is how many program instructions a machine thread may run before
 * a `budget` trap hands control back to its host. Every place that takes one
 * (the reference machine, the interpreted host, every backend of
 * `@greenthreads/switch`, the scheduler's `spawnMachine`) checks it here, so
 * that the same value is accepted or refused with the same words everywhere;
 * each package only wraps the message in its own error class.
 *
 * The rule: a whole number of instructions from 1 to 2^64 - 1, given as a
 * bigint or as an integer `number`. Zero is refused because a thread with no
 * fuel could never run an instruction (it would answer `budget` forever), and
 * the upper bound is what the control block's 64-bit fuel word can hold.
 *
 * @module
 */
import { IsaError } from "../errors.js";

/**
 * The largest budget: 2^64 - 1 instructions, the most the control block's
 * fuel word holds. A thread of a fuel-counting program spawned without a
 * budget runs on this much fuel, which no program exhausts.
 *
 * @example
 * ```ts
 * import { MAX_BUDGET } from "@greenthreads/isa";
 * console.log(MAX_BUDGET === 2n ** 64n - 1n); // true
 * ```
 */
export const MAX_BUDGET: bigint = (1n << 64n) - 1n;

function show(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) {
    return String(value);
  }
  return typeof value;
}

/**
 * What is wrong with a budget value, or `undefined` when it is valid (see the
 * module comment for the rule). For callers that raise their own error class
 * with the same words.
 *
 * @example
 * ```ts
 * import { budgetProblem } from "@greenthreads/isa";
 * console.log(budgetProblem(100n)); // undefined
 * console.log(budgetProblem(0n)); // "budget must be a whole number of instructions from 1 to 2^64 - 1 (a bigint or an integer number), got 0n"
 * ```
 */
export function budgetProblem(value: unknown): string | undefined {
  let ok = false;
  if (typeof value === "bigint") ok = value >= 1n && value <= MAX_BUDGET;
  else if (typeof value === "number") {
    ok = Number.isInteger(value) && value >= 1 && BigInt(value) <= MAX_BUDGET;
  }
  return ok
    ? undefined
    : `budget must be a whole number of instructions from 1 to 2^64 - 1 (a bigint or an integer number), got ${show(value)}`;
}

/**
 * A valid budget as a bigint. Throws an {@link IsaError} `BAD_ARGUMENT` with
 * the words of {@link budgetProblem} (prefixed by `where`) otherwise.
 *
 * @example
 * ```ts
 * import { toBudget } from "@greenthreads/isa";
 * console.log(toBudget(1000)); // 1000n
 * try {
 *   toBudget(-1n, "ReferenceMachine");
 * } catch (e) {
 *   console.log((e as Error).message); // "ReferenceMachine: budget must be a whole number …, got -1n"
 * }
 * ```
 */
export function toBudget(value: unknown, where?: string): bigint {
  const problem = budgetProblem(value);
  if (problem !== undefined) {
    throw new IsaError("BAD_ARGUMENT", where === undefined ? problem : `${where}: ${problem}`);
  }
  return BigInt(value as bigint | number);
}
