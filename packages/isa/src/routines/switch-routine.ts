/**
 * The context-switch routine, derived from an ABI's data.
 *
 * `switch(from, to, value)` is called like an ordinary function. It saves
 * the caller's continuation into the context at `from`, loads the one at
 * `to`, and "returns" there, on the other stack, with `value` in the return
 * register. Because it is entered by a call, only the ABI's callee-saved
 * state has to be saved: the caller has already given up everything else.
 *
 * ```
 *   save into *from                  load from *to
 *   ─────────────────────────        ─────────────────────────
 *   pc  ← return address             thread-information words
 *   sp  ← sp as the caller had it    float control state (some only if it differs)
 *   callee-saved integer registers   callee-saved float registers
 *   callee-saved float registers     callee-saved integer registers
 *   float control state              sp
 *   thread-information words         jump to pc, return register = value
 * ```
 *
 * Where `call` pushed the return address (x86-64), the routine pops it into
 * a scratch register and ends with an indirect jump rather than `ret`: a
 * `ret` would consult the return-stack buffer, which predicts a return to the
 * caller of this switch and is wrong every time, on every switch. With a
 * link register the same holds for `ret`'s return-prediction hint, so every
 * ABI ends the switch with a plain indirect jump.
 *
 * Float control state is written in one of two ways, chosen per control
 * register by {@link CONTROL_WRITE_WHEN_CHANGED}: unconditionally, or only
 * when the saved value of the current thread differs from the next thread's.
 * The comparison reads back the value `storectl` has just stored, with the
 * width it stored ({@link CONTROL_STORE_WIDTH}), so that the load can take
 * its value from the store still in flight.
 *
 * @module
 */
import type { Abi } from "../abi/abi.js";
import type { Arch } from "../arch/arch.js";
import { CONTROL_STORE_WIDTH, type ControlRegister, type LirOp, type Reg } from "../lir/lir.js";
import { scratchRegisters } from "./scratch-registers.js";
import { routineSymbol } from "./symbols.js";

/**
 * For each float control register, whether the switch compares the saved
 * value of the current thread with the next thread's and writes the register
 * only when they differ (`true`), or writes it on every switch (`false`).
 *
 * The choice weighs what a write costs against what reading the saved value
 * back costs, as measured by the switch package's harness benchmark:
 * - `x87cw`: `fldcw` costs about 1.2 ns per switch, while `fnstcw`'s 2-byte
 *   store forwards to a 2-byte load: comparing is close to free.
 * - `mxcsr`: `stmxcsr`'s store does not forward to any load (measured on an
 *   AMD Zen 5: reading the value back stalls retirement until the store
 *   reaches the cache, about 2.5 ns per switch), while `ldmxcsr` costs next
 *   to nothing there: it is written every time.
 * - `fpcr` and `fcsr`: saved through an integer register with an 8-byte
 *   store, which forwards; `msr fpcr` serialises the pipeline, and the
 *   compare keeps `fcsr` symmetric with it.
 *
 * @example
 * ```ts
 * import { CONTROL_WRITE_WHEN_CHANGED } from "./switch-routine.js";
 * console.log(CONTROL_WRITE_WHEN_CHANGED.x87cw, CONTROL_WRITE_WHEN_CHANGED.mxcsr); // true false
 * ```
 */
export const CONTROL_WRITE_WHEN_CHANGED: Readonly<Record<ControlRegister, boolean>> = {
  mxcsr: false,
  x87cw: true,
  fpcr: true,
  fcsr: true,
};

/**
 * The switch routine for `abi`, as LIR, under the global label
 * `gt_switch_<abi>`.
 *
 * @example
 * ```ts
 * import { getAbi, routines, x86_64 } from "@greenthreads/isa";
 * const ops = routines.switchRoutine(getAbi("x86_64-sysv"), x86_64);
 * console.log(x86_64.format(x86_64.select(ops)));
 * ```
 */
export function switchRoutine(abi: Abi, arch: Arch): LirOp[] {
  return switchBetween(abi, arch, routineSymbol("switch", abi.name), fullSwitchState(abi));
}

/**
 * The state a switch saves and loads besides the stack pointer and the pc:
 * all of the ABI's callee-saved state ({@link fullSwitchState}), or a part of
 * it that the code on both sides is known to leave alone (the lowered
 * switch, `lowered-switch.ts`).
 *
 * @example
 * ```ts
 * import { getAbi, routines } from "@greenthreads/isa";
 * const state = routines.fullSwitchState(getAbi("x86_64-sysv"));
 * console.log(state.integer.join(" ")); // "rbx rbp r12 r13 r14 r15"
 * ```
 */
export interface SwitchState {
  readonly integer: readonly Reg[];
  readonly float: Abi["calleeSavedFloat"];
  readonly control: Abi["floatControl"];
  readonly threadInformation: Abi["threadInformation"];
}

