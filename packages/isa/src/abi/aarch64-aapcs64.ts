/**
 * AArch64 AAPCS64 as used on Linux.
 *
 * x19-x29 are callee-saved (x29 is the frame pointer), and so are the low 64
 * bits of v8-v15 (d8-d15). `bl` leaves the return address in x30, so nothing
 * is pushed by a call and the stack pointer stays 16-byte aligned at every
 * function entry; more than that, sp must be 16-byte aligned whenever it is
 * used to access memory (the hardware checks it), so it is aligned always.
 * FPCR (rounding mode, flush-to-zero) is callee-saved state.
 * x16/x17 are intra-procedure-call scratch registers; x18 is the platform
 * register, which this runtime never touches so that the same code also runs
 * where the platform reserves it.
 *
 * @module
 */

import { A64_D_REGISTERS, A64_X_REGISTERS } from "../arch/aarch64/registers.js";
import type { Abi, SavedFloat } from "./abi.js";
import { deriveContextLayout } from "./context-layout.js";

const calleeSavedInteger = Array.from({ length: 11 }, (_, i) => `x${i + 19}`);
const calleeSavedFloat: SavedFloat[] = Array.from({ length: 8 }, (_, i) => ({
  reg: `d${i + 8}`,
  width: 8 as const,
}));

/**
 * The AArch64 procedure call standard on Linux.
 *
 * <!-- abi-tables:start -->
 * | | |
 * |---|---|
 * | stack pointer | sp |
 * | frame pointer | x29 |
 * | return address | x30 |
 * | callee-saved integer | x19 x20 x21 x22 x23 x24 x25 x26 x27 x28 x29 |
 * | callee-saved float | d8 d9 d10 d11 d12 d13 d14 d15 |
 * | arguments | x0 x1 x2 x3 x4 x5 x6 x7 |
 * | float arguments | d0 d1 d2 d3 d4 d5 d6 d7 |
 * | results | x0 x1 |
 * | temporaries | x9 x10 x11 x12 x13 x14 x15 x16 x17 |
 * | reserved | x18 |
 * | float control kept per thread | fpcr |
 * | thread information words | none |
 * | stack alignment | 16 bytes, at every instruction |
 * | red zone | 0 bytes |
 * | shadow space | 0 bytes |
 *
 * Context layout of `gt_switch` (176 bytes):
 *
 * | offset | slot | kind | bytes |
 * |---:|---|---|---:|
 * | 0 | pc | pc | 8 |
 * | 8 | sp | sp | 8 |
 * | 16 | x19 | integer | 8 |
 * | 24 | x20 | integer | 8 |
 * | 32 | x21 | integer | 8 |
 * | 40 | x22 | integer | 8 |
 * | 48 | x23 | integer | 8 |
 * | 56 | x24 | integer | 8 |
 * | 64 | x25 | integer | 8 |
 * | 72 | x26 | integer | 8 |
 * | 80 | x27 | integer | 8 |
 * | 88 | x28 | integer | 8 |
 * | 96 | x29 | integer | 8 |
 * | 104 | d8 | float | 8 |
 * | 112 | d9 | float | 8 |
 * | 120 | d10 | float | 8 |
 * | 128 | d11 | float | 8 |
 * | 136 | d12 | float | 8 |
 * | 144 | d13 | float | 8 |
 * | 152 | d14 | float | 8 |
 * | 160 | d15 | float | 8 |
 * | 168 | fpcr | control | 8 |
 * <!-- abi-tables:end -->
 *
 * @example
 * ```ts
 * import { getAbi } from "@greenthreads/isa";
 * console.log(getAbi("aarch64-aapcs64").returnAddress); // { kind: "register", reg: "x30" }
 * ```
 */
export const aarch64Aapcs64: Abi = {
  name: "aarch64-aapcs64",
  arch: "aarch64",
  description: "AArch64 AAPCS64: Linux",
  integerRegisters: A64_X_REGISTERS,
  floatRegisters: A64_D_REGISTERS,
  stackPointer: "sp",
  framePointer: "x29",
  returnAddress: { kind: "register", reg: "x30" },
  calleeSavedInteger,
  calleeSavedFloat,
  argumentRegisters: ["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"],
  floatArgumentRegisters: A64_D_REGISTERS.slice(0, 8),
  returnRegisters: ["x0", "x1"],
  temporaries: ["x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17"],
  reservedRegisters: [{ reg: "x18", why: "platform register, left untouched for portability" }],
  stackAlignment: 16,
  stackAlwaysAligned: true,
  redZone: 0,
  shadowSpace: 0,
  floatControl: ["fpcr"],
  threadInformation: [],
  context: deriveContextLayout({
    calleeSavedInteger,
    calleeSavedFloat,
    floatControl: ["fpcr"],
    threadInformation: [],
  }),
};
