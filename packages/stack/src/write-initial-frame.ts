/**
 * Writing a new thread's initial frame into a stack and a context.
 *
 * The isa derives, per ABI, what a new thread's context and stack must hold
 * so that the first switch to it lands in the start trampoline and the entry
 * function's return lands in the exit routine
 * ({@link @greenthreads/isa!routines.initialFrame}). That derivation is pure data;
 * this module is the step that puts it into memory, for any ABI and any
 * {@link StackMemory}: the words on the stack, then every context slot.
 *
 * For x86-64 System V, with the context at `ctx`:
 *
 * ```
 *   stack                                           context
 *   high ─►  ┌───────────────────────┐              ctx+0   pc  = start trampoline
 *   sp ───►  │ exit routine address  │ return addr  ctx+8   sp  = high - 8
 *            ├───────────────────────┤              ctx+16  rbx = entry
 *            │ free                  │              ctx+24  rbp = argument
 *   low ──►  └───────────────────────┘              ctx+32  r12 = onExit
 *                                                   …       mxcsr, x87 cw = defaults
 * ```
 *
 * The whole context is zeroed first: a new thread has no saved float
 * registers (16-byte float slots start as zero) and must not inherit stale
 * words from a recycled context. Everything is checked before anything is
 * written, so a failure leaves both memories as they were.
 *
 * @module
 */
import { type Abi, routines } from "@greenthreads/isa";
import { StackError } from "./errors.js";
import { formatAddress } from "./format-address.js";
import type { Stack, StackMemory } from "./stack.js";

const { initialFrame } = routines;

/**
 * The addresses a new thread starts with: {@link @greenthreads/isa!routines.InitialFrameOptions}
 * without the stack bounds, which come from the {@link Stack}.
 *
 * @example
 * ```ts
 * import type { ThreadStart } from "@greenthreads/stack";
 * const start: ThreadStart = { entry: 0x1000n, argument: 7n, onExit: 0x1100n, start: 0x1200n, exit: 0x1210n };
 * ```
 */
export type ThreadStart = Omit<routines.InitialFrameOptions, "stackLow" | "stackHigh">;

/**
 * Writes the initial frame of a new thread for `abi`: the stack words into
 * `stack` and the context (`abi.context.size` bytes, zeroed first) at
 * `contextAddress` in `contextMemory`. Returns the frame, whose `sp` is the
 * thread's first stack pointer and whose `stack` entries annotate the words
 * written (pass them to {@link dumpStack}).
 *
 * Throws a {@link StackError}: `BAD_ADDRESS` when `contextAddress` is not
 * 16-byte aligned or its bytes are not mapped, `FRAME_DOES_NOT_FIT` when the
 * stack is too small. Nothing is written then.
 *
 * @example
 * ```ts
 * import { getAbi, memory } from "@greenthreads/isa";
 * import { EmulatedStackAllocator, writeInitialFrame } from "@greenthreads/stack";
 * const mem = new memory.Memory();
 * mem.map(0x10000n, 4096, "rw"); // contexts live here
 * const stacks = new EmulatedStackAllocator({ memory: mem, base: 0x100000n, limit: 0x200000n });
 * const stack = stacks.allocate(16384);
 * const frame = writeInitialFrame(stack, getAbi("x86_64-sysv"), mem, 0x10000n, {
 *   entry: 0x1000n, argument: 7n, onExit: 0x1100n, start: 0x1200n, exit: 0x1210n,
 * });
 * console.log(frame.sp === stack.high - 8n, mem.read64(frame.sp)); // true 4624n (the exit routine)
 * ```
 */
export function writeInitialFrame(
  stack: Stack,
  abi: Abi,
  contextMemory: StackMemory,
  contextAddress: bigint,
  start: ThreadStart,
): routines.InitialFrame {
  const where = `writeInitialFrame(${abi.name}, stack ${formatAddress(stack.low)}..${formatAddress(stack.high)})`;
  if (typeof contextAddress !== "bigint" || contextAddress < 0n || contextAddress % 16n !== 0n) {
    throw new StackError(
      "BAD_ADDRESS",
      `${where}: context address ${String(contextAddress)} must be a 16-byte aligned bigint ` +
        "(contexts hold 16-byte float slots that the switch may load with aligned moves)",
    );
  }
  let frame: routines.InitialFrame;
  try {
    frame = initialFrame(abi, { ...start, stackLow: stack.low, stackHigh: stack.high });
  } catch (cause) {
    throw new StackError(
      "FRAME_DOES_NOT_FIT",
      `${where}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  const size = abi.context.size;
  try {
    contextMemory.peek(contextAddress, size);
  } catch (cause) {
    throw new StackError(
      "BAD_ADDRESS",
      `${where}: the context ${formatAddress(contextAddress)}..${formatAddress(contextAddress + BigInt(size))} ` +
        `(${size} bytes for ${abi.name}) is not mapped in the context memory; map it first`,
      { cause },
    );
  }
  for (const word of frame.stack) stack.memory.poke(word.address, littleEndian(word.value, 8));
  const context = new Uint8Array(size);
  for (const { slot, value } of frame.context) {
    context.set(littleEndian(value, slot.width), slot.offset);
  }
  contextMemory.poke(contextAddress, context);
  return frame;
}

function littleEndian(value: bigint, width: number): Uint8Array {
  const bytes = new Uint8Array(width);
  let v = BigInt.asUintN(width * 8, value);
  for (let i = 0; i < width; i++) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytes;
}
