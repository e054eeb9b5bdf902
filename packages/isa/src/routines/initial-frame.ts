/**
 * The initial frame of a new thread, derived from an ABI.
 *
 * A new thread has never run, yet the switch routine resumes it exactly like
 * a suspended one: it loads the callee-saved registers and the stack pointer
 * from the context and jumps to the saved pc. So a new thread gets a context
 * that makes the switch land in the start trampoline, and a stack that makes
 * the entry function's eventual return land in the exit routine.
 *
 * The trampoline takes its inputs from the first three callee-saved integer
 * registers of the ABI other than the frame pointer (`cs0`, `cs1`, `cs2`),
 * because those are the registers the switch restores from the context. The
 * frame pointer is left out so that it never holds a trampoline input a
 * backtrace would follow, and so that the lowered switch, which saves only
 * the callee-saved registers lowered code writes, need not save it on
 * x86-64 (lowered code never uses the frame pointer):
 *
 * ```
 *   context.pc  = start trampoline      context.cs0 = entry function
 *   context.sp  = see below             context.cs1 = argument
 *   control     = the ABI's defaults    context.cs2 = onExit(argument, result)
 * ```
 *
 * The stack, for an ABI whose `call` pushes the return address (x86-64):
 *
 * ```
 *   stackHigh  ─►  ┌──────────────────────────┐  16-byte aligned
 *                  │ shadow space (Win64: 32) │  the callee's home area
 *                  ├──────────────────────────┤
 *   sp ─────────►  │ address of exit routine  │  entry's return address
 *                  └──────────────────────────┘  sp ≡ 8 (mod 16), as after a call
 * ```
 *
 * and for an ABI with a link register (AArch64, RISC-V), where the start
 * trampoline loads the exit routine into the link register itself:
 *
 * ```
 *   stackHigh  ─►  ┌──────────────────────────┐  16-byte aligned
 *   sp ─────────►  │ (the entry's own frames) │  sp ≡ 0 (mod 16)
 * ```
 *
 * So the first instruction of the entry function sees the stack exactly as a
 * normal call would leave it, which {@link entryStackOffset} states per ABI.
 *
 * @module
 */
import type { Abi, ContextSlot } from "../abi/abi.js";
import { IsaError } from "../errors.js";
import type { ControlRegister } from "../lir/lir.js";

/**
 * Values of the floating-point control state a new thread starts with: the
 * power-on defaults (all exceptions masked, round to nearest).
 *
 * @example
 * ```ts
 * import { routines } from "@greenthreads/isa";
 * console.log(routines.DEFAULT_FLOAT_CONTROL.mxcsr.toString(16)); // "1f80"
 * ```
 */
export const DEFAULT_FLOAT_CONTROL: Readonly<Record<ControlRegister, bigint>> = {
  mxcsr: 0x1f80n,
  x87cw: 0x037fn,
  fpcr: 0n,
  fcsr: 0n,
};

/**
 * What {@link initialFrame} needs: where the stack is and where the routines
 * and the entry function live.
 *
 * @example
 * ```ts
 * import type { routines } from "@greenthreads/isa";
 * const o: routines.InitialFrameOptions = {
 *   stackLow: 0x10000n, stackHigh: 0x20000n, entry: 0x1000n, argument: 7n,
 *   onExit: 0x1100n, start: 0x1200n, exit: 0x1210n,
 * };
 * ```
 */
export interface InitialFrameOptions {
  /** Lowest usable address of the stack (above any guard region). */
  readonly stackLow: bigint;
  /** One past the highest usable address; aligned down to the ABI's alignment if needed. */
  readonly stackHigh: bigint;
  /** Address of the entry function. */
  readonly entry: bigint;
  /** The entry function's first argument. */
  readonly argument: bigint;
  /** Address of `onExit(argument, result)`, called when the entry returns; it must never return. */
  readonly onExit: bigint;
  /** Address of the ABI's start trampoline. */
  readonly start: bigint;
  /** Address of the ABI's exit routine. */
  readonly exit: bigint;
}

/**
 * A new thread's context and the words to write on its stack.
 *
 * @example
 * ```ts
 * import type { routines } from "@greenthreads/isa";
 * function words(f: routines.InitialFrame): number {
 *   return f.stack.length;
 * }
 * ```
 */
