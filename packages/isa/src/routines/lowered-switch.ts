/**
 * The switch between the host and lowered thread programs, derived from the
 * ABI's data and from the lowering's register use.
 *
 * The general switch (`switch-routine.ts`) saves all callee-saved state of
 * the ABI, float registers and float control state included, because it
 * cannot know what the code on the other side touches. Between the host and
 * lowered code it can: lowered programs run only code the isa generates,
 * which uses a known set of integer registers (the footprint, below) and
 * never a float register or the float control state. A host register
 * outside the footprint is never written while a thread runs, so it still
 * holds the host's value when the thread switches back, without being saved;
 * a thread's register outside the footprint holds nothing the thread needs.
 * So this switch saves and loads only
 *
 * ```
 *   callee-saved integer registers ∩ footprint,   sp,   pc
 *   (and, on Win64, the thread information block's stack words)
 * ```
 *
 * The footprint is every integer register that lowered code, its trap
 * sequence, this switch and the start trampoline may write:
 * - the lowering's registers ({@link assignRegisters}: control block,
 *   program stack pointer, temporaries, program registers),
 * - the registers the instruction set reserves for its own selection,
 * - the trap sequence's switch arguments and link register,
 * - this switch's scratch registers and the return register it sets,
 * - the start trampoline's argument and link register, and the registers it
 *   reads from a new thread's context (entry, argument, exit handler).
 *
 * Per ABI, from the data (a test regenerates this table; rewrite it with
 * `pnpm exec tsx scripts/lowered-switch-table.ts`):
 *
 * <!-- lowered-switch-table:start -->
 * | ABI | callee-saved integer | footprint | kept set (besides sp, pc) | kept for a trapping thread | callee-saved, never saved |
 * |---|---|---|---|---|---|
 * | x86_64-sysv | rbx rbp r12 r13 r14 r15 | rax rcx rdx rbx rsi rdi r8 r9 r10 r11 r12 r13 r14 r15 | rbx r12 r13 r14 r15 | rbx | rbp mxcsr x87cw |
 * | x86_64-win64 | rbx rbp rdi rsi r12 r13 r14 r15 | rax rcx rdx rbx rsi rdi r8 r9 r10 r11 r12 r13 r14 r15 | rbx rdi rsi r12 r13 r14 r15 StackBase StackLimit DeallocationStack | rbx | rbp xmm6 xmm7 xmm8 xmm9 xmm10 xmm11 xmm12 xmm13 xmm14 xmm15 mxcsr x87cw |
 * | aarch64-aapcs64 | x19 x20 x21 x22 x23 x24 x25 x26 x27 x28 x29 | x0 x1 x2 x3 x4 x5 x6 x7 x9 x10 x11 x16 x17 x19 x20 x21 x30 | x19 x20 x21 | x19 x20 | x22 x23 x24 x25 x26 x27 x28 x29 d8 d9 d10 d11 d12 d13 d14 d15 fpcr |
 * | aarch64-apple | x19 x20 x21 x22 x23 x24 x25 x26 x27 x28 x29 | x0 x1 x2 x3 x4 x5 x6 x7 x9 x10 x11 x16 x17 x19 x20 x21 x30 | x19 x20 x21 | x19 x20 | x22 x23 x24 x25 x26 x27 x28 x29 d8 d9 d10 d11 d12 d13 d14 d15 fpcr |
 * | riscv64-lp64d | s0 s1 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 | ra t0 t1 t2 s1 a0 a1 a2 a3 a4 a5 a6 a7 s2 s3 t5 t6 | s1 s2 s3 | s1 | s0 s4 s5 s6 s7 s8 s9 s10 s11 fs0 fs1 fs2 fs3 fs4 fs5 fs6 fs7 fs8 fs9 fs10 fs11 fcsr |
 * <!-- lowered-switch-table:end -->
 *
 * Win64's thread information words (the current stack's base, limit and
 * reservation) follow the green stack here too. A machine fault on a green
 * stack is dispatched by Windows on that stack, and the dispatcher and the
 * code it runs judge the stack by these words: frame-based dispatch and
 * unwinding reject frames outside [StackLimit, StackBase) (the process then
 * ends with a bad-stack status instead of reaching a handler), the stack
 * probe of any handler with a large frame touches pages from StackLimit
 * down, and stack-overflow handling reads DeallocationStack. The vectored
 * handler that turns the fault into a trap runs first, but any other
 * vectored handler that declines, and everything after it, would see the
 * host's stack words with the green stack pointer. Three TLS words each way
 * on one ABI is a small price for a fault that always stays a trap.
 *
 * The float registers and float control state are never saved: no lowered
 * instruction names them, and the code a thread runs is all lowered.
 * Anything else run on a green stack (the switch harness's C threads, code
 * that is not a lowered program) must use the general switch.
 *
 * Both sides of every switch through this routine must be lowered code or
 * the host: a context saved by it holds only its registers, so the host
 * must come back through it or through its twin, the switch to the host.
 *
 * That twin ({@link switchToHostRoutine}) is the one the lowered trap
 * sequence and the addon's fault handlers enter. A trapping thread needs
 * back only its control-block register (and, on AArch64, its program stack
 * pointer): its program registers are in the control block at every trap.
 * So a round trip costs
 *
 * ```
 *   host → thread (gt_switch_lowered)     thread → host (gt_switch_to_host)
 *   save host:   kept set, sp, pc         save thread: kept across a trap, sp, pc
 *   load thread: kept set, sp, pc         load host:   kept set, sp, pc
 * ```
 *
 * The thread's context slots the twin does not write keep older values; the
 * lowered switch loads them into registers the resumed thread never reads
 * before writing.
 *
 * @module
 */
