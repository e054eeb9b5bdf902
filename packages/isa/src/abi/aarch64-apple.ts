/**
 * AArch64 on Apple platforms (macOS, iOS).
 *
 * Apple follows AAPCS64 with two differences that matter here: x18 is
 * reserved by the OS and must never be written, and leaf functions may use
 * 128 bytes below the stack pointer (a red zone). The callee-saved sets, the
 * link register and the alignment are as on Linux.
 *
 * @module
 */

import { aarch64Aapcs64 } from "./aarch64-aapcs64.js";
import type { Abi } from "./abi.js";

/**
 * The AArch64 ABI of Apple platforms.
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
 * | red zone | 128 bytes |
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
 * console.log(getAbi("aarch64-apple").reservedRegisters[0]?.reg, getAbi("aarch64-apple").redZone); // "x18" 128
 * ```
 */
export const aarch64Apple: Abi = {
  ...aarch64Aapcs64,
  name: "aarch64-apple",
  description: "AArch64 on Apple platforms (macOS, iOS)",
  reservedRegisters: [{ reg: "x18", why: "reserved by the OS; must never be written" }],
  redZone: 128,
};
