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
 * @example
 * ```ts
 * import { aarch64Apple } from "@greenthreads/isa";
 * console.log(aarch64Apple.reservedRegisters[0]?.reg, aarch64Apple.redZone); // "x18" 128
 * ```
 */
export const aarch64Apple: Abi = {
  ...aarch64Aapcs64,
  name: "aarch64-apple",
  description: "AArch64 on Apple platforms (macOS, iOS)",
  reservedRegisters: [{ reg: "x18", why: "reserved by the OS; must never be written" }],
  redZone: 128,
};
