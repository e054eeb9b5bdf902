/**
 * The machine code a thread needs, generated from ABI data: the context
 * switch, its lowered variant for thread programs, the switch back to the
 * host, the start and exit trampolines, a new thread's initial frame, and
 * the symbols the routines are linked under.
 *
 * What it is for: the native addon of `@greenthreads/switch` assembles these
 * routines (as GNU assembler text, per ABI) and the emulated backends run
 * them in an interpreter; `@greenthreads/stack` writes initial frames with
 * `initialFrame`. Each generator returns portable IR ({@link lir.LirOp}) that
 * an instruction set's `select` turns into its instructions. An application
 * needs this namespace to read or print the routines, or to drive a switch of
 * its own.
 *
 * @example
 * ```ts
 * import { getAbi, routines, x86_64 } from "@greenthreads/isa";
 * const ops = routines.switchRoutine(getAbi("x86_64-sysv"), x86_64);
 * console.log(x86_64.format(x86_64.select(ops)).includes("rsp")); // true
 * console.log(routines.routineSymbol("switch", "x86_64-sysv")); // "gt_switch_x86_64_sysv"
 * ```
 *
 * @module
 */
export {
  DEFAULT_FLOAT_CONTROL,
  entryStackOffset,
  type InitialFrame,
  type InitialFrameOptions,
  initialFrame,
  trampolineRegisters,
} from "./initial-frame.js";
export {
  keptAcrossTrap,
  loweredFootprint,
  loweredSwitchRoutine,
  loweredSwitchState,
  switchToHostRoutine,
} from "./lowered-switch.js";
export { scratchRegisters } from "./scratch-registers.js";
export {
  fullSwitchState,
  type SwitchState,
  switchBetween,
  switchRoutine,
} from "./switch-routine.js";
export { type RoutineName, routineSymbol } from "./symbols.js";
export { threadRoutines, trampolines } from "./trampolines.js";
