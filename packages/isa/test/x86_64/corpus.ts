/**
 * The golden corpus: x86-64 instruction values covering every instruction
 * form of the subset, with extreme registers (rax, rsp, rbp, r12, r13, r15,
 * xmm15) and boundary immediates and displacements.
 *
 * Branch, call and `lea` entries target two labels: `back`, placed before the
 * first entry, and `fwd`, placed after the last. The golden script and the
 * golden test both assemble the whole list at address 0 with those labels, so
 * the rel32 fields agree.
 */
import type { LabelItem } from "../../src/arch/arch.js";
import type { X86Instruction } from "../../src/arch/x86_64/instructions.js";
import { X86_CONDITIONS } from "../../src/arch/x86_64/instructions.js";
import { X86_INTEGER_REGISTERS } from "../../src/arch/x86_64/registers.js";

const R = X86_INTEGER_REGISTERS;
const BASES = ["rax", "rsp", "rbp", "r12", "r13", "r15", "rdi"];
const DISPS = [0, 8, -8, 127, -128, 128, -129, 2147483647, -2147483648];

const entries: X86Instruction[] = [];

for (const dst of ["rax", "r15", "rsp", "r8"]) {
  for (const src of ["rbx", "r15", "rsp", "rax"]) entries.push({ op: "mov", dst, src });
}
for (const imm of [
  0n,
  1n,
  -1n,
  0x7fffffffn,
  -0x80000000n,
  0x80000000n,
  0xffffffffn,
  -0x80000001n,
  0x123456789abcdef0n,
  0x8000000000000000n,
  0xffffffffffffffffn,
  -(1n << 63n),
]) {
  for (const dst of ["rax", "rdi", "r15"]) entries.push({ op: "movi", dst, imm });
}
for (const base of BASES) {
  for (const disp of DISPS) {
    entries.push({ op: "load", dst: "rax", base, disp });
    entries.push({ op: "store", src: "r15", base, disp });
  }
}
for (const base of BASES) {
  for (const disp of DISPS) {
    entries.push({ op: "load32", dst: "r15", base, disp });
    entries.push({ op: "load16", dst: "rax", base, disp });
  }
}
for (const dst of ["rax", "rcx", "rsp", "rdi", "r8", "r11", "r13"]) {
  entries.push({ op: "load32", dst, base: "rsi", disp: 64 });
  entries.push({ op: "load16", dst, base: "r9", disp: -16 });
}
entries.push({ op: "load", dst: "r12", base: "rbx", disp: 16 });
entries.push({ op: "store", src: "rsp", base: "r9", disp: -16 });
for (const dst of ["rax", "r15", "rsp"]) {
  entries.push({ op: "lea", dst, label: "fwd" });
  entries.push({ op: "lea", dst, label: "back" });
}
for (const kind of ["add", "sub", "and", "or", "xor", "cmp"] as const) {
  entries.push({ op: "alu", kind, dst: "rax", src: "rbx" });
  entries.push({ op: "alu", kind, dst: "r15", src: "r8" });
  entries.push({ op: "alu", kind, dst: "rsp", src: "r13" });
  for (const imm of [0n, 1n, -1n, 127n, -128n, 128n, -129n, 0x7fffffffn, -0x80000000n]) {
    entries.push({ op: "alui", kind, dst: "rax", imm });
    entries.push({ op: "alui", kind, dst: "r15", imm });
  }
  entries.push({ op: "alui", kind, dst: "rsp", imm: 4096n });
  entries.push({ op: "alui", kind, dst: "rcx", imm: 0xffffffffffffffffn });
}
for (const [dst, src] of [
  ["rax", "rbx"],
  ["r15", "rax"],
  ["rax", "r15"],
  ["r11", "r11"],
]) {
  entries.push({ op: "imul", dst: dst!, src: src! });
}
for (const kind of ["shl", "shr", "sar"] as const) {
  for (const dst of ["rax", "r15", "rsp"]) {
    entries.push({ op: "shift", kind, dst });
    for (const imm of [0, 1, 2, 31, 32, 63]) entries.push({ op: "shifti", kind, dst, imm });
  }
}
for (const reg of R) {
  entries.push({ op: "push", reg });
  entries.push({ op: "pop", reg });
}
for (const target of ["back", "fwd"]) {
  entries.push({ op: "jmp", target });
  entries.push({ op: "call", target });
  for (const cond of X86_CONDITIONS) entries.push({ op: "jcc", cond, target });
}
for (const reg of ["rax", "rsp", "rbp", "r8", "r12", "r15"]) {
  entries.push({ op: "jmpr", reg });
  entries.push({ op: "callr", reg });
}
entries.push({ op: "ret" }, { op: "nop" }, { op: "ud2" });
for (const [x, base, disp] of [
  ["xmm0", "rax", 0],
  ["xmm15", "r13", 16],
  ["xmm8", "rsp", -16],
  ["xmm7", "rbp", 0],
  ["xmm1", "r12", 2147483647],
  ["xmm9", "rdi", -128],
] as const) {
  entries.push({ op: "movdquLoad", dst: x, base, disp });
  entries.push({ op: "movdquStore", src: x, base, disp });
  entries.push({ op: "movqLoad", dst: x, base, disp });
  entries.push({ op: "movqStore", src: x, base, disp });
}
for (const [base, disp] of [
  ["rax", 0],
  ["rsp", 8],
  ["rbp", 0],
  ["r12", -4],
  ["r13", 200],
  ["r15", -2147483648],
] as const) {
  for (const op of ["ldmxcsr", "stmxcsr", "fldcw", "fnstcw"] as const) {
    entries.push({ op, base, disp });
  }
}
for (const reg of ["rax", "rsp", "r8", "r15"]) {
  for (const disp of [0, 0x30, 0x1480, -8, 2147483647, -2147483648]) {
    entries.push({ op: "loadGs", dst: reg, disp });
    entries.push({ op: "storeGs", src: reg, disp });
  }
}

/** Every corpus instruction, in order. */
export const x86Corpus: readonly X86Instruction[] = entries;

/** The corpus with its two branch-target labels, ready for `assemble` at address 0. */
export function x86CorpusItems(): (X86Instruction | LabelItem)[] {
  return [{ op: "label", name: "back" }, ...entries, { op: "label", name: "fwd" }];
}