import type { Abi } from "../abi/abi.js";
import type { Arch } from "../arch/arch.js";
import type { LirOp, Reg } from "../lir/lir.js";
import { assignRegisters } from "../lowering/register-assignment.js";
import { trampolineRegisters } from "./initial-frame.js";
import { scratchRegisters } from "./scratch-registers.js";
import { type SwitchState, switchBetween } from "./switch-routine.js";
import { routineSymbol } from "./symbols.js";

/**
 * Every integer register that lowered code, its trap sequence, the lowered
 * switch and the start trampoline may write on `abi`, in the ABI's register
 * order (the stack pointer aside).
 *
 * @example
 * ```ts
 * import { getAbi, riscv64, routines } from "@greenthreads/isa";
 * console.log(routines.loweredFootprint(getAbi("riscv64-lp64d"), riscv64).includes("s3")); // false
 * ```
 */
export function loweredFootprint(abi: Abi, arch: Arch): Reg[] {
  const lowering = assignRegisters(abi, arch);
  const trampoline = trampolineRegisters(abi);
  const [from, to, value] = abi.argumentRegisters as [Reg, Reg, Reg];
  const link = abi.returnAddress.kind === "register" ? [abi.returnAddress.reg] : [];
  const used = new Set<Reg>([
    lowering.tcb,
    lowering.stackPointer,
    ...lowering.temps,
    ...lowering.program,
    ...arch.reserved,
    from,
    to,
    value,
    ...link,
    ...scratchRegisters(abi, arch).slice(0, 2),
    abi.returnRegisters[0]!,
    trampoline.entry,
    trampoline.argument,
    trampoline.onExit,
  ]);
  used.delete(abi.stackPointer);
  return abi.integerRegisters.filter((r) => used.has(r));
}

/**
 * What the lowered switch saves besides sp and pc: the ABI's callee-saved
 * integer registers that are in the footprint, and the thread information
 * words (Win64); no float state (see the module comment).
 *
 * @example
 * ```ts
 * import { getAbi, routines, x86_64 } from "@greenthreads/isa";
 * console.log(routines.loweredSwitchState(getAbi("x86_64-sysv"), x86_64).float.length); // 0
 * ```
 */
export function loweredSwitchState(abi: Abi, arch: Arch): SwitchState {
  const footprint = new Set(loweredFootprint(abi, arch));
  return {
    integer: abi.calleeSavedInteger.filter((r) => footprint.has(r)),
    float: [],
    control: [],
    threadInformation: abi.threadInformation,
  };
}

/**
 * The callee-saved registers a thread needs again when it is resumed after a
 * trap: the control-block register and, where the program's stack pointer
 * is a register of its own, that one. Everything else lowered code holds
 * between instructions (the program registers) is in the control block at
 * every trap, and the temporaries are dead there.
 *
 * @example
 * ```ts
 * import { getAbi, routines, x86_64 } from "@greenthreads/isa";
 * console.log(routines.keptAcrossTrap(getAbi("x86_64-sysv"), x86_64)); // ["rbx"]
 * ```
 */
export function keptAcrossTrap(abi: Abi, arch: Arch): Reg[] {
  const { tcb, stackPointer } = assignRegisters(abi, arch);
  return abi.calleeSavedInteger.filter((r) => r === tcb || r === stackPointer);
}

/**
 * The switch from a trapping thread to the host, for `abi`, as LIR, under
 * the global label `gt_switch_to_host_<abi>`: it saves only the thread's
 * {@link keptAcrossTrap} registers (with sp and pc, and Win64's stack
 * words), and loads everything {@link loweredSwitchRoutine} saved of the
 * host. The lowered trap sequence and the addon's fault handlers enter it;
 * the host enters threads through the lowered switch, whose loads of a
 * resumed thread's other registers give it values it never reads.
 *
 * @example
 * ```ts
 * import { getAbi, routines, x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.format(x86_64.select(routines.switchToHostRoutine(getAbi("x86_64-sysv"), x86_64))));
 * ```
 */
export function switchToHostRoutine(abi: Abi, arch: Arch): LirOp[] {
  const host = loweredSwitchState(abi, arch);
  return switchBetween(
    abi,
    arch,
    routineSymbol("switch_to_host", abi.name),
    { ...host, integer: keptAcrossTrap(abi, arch) },
    host.integer,
  );
}

/**
 * The lowered switch for `abi`, as LIR, under the global label
 * `gt_switch_lowered_<abi>`. Called like the general switch:
 * `switch(from, to, value)`.
 *
 * @example
 * ```ts
 * import { aarch64, getAbi, routines } from "@greenthreads/isa";
 * console.log(aarch64.format(aarch64.select(routines.loweredSwitchRoutine(getAbi("aarch64-aapcs64"), aarch64))));
 * ```
 */
export function loweredSwitchRoutine(abi: Abi, arch: Arch): LirOp[] {
  return switchBetween(
    abi,
    arch,
    routineSymbol("switch_lowered", abi.name),
    loweredSwitchState(abi, arch),
  );
}
