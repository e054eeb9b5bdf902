// The face of @greenthreads/isa: what an application uses by name. What the
// other packages need to run machine threads is grouped in namespaces below.

// ABIs: calling conventions as data; the parts of a record and the thread
// context each one implies are in `abiLayout`.
export type { Abi, AbiName } from "./abi/abi.js";
export * as abiLayout from "./abi/index.js";
export { abis, getAbi, hostAbi } from "./abi/registry.js";

// Instruction sets: one namespace each, of the same shape.
export * as aarch64 from "./arch/aarch64/index.js";
export type {
  Arch,
  ArchName,
  AssembledCode,
  Cpu,
  Instruction,
  LabelItem,
  PlacedInstruction,
  Relaxation,
  StopReason,
} from "./arch/arch.js";
export { assemble } from "./arch/assemble.js";
export { getArch } from "./arch/registry.js";
export * as riscv64 from "./arch/riscv64/index.js";
export * as x86_64 from "./arch/x86_64/index.js";

export { IsaError, type IsaErrorCode } from "./errors.js";

// Thread programs: the language and its reference semantics.
export {
  ProgramBuilder,
  program,
  type RegisterName,
  type SourceOperand,
  type StackAddress,
} from "./language/builder.js";
export {
  FIBER_HOSTCALLS,
  FIBER_PROGRAM_1,
  FIBER_PROGRAM_2,
  fiberProgramSource,
} from "./language/fibers.js";
export { formatInstruction, formatProgram } from "./language/format-program.js";
export { parseProgram } from "./language/parse.js";
export type {
  Operand,
  Program,
  ProgramInstruction,
  ProgramRegister,
  SourcePosition,
} from "./language/program.js";
export { PROGRAM_LIMITS } from "./language/syntax.js";
export { diagnoseProgram, type VerifyOptions, verifyProgram } from "./language/verify.js";
// For the packages that run machine threads, and for writing a backend.
export * as lir from "./lir/index.js";
export * as lowering from "./lowering/index.js";
export * as memory from "./memory/index.js";
export * as protocol from "./protocol/index.js";
export type { FaultDetails, FaultKind, Trap } from "./protocol/trap.js";
export * as routines from "./routines/index.js";
export { budgetProblem, MAX_BUDGET, toBudget } from "./semantics/budget.js";
export {
  ReferenceMachine,
  type ReferenceOptions,
  type ReferenceState,
  type RunReferenceOptions,
  runReference,
} from "./semantics/reference.js";
export * as wasm from "./wasm/index.js";
