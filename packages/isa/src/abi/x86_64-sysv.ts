/**
 * x86-64 System V (Linux, macOS, the BSDs).
 *
 * Facts from the System V AMD64 psABI: rbx, rbp and r12-r15 are callee-saved;
 * every xmm register is caller-saved; the control bits of MXCSR and the x87
 * control word are callee-saved. `call` pushes the return address, so at a
 * function's first instruction rsp is 8 more than a multiple of 16. Leaf
 * functions may use 128 bytes below rsp (the red zone).
 *
 * @module
 */

import { X86_INTEGER_REGISTERS, X86_XMM_REGISTERS } from "../arch/x86_64/registers.js";
import type { Abi } from "./abi.js";
import { deriveContextLayout } from "./context-layout.js";

const calleeSavedInteger = ["rbx", "rbp", "r12", "r13", "r14", "r15"];

/**
 * The x86-64 System V ABI.
 *
 * <!-- abi-tables:start -->
 * | | |
 * |---|---|
 * | stack pointer | rsp |
 * | frame pointer | rbp |
 * | return address | pushed on the stack by `call` |
 * | callee-saved integer | rbx rbp r12 r13 r14 r15 |
 * | callee-saved float | none |
 * | arguments | rdi rsi rdx rcx r8 r9 |
 * | float arguments | xmm0 xmm1 xmm2 xmm3 xmm4 xmm5 xmm6 xmm7 |
 * | results | rax rdx |
 * | temporaries | rax r10 r11 |
 * | reserved | none |
 * | float control kept per thread | mxcsr x87cw |
 * | thread information words | none |
 * | stack alignment | 16 bytes, at calls |
 * | red zone | 128 bytes |
 * | shadow space | 0 bytes |
 *
 * Context layout of `gt_switch` (80 bytes):
 *
 * | offset | slot | kind | bytes |
 * |---:|---|---|---:|
 * | 0 | pc | pc | 8 |
 * | 8 | sp | sp | 8 |
 * | 16 | rbx | integer | 8 |
 * | 24 | rbp | integer | 8 |
 * | 32 | r12 | integer | 8 |
 * | 40 | r13 | integer | 8 |
 * | 48 | r14 | integer | 8 |
 * | 56 | r15 | integer | 8 |
 * | 64 | mxcsr | control | 8 |
 * | 72 | x87cw | control | 8 |
 * <!-- abi-tables:end -->
 *
 * @example
 * ```ts
 * import { getAbi } from "@greenthreads/isa";
 * console.log(getAbi("x86_64-sysv").calleeSavedInteger); // ["rbx", "rbp", "r12", "r13", "r14", "r15"]
 * ```
 */
export const x86_64Sysv: Abi = {
  name: "x86_64-sysv",
  arch: "x86_64",
  description: "x86-64 System V: Linux, macOS, FreeBSD",
  integerRegisters: X86_INTEGER_REGISTERS,
  floatRegisters: X86_XMM_REGISTERS,
  stackPointer: "rsp",
  framePointer: "rbp",
  returnAddress: { kind: "stack" },
  calleeSavedInteger,
  calleeSavedFloat: [],
  argumentRegisters: ["rdi", "rsi", "rdx", "rcx", "r8", "r9"],
  floatArgumentRegisters: X86_XMM_REGISTERS.slice(0, 8),
  returnRegisters: ["rax", "rdx"],
  temporaries: ["rax", "r10", "r11"],
  reservedRegisters: [],
  stackAlignment: 16,
  stackAlwaysAligned: false,
  redZone: 128,
  shadowSpace: 0,
  floatControl: ["mxcsr", "x87cw"],
  threadInformation: [],
  context: deriveContextLayout({
    calleeSavedInteger,
    calleeSavedFloat: [],
    floatControl: ["mxcsr", "x87cw"],
    threadInformation: [],
  }),
};
