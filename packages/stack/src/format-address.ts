/**
 * How this package prints an address: `0x` and 16 hex digits. Errors, dumps
 * and diagrams all use it, so columns line up and an address copied from a
 * message can be searched for in a dump.
 *
 * @module
 */

/**
 * Formats an address the way every message and dump of this package does:
 * `0x` and 16 hex digits, so columns line up and addresses are easy to grep.
 *
 * @example
 * ```ts
 * import { formatAddress } from "@greenthreads/stack";
 * console.log(formatAddress(0x20ff8n)); // "0x0000000000020ff8"
 * ```
 */
export function formatAddress(address: bigint): string {
  return `0x${BigInt.asUintN(64, address).toString(16).padStart(16, "0")}`;
}
