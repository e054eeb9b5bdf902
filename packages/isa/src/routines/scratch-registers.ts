/**
 * Which registers generated routines may use as scratch.
 *
 * A routine may use an ABI temporary (caller-saved, carrying no argument)
 * unless the instruction set reserves it for its own instruction selection.
 * Keeping this in one place keeps the switch routine, the trampolines and the
 * thread-program lowering from ever disagreeing about it.
 *
 * @module
 */
import type { Abi } from "../abi/abi.js";
import type { Arch } from "../arch/arch.js";
import { IsaError } from "../errors.js";
import type { Reg } from "../lir/lir.js";

/**
 * ABI temporaries that `arch`'s selection leaves alone, in the ABI's order,
 * return registers last (so routines that set a return value keep their
 * other scratch values alive longest).
 *
 * @example
 * ```ts
 * import { getAbi, routines, x86_64 } from "@greenthreads/isa";
 * console.log(routines.scratchRegisters(getAbi("x86_64-sysv"), x86_64)); // ["r10", "rax"]
 * ```
 */
export function scratchRegisters(abi: Abi, arch: Arch, needed = 2): Reg[] {
  const usable = abi.temporaries.filter((r) => !arch.reserved.includes(r));
  const scratch = [
    ...usable.filter((r) => !abi.returnRegisters.includes(r)),
    ...usable.filter((r) => abi.returnRegisters.includes(r)),
  ];
  if (scratch.length < needed) {
    throw new IsaError(
      "BAD_ARGUMENT",
      `ABI ${abi.name} leaves ${scratch.length} scratch registers on ${arch.name}; ${needed} are needed`,
    );
  }
  return scratch;
}
