/**
 * x86-64 Windows (the Microsoft x64 calling convention).
 *
 * Differences from System V that a switch must honour: rdi and rsi are
 * callee-saved, and so are the whole 128 bits of xmm6-xmm15; the caller
 * reserves 32 bytes of shadow space above the return address; there is no
 * red zone. Windows also keeps the current stack's bounds in the thread
 * information block (`gs:[0x08]` StackBase, `gs:[0x10]` StackLimit,
 * `gs:[0x1478]` DeallocationStack): stack probing and exception unwinding read
 * them, so a switch must swap them with the stack.
 *
 * @module
 */

import { X86_INTEGER_REGISTERS, X86_XMM_REGISTERS } from "../arch/x86_64/registers.js";
import type { Abi, SavedFloat, ThreadInformationSlot } from "./abi.js";
import { deriveContextLayout } from "./context-layout.js";

const calleeSavedInteger = ["rbx", "rbp", "rdi", "rsi", "r12", "r13", "r14", "r15"];
const calleeSavedFloat: SavedFloat[] = Array.from({ length: 10 }, (_, i) => ({
  reg: `xmm${i + 6}`,
  width: 16 as const,
}));
const threadInformation: ThreadInformationSlot[] = [
  { name: "StackBase", offset: 0x08, why: "highest address of the current stack" },
  { name: "StackLimit", offset: 0x10, why: "lowest committed address of the current stack" },
  {
    name: "DeallocationStack",
    offset: 0x1478,
    why: "lowest reserved address of the current stack, read by stack growth",
  },
];

/**
 * The x86-64 Windows ABI.
 *
 * <!-- abi-tables:start -->
 * | | |
 * |---|---|
 * | stack pointer | rsp |
 * | frame pointer | rbp |
 * | return address | pushed on the stack by `call` |
 * | callee-saved integer | rbx rbp rdi rsi r12 r13 r14 r15 |
 * | callee-saved float | xmm6 (128 bits) xmm7 (128 bits) xmm8 (128 bits) xmm9 (128 bits) xmm10 (128 bits) xmm11 (128 bits) xmm12 (128 bits) xmm13 (128 bits) xmm14 (128 bits) xmm15 (128 bits) |
 * | arguments | rcx rdx r8 r9 |
 * | float arguments | xmm0 xmm1 xmm2 xmm3 |
 * | results | rax |
 * | temporaries | rax r10 r11 |
 * | reserved | none |
 * | float control kept per thread | mxcsr x87cw |
 * | thread information words | StackBase (gs:0x8) StackLimit (gs:0x10) DeallocationStack (gs:0x1478) |
 * | stack alignment | 16 bytes, at calls |
 * | red zone | 0 bytes |
 * | shadow space | 32 bytes |
 *
 * Context layout of `gt_switch` (288 bytes):
 *
 * | offset | slot | kind | bytes |
 * |---:|---|---|---:|
 * | 0 | pc | pc | 8 |
 * | 8 | sp | sp | 8 |
 * | 16 | rbx | integer | 8 |
 * | 24 | rbp | integer | 8 |
 * | 32 | rdi | integer | 8 |
 * | 40 | rsi | integer | 8 |
 * | 48 | r12 | integer | 8 |
 * | 56 | r13 | integer | 8 |
 * | 64 | r14 | integer | 8 |
 * | 72 | r15 | integer | 8 |
 * | 80 | xmm6 | float | 16 |
 * | 96 | xmm7 | float | 16 |
 * | 112 | xmm8 | float | 16 |
 * | 128 | xmm9 | float | 16 |
 * | 144 | xmm10 | float | 16 |
 * | 160 | xmm11 | float | 16 |
 * | 176 | xmm12 | float | 16 |
 * | 192 | xmm13 | float | 16 |
 * | 208 | xmm14 | float | 16 |
 * | 224 | xmm15 | float | 16 |
 * | 240 | mxcsr | control | 8 |
 * | 248 | x87cw | control | 8 |
 * | 256 | StackBase | thread-information | 8 |
 * | 264 | StackLimit | thread-information | 8 |
 * | 272 | DeallocationStack | thread-information | 8 |
 * <!-- abi-tables:end -->
 *
 * @example
 * ```ts
 * import { getAbi } from "@greenthreads/isa";
 * console.log(getAbi("x86_64-win64").shadowSpace, getAbi("x86_64-win64").calleeSavedFloat.length); // 32 10
 * ```
 */
export const x86_64Win64: Abi = {
  name: "x86_64-win64",
  arch: "x86_64",
  description: "x86-64 Windows (Microsoft x64 calling convention)",
  integerRegisters: X86_INTEGER_REGISTERS,
  floatRegisters: X86_XMM_REGISTERS,
  stackPointer: "rsp",
  framePointer: "rbp",
  returnAddress: { kind: "stack" },
  calleeSavedInteger,
  calleeSavedFloat,
  argumentRegisters: ["rcx", "rdx", "r8", "r9"],
  floatArgumentRegisters: X86_XMM_REGISTERS.slice(0, 4),
  returnRegisters: ["rax"],
  temporaries: ["rax", "r10", "r11"],
  reservedRegisters: [],
  stackAlignment: 16,
  stackAlwaysAligned: false,
  redZone: 0,
  shadowSpace: 32,
  floatControl: ["mxcsr", "x87cw"],
  threadInformation,
  context: deriveContextLayout({
    calleeSavedInteger,
    calleeSavedFloat,
    floatControl: ["mxcsr", "x87cw"],
    threadInformation,
  }),
};
