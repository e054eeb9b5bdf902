/**
 * Which machine registers a lowered thread program uses, derived from the ABI.
 *
 * - The control-block pointer lives in the first callee-saved register that
 *   is not the frame pointer: the switch routine saves and restores it, so it
 *   survives every trap without any extra code.
 * - Three lowering temporaries hold intermediate values inside one program
 *   instruction (bounds checks, addresses). ABI temporaries come first.
 * - The program's stack pointer is the machine's, unless the ABI wants the
 *   stack pointer aligned at all times (AArch64): programs push single words,
 *   so there it gets a register of its own, and the machine stack pointer
 *   follows it rounded down to the alignment, always below the live words.
 * - The eight program registers take the next free registers. They may be
 *   caller-saved: every trap spills them to the control block before the
 *   switch and reloads them after, which is also how the host sees and sets
 *   them.
 *
 * Never used: the stack pointer, the frame pointer, the link register,
 * registers the ABI reserves, and the registers the instruction set reserves
 * for its own selection.
 *
 * @module
 */
import type { Abi } from "../abi/abi.js";
import type { Arch } from "../arch/arch.js";
import { IsaError } from "../errors.js";
import { PROGRAM_REGISTERS } from "../language/program.js";
import type { Reg } from "../lir/lir.js";
import { scratchRegisters } from "../routines/scratch-registers.js";

/**
 * The machine registers of a lowered program on one ABI.
 *
 * @example
 * ```ts
 * import type { lowering } from "@greenthreads/isa";
 * function describe(a: lowering.RegisterAssignment): string {
 *   return `tcb in ${a.tcb}, r0 in ${a.program[0]}`;
 * }
 * ```
 */
export interface RegisterAssignment {
  /** Holds the thread control block's address. */
  readonly tcb: Reg;
  /** The program's stack pointer: the machine's, or a register when the ABI keeps sp always aligned. */
  readonly stackPointer: Reg;
  /** Three temporaries, dead between program instructions. */
  readonly temps: readonly [Reg, Reg, Reg];
  /** Machine register of each program register r0..r7. */
  readonly program: readonly Reg[];
}

/**
 * Assigns machine registers for thread programs on `abi`.
 *
 * @example
 * ```ts
 * import { getAbi, lowering, x86_64 } from "@greenthreads/isa";
 * const { assignRegisters } = lowering;
 * console.log(assignRegisters(getAbi("x86_64-sysv"), x86_64).program);
 * ```
 */
export function assignRegisters(abi: Abi, arch: Arch): RegisterAssignment {
  const excluded = new Set<Reg>([
    abi.stackPointer,
    abi.framePointer,
    ...(abi.returnAddress.kind === "register" ? [abi.returnAddress.reg] : []),
    ...abi.reservedRegisters.map((r) => r.reg),
    ...arch.reserved,
  ]);
  const tcb = abi.calleeSavedInteger.find((r) => !excluded.has(r));
  if (!tcb)
    throw new IsaError(
      "LOWERING_ERROR",
      `ABI ${abi.name} has no callee-saved register for the control block`,
    );
  excluded.add(tcb);
  const temps = scratchRegisters(abi, arch, 0)
    .filter((r) => !excluded.has(r))
    .slice(0, 3);
  const free = abi.integerRegisters.filter((r) => !excluded.has(r) && !temps.includes(r));
  while (temps.length < 3 && free.length > 0) temps.push(free.shift()!);
  // Callee-saved, like the control-block pointer, so that it survives the switch of every trap.
  const stackPointer = abi.stackAlwaysAligned
    ? abi.calleeSavedInteger.find((r) => !excluded.has(r) && !temps.includes(r))
    : abi.stackPointer;
  if (stackPointer !== undefined && free.includes(stackPointer)) {
    free.splice(free.indexOf(stackPointer), 1);
  }
  const program = free.slice(0, PROGRAM_REGISTERS);
  if (temps.length < 3 || program.length < PROGRAM_REGISTERS || stackPointer === undefined) {
    throw new IsaError(
      "LOWERING_ERROR",
      `ABI ${abi.name} has too few free registers for thread programs (${PROGRAM_REGISTERS} + 3 temporaries)`,
    );
  }
  return { tcb, stackPointer, temps: [temps[0]!, temps[1]!, temps[2]!], program };
}
