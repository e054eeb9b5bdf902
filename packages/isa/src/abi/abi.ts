/**
 * ABIs as data.
 *
 * An ABI says which registers a function must give back unchanged (the
 * callee-saved set), where the return address lives, how the stack must be
 * aligned at a call, and which hidden areas (red zone, shadow space) border
 * the stack pointer. A context switch is a function call that returns on a
 * different stack, so those facts are exactly what it must save and restore.
 * Each supported ABI is one object of type {@link Abi}; the switch routine,
 * the start-up trampoline, the initial frame and the lowering of thread
 * programs are all derived from it.
 *
 * @module
 */
import type { ArchName } from "../arch/arch.js";
import type { ControlRegister, Reg } from "../lir/lir.js";

/**
 * Names of the supported ABIs.
 *
 * @example
 * ```ts
 * import type { AbiName } from "@greenthreads/isa";
 * const name: AbiName = "x86_64-sysv";
 * ```
 */
export type AbiName =
  | "x86_64-sysv"
  | "x86_64-win64"
  | "aarch64-aapcs64"
  | "aarch64-apple"
  | "riscv64-lp64d";

/**
 * A callee-saved float or vector register and how many of its bytes the ABI
 * requires to be preserved (8: the low 64 bits, as for AArch64's v8-v15; 16:
 * the whole register, as for Win64's xmm6-xmm15).
 *
 * @example
 * ```ts
 * import type { abiLayout } from "@greenthreads/isa";
 * const s: abiLayout.SavedFloat = { reg: "xmm6", width: 16 };
 * ```
 */
export interface SavedFloat {
  readonly reg: Reg;
  readonly width: 8 | 16;
}

/**
 * A word of per-thread operating-system state that a switch must swap, read
 * at an offset from the thread information block (`gs:` on Win64).
 *
 * @example
 * ```ts
 * import type { abiLayout } from "@greenthreads/isa";
 * const s: abiLayout.ThreadInformationSlot = { name: "StackBase", offset: 0x08, why: "top of the stack" };
 * ```
 */
export interface ThreadInformationSlot {
  readonly name: string;
  readonly offset: number;
  readonly why: string;
}

/**
 * A register the ABI forbids using, and why.
 *
 * @example
 * ```ts
 * import type { abiLayout } from "@greenthreads/isa";
 * const r: abiLayout.ReservedRegister = { reg: "x18", why: "platform register" };
 * ```
 */
export interface ReservedRegister {
  readonly reg: Reg;
  readonly why: string;
}

/**
 * What one slot of a saved context holds.
 *
 * @example
 * ```ts
 * import type { abiLayout } from "@greenthreads/isa";
 * const k: abiLayout.ContextSlotKind = "integer";
 * ```
 */
export type ContextSlotKind = "pc" | "sp" | "integer" | "float" | "control" | "thread-information";

/**
 * One slot of a saved context: which register or state, at which byte
 * offset, how wide.
 *
 * @example
 * ```ts
 * import type { abiLayout } from "@greenthreads/isa";
 * const s: abiLayout.ContextSlot = { name: "rbx", kind: "integer", offset: 16, width: 8 };
 * ```
 */
export interface ContextSlot {
  readonly name: string;
  readonly kind: ContextSlotKind;
  readonly offset: number;
  readonly width: number;
}

/**
 * Where the switch routine keeps a context: each slot's offset and the
 * total size (a multiple of 16, so contexts can be laid out in arrays).
 *
 * @example
 * ```ts
 * import { getAbi } from "@greenthreads/isa";
 * const layout = getAbi("x86_64-sysv").context;
 * console.log(layout.slots.map((s) => `${s.name}@${s.offset}`).join(" "));
 * ```
 */
export interface ContextLayout {
  readonly size: number;
  readonly slots: readonly ContextSlot[];
  /** The slot of a register or state by name; throws IsaError UNKNOWN_REGISTER if the context has none. */
  slot(name: string): ContextSlot;
}

/**
 * Everything the runtime needs to know about one ABI.
 *
 * @example
 * ```ts
 * import { getAbi } from "@greenthreads/isa";
 * const abi = getAbi("aarch64-apple");
 * console.log(abi.calleeSavedInteger.join(" "), abi.redZone); // "x19 ... x29" 128
 * ```
 */
export interface Abi {
  readonly name: AbiName;
  readonly arch: ArchName;
  /** One line saying where the ABI is used. */
  readonly description: string;
  /** All general-purpose registers the instruction set has, by ABI name. */
  readonly integerRegisters: readonly Reg[];
  /** All float/vector registers, by ABI name. */
  readonly floatRegisters: readonly Reg[];
  readonly stackPointer: Reg;
  readonly framePointer: Reg;
  /** Where a call leaves the return address. */
  readonly returnAddress:
    | { readonly kind: "stack" }
    | { readonly kind: "register"; readonly reg: Reg };
  /** Integer registers a callee must preserve (the stack pointer excluded). */
  readonly calleeSavedInteger: readonly Reg[];
  /** Float/vector registers (or their low halves) a callee must preserve. */
  readonly calleeSavedFloat: readonly SavedFloat[];
  /** Integer argument registers, in order. */
  readonly argumentRegisters: readonly Reg[];
  /** Float argument registers, in order. */
  readonly floatArgumentRegisters: readonly Reg[];
  /** Integer return-value registers, in order. */
  readonly returnRegisters: readonly Reg[];
  /** Caller-saved integer registers that carry neither arguments nor results. */
  readonly temporaries: readonly Reg[];
  /** Registers code must not use at all. */
  readonly reservedRegisters: readonly ReservedRegister[];
  /** Required alignment of the stack pointer at a call instruction, in bytes. */
  readonly stackAlignment: number;
  /**
   * The stack pointer must keep that alignment at every instruction, not only
   * at calls (AArch64: an access through a misaligned sp faults). Code that
   * moves a stack by single words then keeps its own pointer in a register.
   */
  readonly stackAlwaysAligned: boolean;
  /** Bytes below the stack pointer that a leaf function may use without moving it. */
  readonly redZone: number;
  /** Bytes the caller reserves above the return address for the callee (Win64's home area). */
  readonly shadowSpace: number;
  /** Floating-point control state that callees must preserve, so a switch keeps it per thread. */
  readonly floatControl: readonly ControlRegister[];
  /** Operating-system per-thread words a switch must swap (Win64's thread information block). */
  readonly threadInformation: readonly ThreadInformationSlot[];
  /** The context layout that this ABI's switch routine uses, derived from the fields above. */
  readonly context: ContextLayout;
}
