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
import type { Abi, SavedFloat, ThreadInformationSlot } from "./abi.js";
import { deriveContextLayout } from "./context-layout.js";
import { X86_64_INTEGER, XMM } from "./x86_64-sysv.js";

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
 * @example
 * ```ts
 * import { x86_64Win64 } from "@greenthreads/isa";
 * console.log(x86_64Win64.shadowSpace, x86_64Win64.calleeSavedFloat.length); // 32 10
 * ```
 */
export const x86_64Win64: Abi = {
  name: "x86_64-win64",
  arch: "x86_64",
  description: "x86-64 Windows (Microsoft x64 calling convention)",
  integerRegisters: X86_64_INTEGER,
  floatRegisters: XMM,
  stackPointer: "rsp",
  framePointer: "rbp",
  returnAddress: { kind: "stack" },
  calleeSavedInteger,
  calleeSavedFloat,
  argumentRegisters: ["rcx", "rdx", "r8", "r9"],
  floatArgumentRegisters: XMM.slice(0, 4),
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
