/**
 * The AArch64 (ARMv8-A, 64-bit registers) instruction set: the subset the runtime's routines need, with x16/x17 reserved for instruction selection.
 *
 * Every instruction set is a module of the same shape (compare
 * `src/arch/<arch>/index.ts`): `name`, register lists, `select` (LIR to
 * instructions), `sizeOf`, `encode`, `format`, `asmPrologue`, the `Cpu`
 * interpreter class and `createCpu`; here also `relaxation`, because some
 * branches reach only ±1 MiB and take longer forms in larger code. The
 * package exports the module as the
 * namespace `aarch64`, which is itself an {@link Arch}.
 *
 * @example
 * ```ts
 * import { aarch64, assemble } from "@greenthreads/isa";
 * const items = aarch64.select([{ op: "li", dst: "x0", imm: 0x1234_5678n }, { op: "jr", reg: "x30" }]);
 * console.log(aarch64.format(items));
 * // "  movz x0, #22136\n  movk x0, #4660, lsl #16\n  br x30\n"
 * console.log(assemble(aarch64, items, 0x1000n).bytes.length); // 12
 * ```
 *
 * @module
 */

import type { Reg } from "../../lir/lir.js";
import type { Memory } from "../../memory/memory.js";
import type { Cpu as CpuContract } from "../arch.js";
import { sharingFrozen } from "../shared-selection.js";
import { A64Cpu } from "./interpret.js";
import { A64_D_REGISTERS, A64_X_REGISTERS } from "./registers.js";
import { A64_RESERVED, a64Select } from "./select.js";

export {
  a64Encode as encode,
  a64Relaxation as relaxation,
  a64SizeOf as sizeOf,
} from "./encode.js";
export { A64_ASM_PROLOGUE as asmPrologue, a64Format as format } from "./format.js";
export type {
  A64Condition as Condition,
  A64Instruction as Instruction,
  A64Item as Item,
  A64Shift as Shift,
} from "./instructions.js";
export { A64_CONDITIONS as CONDITIONS } from "./instructions.js";
export { A64Cpu as Cpu } from "./interpret.js";

/**
 * The instruction set's name.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.name); // "aarch64"
 * ```
 */
export const name = "aarch64" as const;

/**
 * Integer registers, in encoding order.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.integerRegisters.length > 0); // true
 * ```
 */
export const integerRegisters: readonly Reg[] = A64_X_REGISTERS;

/**
 * Float/vector registers, in encoding order.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.floatRegisters.length > 0); // true
 * ```
 */
export const floatRegisters: readonly Reg[] = A64_D_REGISTERS;

/**
 * The stack pointer's name.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.stackPointer); // "sp"
 * ```
 */
export const stackPointer: Reg = "sp";

/**
 * Registers that `select` may clobber to build operations the instruction
 * set lacks; no generator keeps a value in them across an LIR operation.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.reserved.length); // 2
 * ```
 */
export const reserved: readonly Reg[] = A64_RESERVED;

/**
 * Instruction selection: LIR in, instructions and labels out.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.select([{ op: "label", name: "f" }])[0]); // { op: "label", name: "f" }
 * ```
 */
export const select = sharingFrozen(a64Select);

/**
 * A new interpreter over `memory`, every register zero: `new Cpu(memory)`
 * typed as the {@link Cpu} contract.
 *
 * @example
 * ```ts
 * import { aarch64, memory } from "@greenthreads/isa";
 * console.log(aarch64.createCpu(new memory.Memory()).pc); // 0n
 * ```
 */
export function createCpu(memory: Memory): CpuContract {
  return new A64Cpu(memory);
}
