/**
 * Tables of code addresses placed in code: the data of LIR's `table`
 * operation, the same on every instruction set.
 *
 * Why a table in the code itself: a lowered `ret` must find the machine
 * address of the return site it popped, and refuse anything else, in
 * constant time and with code linear in the program. A table indexed by
 * program instruction, one 32-bit word per instruction, does both; placed
 * with the code, it lands on the same read-only, executable pages (written
 * while the pages are writable, never written again), needs no relocation
 * wherever the code is placed, and stays within reach of PC-relative
 * addressing on every instruction set.
 *
 * Each word holds the distance in bytes from the word itself back to its
 * target, which must lie before it and less than 4 GiB away, or 0 for no
 * target (a word is never its own target). A reader adds nothing: it
 * subtracts the word from the word's own address.
 *
 * ```
 *   table + 4·k:   (table + 4·k) − target_k,   or 0 when entry k has none
 * ```
 *
 * In GNU assembler text an entry is `.4byte . - target` (or `.4byte 0`),
 * which every assembler resolves itself: both ends lie in the same section.
 *
 * @module
 */
import { IsaError } from "../errors.js";

/**
 * Bytes of one table entry.
 *
 * @internal
 */
export const TABLE_ENTRY_SIZE = 4;

/**
 * The bytes of a table placed at `address`, little-endian. Throws an
 * IsaError `OPERAND_OUT_OF_RANGE` for a target at or after its entry or
 * 4 GiB or more before it.
 *
 * @internal
 */
export function encodeTable(
  arch: string,
  entries: readonly (string | null)[],
  address: bigint,
  label: (name: string) => bigint,
): Uint8Array {
  const bytes = new Uint8Array(entries.length * TABLE_ENTRY_SIZE);
  const view = new DataView(bytes.buffer);
  // Entry addresses as numbers: code lies far below 2^53, and this runs once per program instruction.
  const base = Number(address);
  for (let k = 0; k < entries.length; k++) {
    const target = entries[k];
    if (target === null || target === undefined) continue;
    const at = base + k * TABLE_ENTRY_SIZE;
    const distance = at - Number(label(target));
    if (!(distance > 0 && distance < 2 ** 32)) {
      throw new IsaError(
        "OPERAND_OUT_OF_RANGE",
        `${arch}: table entry ${k} targets "${target}" ${-distance} bytes from the entry; a table's targets must lie before it, less than 4 GiB away`,
      );
    }
    view.setUint32(k * TABLE_ENTRY_SIZE, distance, true);
  }
  return bytes;
}

/**
 * GNU assembler text of a table: one `.4byte` line per entry.
 *
 * @internal
 */
export function formatTable(entries: readonly (string | null)[]): string {
  return entries
    .map((target) =>
      target === null || target === undefined ? ".4byte 0" : `.4byte . - ${target}`,
    )
    .join("\n");
}
