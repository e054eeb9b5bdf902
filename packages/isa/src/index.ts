export { aarch64Aapcs64 } from "./abi/aarch64-aapcs64.js";
export { aarch64Apple } from "./abi/aarch64-apple.js";
export * from "./abi/abi.js";
export * from "./abi/context-layout.js";
export * from "./abi/registry.js";
export { riscv64Lp64d } from "./abi/riscv64-lp64d.js";
export { x86_64Sysv } from "./abi/x86_64-sysv.js";
export { x86_64Win64 } from "./abi/x86_64-win64.js";
export * as aarch64 from "./arch/aarch64/index.js";
export * from "./arch/arch.js";
export * from "./arch/assemble.js";
export * from "./arch/format-listing.js";
export * from "./arch/registry.js";
export * as riscv64 from "./arch/riscv64/index.js";
export * as x86_64 from "./arch/x86_64/index.js";
export * from "./errors.js";
export * from "./machine/lir.js";
export * from "./machine/memory.js";
export * from "./program/budget.js";
export {
  ProgramBuilder,
  program,
  type RegisterName,
  type SourceOperand,
  type StackAddress,
} from "./program/builder.js";
export {
  FIBER_HOSTCALLS,
  FIBER_PROGRAM_1,
  FIBER_PROGRAM_2,
  fiberProgramSource,
} from "./program/fibers.js";
export { formatInstruction, formatProgram } from "./program/format-program.js";
export * from "./program/interpreted-host.js";
export * from "./program/lower.js";
export { parseProgram } from "./program/parse.js";
export * from "./program/program.js";
export {
  ReferenceMachine,
  type ReferenceOptions,
  type ReferenceState,
  type RunReferenceOptions,
  runReference,
} from "./program/reference.js";
export * from "./program/register-assignment.js";
export * from "./program/stack-capacity.js";
export { isProgramIdentifier, PROGRAM_LIMITS } from "./program/syntax.js";
export * from "./program/thread-control-block.js";
export * from "./program/thread-protocol.js";
export * from "./program/trap.js";
export { diagnoseProgram, type VerifyOptions, verifyProgram } from "./program/verify.js";
export * from "./routines/initial-frame.js";
export * from "./routines/scratch-registers.js";
export * from "./routines/switch-routine.js";
export * from "./routines/symbols.js";
export * from "./routines/trampolines.js";
