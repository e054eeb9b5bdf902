/**
 * The start trampoline and the exit routine, derived from an ABI's data.
 *
 * The first switch into a new thread lands in the start trampoline (its
 * context's pc). The trampoline moves the argument into the first argument
 * register, arranges for the entry's return to reach the exit routine, and
 * jumps to the entry (see `initial-frame.ts` for the stack it finds):
 *
 * ```
 *   gt_start:  arg0 ← cs1                     argument
 *              link ← gt_exit                 (link-register ABIs; on x86-64 the
 *                                              initial frame already holds it)
 *              jump cs0                       entry(argument)
 *
 *   gt_exit:   arg1 ← result                  the entry returned here
 *              arg0 ← cs1                     callee-saved, so still the argument
 *              call cs2                       onExit(argument, result)
 *              trap                           onExit must never return
 * ```
 *
 * The exit routine relies on cs1 and cs2 being callee-saved: the entry
 * function had to give them back unchanged.
 *
 * @module
 */
import type { Abi } from "../abi/abi.js";
import type { Arch } from "../arch/arch.js";
import type { LirOp } from "../lir/lir.js";
import { trampolineRegisters } from "./initial-frame.js";
import { switchRoutine } from "./switch-routine.js";
import { routineSymbol } from "./symbols.js";

/**
 * The start trampoline and the exit routine for `abi`, as LIR, under the
 * global labels `gt_start_<abi>` and `gt_exit_<abi>`.
 *
 * @example
 * ```ts
 * import { aarch64, getAbi, routines } from "@greenthreads/isa";
 * console.log(aarch64.format(aarch64.select(routines.trampolines(getAbi("aarch64-aapcs64"), aarch64))));
 * ```
 */
export function trampolines(abi: Abi, _arch: Arch): LirOp[] {
  const regs = trampolineRegisters(abi);
  const [arg0, arg1] = abi.argumentRegisters as [string, string];
  const exit = routineSymbol("exit", abi.name);
  const ops: LirOp[] = [
    { op: "label", name: routineSymbol("start", abi.name), global: true },
    { op: "mov", dst: arg0, src: regs.argument },
  ];
  if (abi.returnAddress.kind === "register") {
    ops.push({ op: "la", dst: abi.returnAddress.reg, label: exit });
  }
  ops.push(
    { op: "jr", reg: regs.entry },
    { op: "label", name: exit, global: true },
    { op: "mov", dst: arg1, src: abi.returnRegisters[0]! },
    { op: "mov", dst: arg0, src: regs.argument },
    { op: "callr", reg: regs.onExit },
    { op: "trap" },
  );
  return ops;
}

/**
 * Every routine a thread needs for `abi`: switch, start trampoline and exit
 * routine, in that order.
 *
 * @example
 * ```ts
 * import { getAbi, riscv64, routines } from "@greenthreads/isa";
 * const ops = routines.threadRoutines(getAbi("riscv64-lp64d"), riscv64);
 * console.log(ops.filter((o) => o.op === "label").map((o) => o.name));
 * ```
 */
export function threadRoutines(abi: Abi, arch: Arch): LirOp[] {
  return [...switchRoutine(abi, arch), ...trampolines(abi, arch)];
}