export interface InitialFrame {
  /** The stack pointer the thread starts with. */
  readonly sp: bigint;
  /** The value of each context slot that is not zero, with its slot. */
  readonly context: readonly { readonly slot: ContextSlot; readonly value: bigint }[];
  /** Words to write on the stack, each with what it is. */
  readonly stack: readonly {
    readonly address: bigint;
    readonly value: bigint;
    readonly what: string;
  }[];
}

/**
 * The stack pointer's remainder modulo the ABI's alignment at a function's
 * first instruction: 8 where `call` pushes an 8-byte return address onto an
 * aligned stack, 0 where the return address goes to a register.
 *
 * @example
 * ```ts
 * import { getAbi, routines } from "@greenthreads/isa";
 * console.log(routines.entryStackOffset(getAbi("x86_64-win64"))); // 8
 * ```
 */
export function entryStackOffset(abi: Abi): number {
  return abi.returnAddress.kind === "stack" ? 8 : 0;
}

/**
 * The registers that carry the start trampoline's inputs: entry, argument
 * and the exit handler (the first three callee-saved registers that are not
 * the frame pointer).
 *
 * @example
 * ```ts
 * import { getAbi, routines } from "@greenthreads/isa";
 * console.log(routines.trampolineRegisters(getAbi("aarch64-aapcs64"))); // { entry: "x19", argument: "x20", onExit: "x21" }
 * ```
 */
export function trampolineRegisters(abi: Abi): { entry: string; argument: string; onExit: string } {
  const [entry, argument, onExit] = abi.calleeSavedInteger.filter((r) => r !== abi.framePointer);
  if (!entry || !argument || !onExit) {
    throw new IsaError(
      "BAD_ARGUMENT",
      `ABI ${abi.name} has fewer than three callee-saved registers`,
    );
  }
  return { entry, argument, onExit };
}

/**
 * Derives the initial context and stack words of a new thread (see the
 * module comment for the layout).
 *
 * Throws an IsaError `BAD_ARGUMENT` when the stack is too small for the
 * frame or its bounds are inverted.
 *
 * @example
 * ```ts
 * import { getAbi, routines } from "@greenthreads/isa";
 * const frame = routines.initialFrame(getAbi("x86_64-sysv"), {
 *   stackLow: 0x10000n, stackHigh: 0x20000n, entry: 0x1000n, argument: 7n,
 *   onExit: 0x1100n, start: 0x1200n, exit: 0x1210n,
 * });
 * console.log(frame.sp.toString(16)); // "1fff8"
 * ```
 */
export function initialFrame(abi: Abi, options: InitialFrameOptions): InitialFrame {
  const { stackLow, entry, argument, onExit, start, exit } = options;
  const alignment = BigInt(abi.stackAlignment);
  const high = options.stackHigh - (options.stackHigh % alignment);
  const stack: { address: bigint; value: bigint; what: string }[] = [];
  let sp = high - BigInt(abi.shadowSpace);
  if (abi.returnAddress.kind === "stack") {
    sp -= 8n;
    stack.push({ address: sp, value: exit, what: "return address of the entry: exit routine" });
  }
  if (stackLow >= options.stackHigh || sp < stackLow) {
    throw new IsaError(
      "BAD_ARGUMENT",
      `initialFrame(${abi.name}): stack 0x${stackLow.toString(16)}..0x${options.stackHigh.toString(16)} ` +
        "is empty or too small for the initial frame; give a larger stack",
    );
  }
  const regs = trampolineRegisters(abi);
  const context: { slot: ContextSlot; value: bigint }[] = [
    { slot: abi.context.slot("pc"), value: start },
    { slot: abi.context.slot("sp"), value: sp },
    { slot: abi.context.slot(regs.entry), value: entry },
    { slot: abi.context.slot(regs.argument), value: argument },
    { slot: abi.context.slot(regs.onExit), value: onExit },
  ];
  for (const control of abi.floatControl) {
    const value = DEFAULT_FLOAT_CONTROL[control];
    if (value !== 0n) context.push({ slot: abi.context.slot(control), value });
  }
  const threadInformation: Record<string, bigint> = {
    StackBase: high,
    StackLimit: stackLow,
    DeallocationStack: stackLow,
  };
  for (const info of abi.threadInformation) {
    const value = threadInformation[info.name];
    if (value !== undefined) context.push({ slot: abi.context.slot(info.name), value });
  }
  return { sp, context, stack };
}
