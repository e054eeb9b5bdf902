/**
 * Symbol names of generated routines. They say operation and ABI, as the
 * generated assembler files' names do, so a backtrace through a switch reads
 * plainly.
 *
 * @module
 */
import type { AbiName } from "../abi/abi.js";

/**
 * The generated routines: the general switch, the switches between the host
 * and lowered code (`lowered-switch.ts`: into a thread, and back to the
 * host), the start trampoline and the exit routine.
 *
 * @example
 * ```ts
 * import type { routines } from "@greenthreads/isa";
 * const r: routines.RoutineName = "switch_lowered";
 * ```
 */
export type RoutineName = "switch" | "switch_lowered" | "switch_to_host" | "start" | "exit";

/**
 * The symbol of a generated routine for an ABI.
 *
 * @example
 * ```ts
 * import { routines } from "@greenthreads/isa";
 * console.log(routines.routineSymbol("switch", "x86_64-sysv")); // "gt_switch_x86_64_sysv"
 * ```
 */
export function routineSymbol(routine: RoutineName, abi: AbiName): string {
  return `gt_${routine}_${abi.replaceAll("-", "_")}`;
}
