/**
 * The concrete object behind every {@link Stack} this package's allocators
 * return (internal: callers see only the {@link Stack} interface).
 *
 * An allocator must tell a stack it already took back from one it never
 * handed out, and do it on every release without slowing allocation down.
 * Remembering every handle ever issued in a `WeakSet` costs microseconds per
 * allocation once there are many (the garbage collector must track each
 * entry), so instead each handle carries its issuer in a private field: a
 * brand check that cannot be forged by copying the public fields, and that
 * costs nothing to keep.
 *
 * @module
 */
import { formatAddress } from "./format-address.js";
import type { Stack, StackMemory } from "./stack.js";

/**
 * A frozen {@link Stack} that remembers which allocator issued it.
 *
 * @example
 * ```ts
 * // Inside an allocator of this package:
 * const stack = new StackHandle(this, low, size, this.guardSize, this.memory);
 * StackHandle.issuedBy(stack, this); // true, also after release
 * ```
 */
export class StackHandle implements Stack {
  readonly low: bigint;
  readonly high: bigint;
  readonly size: number;
  readonly guardSize: number;
  readonly memory: StackMemory;
  readonly #issuer: object;

  constructor(issuer: object, low: bigint, size: number, guardSize: number, memory: StackMemory) {
    this.low = low;
    this.high = low + BigInt(size);
    this.size = size;
    this.guardSize = guardSize;
    this.memory = memory;
    this.#issuer = issuer;
    Object.freeze(this);
  }

  /** Whether `stack` is a handle that `issuer` created (live or released). */
  static issuedBy(stack: Stack, issuer: object): boolean {
    return (
      typeof stack === "object" && stack !== null && #issuer in stack && stack.#issuer === issuer
    );
  }
}

/**
 * How a release message names the stack it was given: its range, or what
 * the value was when it is not a stack at all.
 *
 * @example
 * ```ts
 * describeStack(null); // "a null value, not a Stack"
 * ```
 */
export function describeStack(stack: unknown): string {
  if (typeof stack !== "object" || stack === null) {
    return `a ${stack === null ? "null" : typeof stack} value, not a Stack`;
  }
  const { low, high } = stack as Partial<Stack>;
  if (typeof low !== "bigint" || typeof high !== "bigint")
    return "an object without bigint low/high";
  return `stack at ${formatAddress(low)}..${formatAddress(high)}`;
}
