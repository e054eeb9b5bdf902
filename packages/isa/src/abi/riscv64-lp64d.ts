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
import type { Abi, SavedFloat } from "./abi.js";
import { deriveContextLayout } from "./context-layout.js";

const RV_INTEGER = [
  "zero",
  "ra",
  "sp",
  "gp",
  "tp",
  "t0",
  "t1",
  "t2",
  "s0",
  "s1",
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "s8",
  "s9",
  "s10",
  "s11",
  "t3",
  "t4",
  "t5",
  "t6",
];
const RV_FLOAT = [
  "ft0",
  "ft1",
  "ft2",
  "ft3",
  "ft4",
  "ft5",
  "ft6",
  "ft7",
  "fs0",
  "fs1",
  "fa0",
  "fa1",
  "fa2",
  "fa3",
  "fa4",
  "fa5",
  "fa6",
  "fa7",
  "fs2",
  "fs3",
  "fs4",
  "fs5",
  "fs6",
  "fs7",
  "fs8",
  "fs9",
  "fs10",
  "fs11",
  "ft8",
  "ft9",
  "ft10",
  "ft11",
];
const calleeSavedInteger = Array.from({ length: 12 }, (_, i) => `s${i}`);
const calleeSavedFloat: SavedFloat[] = Array.from({ length: 12 }, (_, i) => ({
  reg: `fs${i}`,
  width: 8 as const,
}));

/**
 * The RISC-V LP64D ABI.
 *
 * @example
 * ```ts
 * import { riscv64Lp64d } from "@greenthreads/isa";
 * console.log(riscv64Lp64d.calleeSavedInteger.length); // 12
 * ```
 */
export const riscv64Lp64d: Abi = {
  name: "riscv64-lp64d",
  arch: "riscv64",
  description: "RISC-V 64 LP64D: Linux",
  integerRegisters: RV_INTEGER,
  floatRegisters: RV_FLOAT,
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
