// ABIs: calling conventions as data, and the thread context each one implies.
export type {
  Abi,
  AbiName,
  ContextLayout,
  ContextSlot,
  ContextSlotKind,
  ReservedRegister,
  SavedFloat,
  ThreadInformationSlot,
} from "./abi/abi.js";
export { deriveContextLayout, type LayoutInputs } from "./abi/context-layout.js";
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
  StopReason,
} from "./arch/arch.js";
export { assemble } from "./arch/assemble.js";
export { getArch } from "./arch/registry.js";
export * as riscv64 from "./arch/riscv64/index.js";
export * as x86_64 from "./arch/x86_64/index.js";

export { IsaError, type IsaErrorCode } from "./errors.js";
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
// The portable IR the routines are written in, and emulated memory.
export {
  type AluKind,
  CONTROL_STORE_WIDTH,
  type Cond,
  type ControlRegister,
  type LirOp,
  type LoadWidth,
  type Reg,
} from "./lir/lir.js";
export {
  type LoweredProgram,
  type LowerOptions,
  lowerProgram,
  STACK_RESERVE,
} from "./lowering/lower.js";
export { assignRegisters, type RegisterAssignment } from "./lowering/register-assignment.js";
export { stackCapacityWords } from "./lowering/stack-capacity.js";
export { type Access, Memory, MemoryFault, PAGE_SIZE, type Permission } from "./memory/memory.js";
export {
  INTERPRETED_LAYOUT,
  InterpretedHost,
  type InterpretedProgram,
  type InterpretedThread,
} from "./protocol/interpreted-host.js";
export { resumeValueOffset, TCB, TRAP_KIND } from "./protocol/thread-control-block.js";
export {
  type ControlBlockSetup,
  resumeSlots,
  ThreadControl,
  threadStackLimit,
} from "./protocol/thread-protocol.js";
export type { FaultDetails, FaultKind, Trap } from "./protocol/trap.js";
// Routines generated from ABI data.
export {
  DEFAULT_FLOAT_CONTROL,
  entryStackOffset,
  type InitialFrame,
  type InitialFrameOptions,
  initialFrame,
  trampolineRegisters,
} from "./routines/initial-frame.js";
export {
  keptAcrossTrap,
  loweredFootprint,
  loweredSwitchRoutine,
  loweredSwitchState,
  switchToHostRoutine,
} from "./routines/lowered-switch.js";
export { scratchRegisters } from "./routines/scratch-registers.js";
export {
  fullSwitchState,
  type SwitchState,
  switchBetween,
  switchRoutine,
} from "./routines/switch-routine.js";
export { type RoutineName, routineSymbol } from "./routines/symbols.js";
export { threadRoutines, trampolines } from "./routines/trampolines.js";
// Thread programs: language, semantics, lowering, and the protocol backends share.
export { budgetProblem, MAX_BUDGET, toBudget } from "./semantics/budget.js";
export {
  ReferenceMachine,
  type ReferenceOptions,
  type ReferenceState,
  type RunReferenceOptions,
  runReference,
} from "./semantics/reference.js";

// WebAssembly: thread programs lowered to a module the wasm backend instantiates.
export { formatWat } from "./wasm/format-wat.js";
export {
  lowerProgramToWasm,
  WASM_MAX_BR_TABLE,
  type WasmLowerOptions,
} from "./wasm/lower-to-wasm.js";
export type {
  WasmFunction,
  WasmInstruction,
  WasmModule,
  WasmPlainOp,
  WasmValueType,
} from "./wasm/wasm-encoding.js";
export { encodeWasmModule, WASM_OPCODES } from "./wasm/wasm-encoding.js";
export { WASM_INTERFACE, WASM_THREAD_BLOCK } from "./wasm/wasm-thread-layout.js";
export {
  type WasmInstanceObject,
  type WasmJsApi,
  type WasmMemoryObject,
  webAssembly,
} from "./wasm/webassembly-api.js";
