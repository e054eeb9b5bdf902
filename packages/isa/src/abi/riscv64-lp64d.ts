/**
 * RISC-V 64 with the LP64D calling convention (Linux, RV64GC).
 *
 * s0-s11 are callee-saved (s0 doubles as the frame pointer), and so are
 * fs0-fs11. `jal`/`jalr` leave the return address in ra. The stack pointer is
 * 16-byte aligned at every call. gp and tp belong to the platform (global
 * pointer, thread pointer) and are never touched. fcsr (rounding mode and
 * exception flags) is kept per thread.
 *
 * @module
 */

import { RV_FLOAT_REGISTERS, RV_INTEGER_REGISTERS } from "../arch/riscv64/registers.js";
import type { Abi, SavedFloat } from "./abi.js";
import { deriveContextLayout } from "./context-layout.js";

const calleeSavedInteger = Array.from({ length: 12 }, (_, i) => `s${i}`);
const calleeSavedFloat: SavedFloat[] = Array.from({ length: 12 }, (_, i) => ({
  reg: `fs${i}`,
  width: 8 as const,
}));

/**
 * The RISC-V LP64D ABI.
 *
 * <!-- abi-tables:start -->
 * | | |
 * |---|---|
 * | stack pointer | sp |
 * | frame pointer | s0 |
 * | return address | ra |
 * | callee-saved integer | s0 s1 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 |
 * | callee-saved float | fs0 fs1 fs2 fs3 fs4 fs5 fs6 fs7 fs8 fs9 fs10 fs11 |
 * | arguments | a0 a1 a2 a3 a4 a5 a6 a7 |
 * | float arguments | fa0 fa1 fa2 fa3 fa4 fa5 fa6 fa7 |
 * | results | a0 a1 |
 * | temporaries | t0 t1 t2 t3 t4 t5 t6 |
 * | reserved | zero gp tp |
 * | float control kept per thread | fcsr |
 * | thread information words | none |
 * | stack alignment | 16 bytes, at calls |
 * | red zone | 0 bytes |
 * | shadow space | 0 bytes |
 *
 * Context layout of `gt_switch` (224 bytes):
 *
 * | offset | slot | kind | bytes |
 * |---:|---|---|---:|
 * | 0 | pc | pc | 8 |
 * | 8 | sp | sp | 8 |
 * | 16 | s0 | integer | 8 |
 * | 24 | s1 | integer | 8 |
 * | 32 | s2 | integer | 8 |
 * | 40 | s3 | integer | 8 |
 * | 48 | s4 | integer | 8 |
 * | 56 | s5 | integer | 8 |
 * | 64 | s6 | integer | 8 |
 * | 72 | s7 | integer | 8 |
 * | 80 | s8 | integer | 8 |
 * | 88 | s9 | integer | 8 |
 * | 96 | s10 | integer | 8 |
 * | 104 | s11 | integer | 8 |
 * | 112 | fs0 | float | 8 |
 * | 120 | fs1 | float | 8 |
 * | 128 | fs2 | float | 8 |
 * | 136 | fs3 | float | 8 |
 * | 144 | fs4 | float | 8 |
 * | 152 | fs5 | float | 8 |
 * | 160 | fs6 | float | 8 |
 * | 168 | fs7 | float | 8 |
 * | 176 | fs8 | float | 8 |
 * | 184 | fs9 | float | 8 |
 * | 192 | fs10 | float | 8 |
 * | 200 | fs11 | float | 8 |
 * | 208 | fcsr | control | 8 |
 * <!-- abi-tables:end -->
 *
 * @example
 * ```ts
 * import { getAbi } from "@greenthreads/isa";
 * console.log(getAbi("riscv64-lp64d").calleeSavedInteger.length); // 12
 * ```
 */
export const riscv64Lp64d: Abi = {
  name: "riscv64-lp64d",
  arch: "riscv64",
  description: "RISC-V 64 LP64D: Linux",
  integerRegisters: RV_INTEGER_REGISTERS,
  floatRegisters: RV_FLOAT_REGISTERS,
  stackPointer: "sp",
  framePointer: "s0",
  returnAddress: { kind: "register", reg: "ra" },
  calleeSavedInteger,
  calleeSavedFloat,
  argumentRegisters: ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"],
  floatArgumentRegisters: ["fa0", "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7"],
  returnRegisters: ["a0", "a1"],
  temporaries: ["t0", "t1", "t2", "t3", "t4", "t5", "t6"],
  reservedRegisters: [
    { reg: "zero", why: "hard-wired zero" },
    { reg: "gp", why: "global pointer, owned by the platform" },
    { reg: "tp", why: "thread pointer, owned by the platform" },
  ],
  stackAlignment: 16,
  stackAlwaysAligned: false,
  redZone: 0,
  shadowSpace: 0,
  floatControl: ["fcsr"],
  threadInformation: [],
  context: deriveContextLayout({
    calleeSavedInteger,
    calleeSavedFloat,
    floatControl: ["fcsr"],
    threadInformation: [],
  }),
};
