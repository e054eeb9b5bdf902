/**
 * Lowering: a thread program turned into LIR for one ABI, checked bounds,
 * fuel and traps included, with the machine registers it runs in and the
 * stack it may fill.
 *
 * What it is for: the native backend of `@greenthreads/switch` lowers each
 * program with `lowerProgram` and selects the result for its instruction
 * set, the interpreted host of {@link protocol} does the same on emulated
 * memory, and the switch's harness keeps the control-block register that
 * `assignRegisters` picks. `stackCapacityWords` is how many words a program
 * may push on a stack of a given size, the same on every backend, so it is
 * also what a test gives {@link runReference} to compare a machine thread
 * with the reference. An application needs this namespace only to run
 * thread programs without the switch package, or to read the code it runs.
 *
 * @example
 * ```ts
 * import { getAbi, lowering, parseProgram, x86_64 } from "@greenthreads/isa";
 * const { lowerProgram, stackCapacityWords } = lowering;
 * const lowered = lowerProgram(parseProgram("yield 1\nexit 0"), getAbi("x86_64-sysv"), x86_64);
 * console.log(lowered.entry, stackCapacityWords(4096)); // gtp_entry 496
 * ```
 *
 * @module
 */
export {
  type LoweredProgram,
  type LowerOptions,
  lowerProgram,
  STACK_RESERVE,
} from "./lower.js";
export { assignRegisters, type RegisterAssignment } from "./register-assignment.js";
export { stackCapacityWords } from "./stack-capacity.js";
