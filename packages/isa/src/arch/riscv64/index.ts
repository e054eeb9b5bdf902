/**
 * The RV64G instruction set: integer registers zero-t6 by ABI name, 64-bit float registers ft0-ft11/fs0-fs11/fa0-fa7, stack pointer sp, scratch registers t6 and t5 for instruction selection, GNU assembler text without compressed instructions.
 *
 * Every instruction set is a module of the same shape (compare
 * `src/arch/<arch>/index.ts`): `name`, register lists, `select` (LIR to
 * instructions), `sizeOf`, `encode`, `format`, `asmPrologue`, the `Cpu`
 * interpreter class and `createCpu`; here also `relaxation`, because some
 * branches reach only ±1 MiB and take longer forms in larger code. The
 * package exports the module as the
 * namespace `riscv64`, which is itself an {@link Arch}.
 *
 * @example
 * ```ts
 * import { assemble, riscv64 } from "@greenthreads/isa";
 * const items = riscv64.select([{ op: "li", dst: "a0", imm: 0x12345678n }]);
 * console.log(riscv64.format(items)); // "  lui a0, 74565\n  addiw a0, a0, 1656\n"
 * console.log(assemble(riscv64, items, 0x1000n).bytes.length); // 8
 * ```
 *
 * @module
 */

import type { Reg } from "../../lir/lir.js";
import type { Memory } from "../../memory/memory.js";
import type { Cpu as CpuContract } from "../arch.js";
import { sharingFrozen } from "../shared-selection.js";
import { RvCpu } from "./interpret.js";
import { RV_FLOAT_REGISTERS, RV_INTEGER_REGISTERS } from "./registers.js";
import { rvSelect } from "./select.js";

export {
  rvEncode as encode,
  rvRelaxation as relaxation,
  rvSizeOf as sizeOf,
} from "./encode.js";
export { RV_ASM_PROLOGUE as asmPrologue, rvFormat as format } from "./format.js";
export type {
  RvBranchOp as BranchOp,
  RvCsrOp as CsrOp,
  RvImmOp as ImmOp,
  RvInstruction as Instruction,
  RvItem as Item,
  RvLoadOp as LoadOp,
  RvRegOp as RegOp,
  RvShiftImmOp as ShiftImmOp,
  RvStoreOp as StoreOp,
  RvTarget as Target,
} from "./instructions.js";
export { RvCpu as Cpu } from "./interpret.js";

/**
 * The instruction set's name.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.name); // "riscv64"
 * ```
 */
export const name = "riscv64" as const;

/**
 * Integer registers, in encoding order.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.integerRegisters.length > 0); // true
 * ```
 */
export const integerRegisters: readonly Reg[] = RV_INTEGER_REGISTERS;

/**
 * Float/vector registers, in encoding order.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.floatRegisters.length > 0); // true
 * ```
 */
export const floatRegisters: readonly Reg[] = RV_FLOAT_REGISTERS;

/**
 * The stack pointer's name.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.stackPointer); // "sp"
 * ```
 */
export const stackPointer: Reg = "sp";

/**
 * Registers that `select` may clobber to build operations the instruction
 * set lacks; no generator keeps a value in them across an LIR operation.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.reserved.length); // 2
 * ```
 */
export const reserved: readonly Reg[] = ["t6", "t5"];

/**
 * Instruction selection: LIR in, instructions and labels out.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.select([{ op: "label", name: "f" }])[0]); // { op: "label", name: "f" }
 * ```
 */
export const select = sharingFrozen(rvSelect);

/**
 * A new interpreter over `memory`, every register zero: `new Cpu(memory)`
 * typed as the {@link Cpu} contract.
 *
 * @example
 * ```ts
 * import { memory, riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.createCpu(new memory.Memory()).pc); // 0n
 * ```
 */
export function createCpu(memory: Memory): CpuContract {
  return new RvCpu(memory);
}
