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
import type { Abi } from "./abi.js";
import { deriveContextLayout } from "./context-layout.js";

const X86_64_INTEGER = [
  "rax",
  "rcx",
  "rdx",
  "rbx",
  "rsp",
  "rbp",
  "rsi",
  "rdi",
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
] as const;
const XMM = Array.from({ length: 16 }, (_, i) => `xmm${i}`);

const calleeSavedInteger = ["rbx", "rbp", "r12", "r13", "r14", "r15"];

/**
 * The x86-64 System V ABI.
 *
 * @example
 * ```ts
 * import { x86_64Sysv } from "@greenthreads/isa";
 * console.log(x86_64Sysv.calleeSavedInteger); // ["rbx", "rbp", "r12", "r13", "r14", "r15"]
 * ```
 */
export const x86_64Sysv: Abi = {
  name: "x86_64-sysv",
  arch: "x86_64",
  description: "x86-64 System V: Linux, macOS, FreeBSD",
  integerRegisters: X86_64_INTEGER,
  floatRegisters: XMM,
  stackPointer: "rsp",
  framePointer: "rbp",
  returnAddress: { kind: "stack" },
  calleeSavedInteger,
  calleeSavedFloat: [],
  argumentRegisters: ["rdi", "rsi", "rdx", "rcx", "r8", "r9"],
  floatArgumentRegisters: XMM.slice(0, 8),
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

export { X86_64_INTEGER, XMM };