/**
 * Everything the ABI asks a called function to preserve: what a switch
 * between arbitrary code must keep.
 *
 * @example
 * ```ts
 * import { getAbi, routines } from "@greenthreads/isa";
 * console.log(routines.fullSwitchState(getAbi("aarch64-aapcs64")).control); // ["fpcr"]
 * ```
 */
export function fullSwitchState(abi: Abi): SwitchState {
  return {
    integer: abi.calleeSavedInteger,
    float: abi.calleeSavedFloat,
    control: abi.floatControl,
    threadInformation: abi.threadInformation,
  };
}

/**
 * A switch routine under the global label `symbol` that saves and loads
 * `state` (a subset of the ABI's callee-saved state: the context layout has
 * a slot for each) besides sp and pc; `loadedInteger`, when given, are the
 * integer registers it loads instead of those it saves (for a switch whose
 * two sides need different registers kept, `lowered-switch.ts`).
 *
 * @example
 * ```ts
 * import { getAbi, routines, x86_64 } from "@greenthreads/isa";
 * const abi = getAbi("x86_64-sysv");
 * console.log(routines.switchBetween(abi, x86_64, "my_switch", routines.fullSwitchState(abi)).length > 0); // true
 * ```
 */
export function switchBetween(
  abi: Abi,
  arch: Arch,
  symbol: string,
  state: SwitchState,
  loadedInteger: readonly Reg[] = state.integer,
): LirOp[] {
  const [pcScratch, spScratch] = scratchRegisters(abi, arch) as [string, string];
  const [from, to, value] = abi.argumentRegisters as [string, string, string];
  const sp = abi.stackPointer;
  const ctx = abi.context;
  const ops: LirOp[] = [{ op: "label", name: symbol, global: true }];

  // Save: the continuation first, so that sp is taken after the return address left the stack.
  const returnAddress = abi.returnAddress.kind === "stack" ? pcScratch : abi.returnAddress.reg;
  if (abi.returnAddress.kind === "stack") ops.push({ op: "pop", dst: pcScratch });
  ops.push({ op: "store", src: returnAddress, base: from, offset: ctx.slot("pc").offset });
  ops.push({ op: "store", src: sp, base: from, offset: ctx.slot("sp").offset });
  for (const reg of state.integer) {
    ops.push({ op: "store", src: reg, base: from, offset: ctx.slot(reg).offset });
  }
  for (const { reg, width } of state.float) {
    ops.push({ op: "storef", src: reg, base: from, offset: ctx.slot(reg).offset, width });
  }
  for (const control of state.control) {
    ops.push({ op: "storectl", control, base: from, offset: ctx.slot(control).offset });
  }
  for (const info of state.threadInformation) {
    ops.push({ op: "loadtls", dst: spScratch, offset: info.offset });
    ops.push({ op: "store", src: spScratch, base: from, offset: ctx.slot(info.name).offset });
  }

  // Load, in the reverse order, ending with the stack pointer and the jump.
  for (const info of state.threadInformation) {
    ops.push({ op: "load", dst: spScratch, base: to, offset: ctx.slot(info.name).offset });
    ops.push({ op: "storetls", src: spScratch, offset: info.offset });
  }
  for (const control of state.control) {
    const offset = ctx.slot(control).offset;
    if (!CONTROL_WRITE_WHEN_CHANGED[control]) {
      ops.push({ op: "loadctl", control, base: to, offset });
      continue;
    }
    // The two threads almost always agree, so the write is skipped when they
    // do. Both values are read with the width that storectl wrote: a wider
    // load of the value just stored could not be forwarded from the store.
    const width = CONTROL_STORE_WIDTH[control];
    const same = `.L${symbol}_${control}_kept`;
    ops.push(
      { op: "load", dst: pcScratch, base: to, offset, width },
      { op: "load", dst: spScratch, base: from, offset, width },
      { op: "br", cond: "eq", a: pcScratch, b: spScratch, target: same },
      { op: "loadctl", control, base: to, offset },
      { op: "label", name: same },
    );
  }
  for (const { reg, width } of state.float) {
    ops.push({ op: "loadf", dst: reg, base: to, offset: ctx.slot(reg).offset, width });
  }
  for (const reg of loadedInteger) {
    ops.push({ op: "load", dst: reg, base: to, offset: ctx.slot(reg).offset });
  }
  ops.push({ op: "load", dst: sp, base: to, offset: ctx.slot("sp").offset });
  ops.push({ op: "load", dst: pcScratch, base: to, offset: ctx.slot("pc").offset });
  ops.push({ op: "mov", dst: abi.returnRegisters[0]!, src: value });
  ops.push({ op: "jr", reg: pcScratch });
  return ops;
}
