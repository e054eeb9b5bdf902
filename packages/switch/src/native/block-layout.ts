/**
 * The layout of a native thread's block, and the control-block fields the
 * addon reads and writes itself when threads take turns (`turns.c`).
 *
 * ```
 *   byte 0        ┌───────────────────────────────┐
 *                 │ thread control block (TCB)    │ isa's layout
 *   TCB.size      ├───────────────────────────────┤
 *                 │ refill: fuel a budget trap    │ written at spawn; the
 *                 │ refills (budget or MAX)       │ addon reads it in turns
 *                 ├───────────────────────────────┤
 *                 │ (padding to a cache line)     │
 *   CONTEXT_OFFSET├───────────────────────────────┤
 *                 │ saved context (ABI size)      │
 *                 └───────────────────────────────┘
 * ```
 *
 * The addon knows nothing of the isa: `configure()` hands it the field
 * positions below, computed from the isa's `TCB` and `TRAP_KIND`, so the
 * layout has one source.
 *
 * @module
 */
import { protocol } from "@greenthreads/isa";

const { TCB, TRAP_KIND } = protocol;

/** Byte offset of the refill word: right after the control block. */
export const REFILL_OFFSET = TCB.size;

/** Offset of the saved context in a thread block: past the refill word, rounded up to a cache line. */
export const CONTEXT_OFFSET = Math.ceil((REFILL_OFFSET + 8) / 64) * 64;

/**
 * The fields `configure()` takes, in the order of the addon's `gt_protocol`:
 * 64-bit words of the control block, the 32-bit halves of the trap kind and
 * the trapping instruction, the words of the fuel and of the refill, and the
 * trap kinds of a yield and of a budget trap.
 */
export function addonProtocol(): Uint32Array {
  return Uint32Array.of(
    TCB.size / 8,
    TCB.trapKind / 4,
    TCB.trapInstruction / 4,
    TCB.fuel / 8,
    REFILL_OFFSET / 8,
    TRAP_KIND.yield,
    TRAP_KIND.budget,
  );
}
