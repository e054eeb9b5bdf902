/**
 * GNU assembler text (Intel syntax) for x86-64 instruction values.
 *
 * Why the spelling matters: the golden tests assemble this text with GNU
 * `as` and compare the bytes with the encoder's, so every line must make
 * `as` choose the same encoding. Three choices force it:
 * - branches are written `{disp32} jmp label` / `{disp32} je label`: the
 *   pseudo-prefix makes `as` keep the rel32 form that the encoder always
 *   uses (otherwise it relaxes near jumps to 2 bytes); `call` has only rel32;
 * - a 64-bit immediate that does not fit a sign-extended imm32 is written
 *   `movabs`; one that fits is written `mov` (which `as` encodes `C7 /0`);
 * - memory operands carry their size (`qword ptr`, `xmmword ptr`...).
 *
 * @module
 */

import { IsaError } from "../../errors.js";
import type { LabelItem } from "../arch.js";
import { formatListing } from "../format-listing.js";
import { formatTable } from "../table.js";
import type { X86Instruction } from "./instructions.js";
import { X86_CONDITIONS } from "./instructions.js";
import {
  aluImm32,
  checkDisp,
  describeInstruction,
  fitsInt32,
  shiftCount,
  signed64,
} from "./operands.js";
import { x86IntegerNumber, x86Register32, x86XmmNumber } from "./registers.js";

/**
 * The directives that make {@link formatX86}'s text assemble with GNU `as`.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.asmPrologue); // ".intel_syntax noprefix"
 * ```
 */
export const X86_ASM_PROLOGUE = ".intel_syntax noprefix";

function int(name: string): string {
  x86IntegerNumber(name);
  return name;
}

function xmm(name: string): string {
  x86XmmNumber(name);
  return name;
}

function mem(instruction: X86Instruction, size: string, base: string, disp: number): string {
  checkDisp(instruction, "disp", disp);
  const b = int(base);
  if (disp === 0) return `${size} ptr [${b}]`;
  return `${size} ptr [${b} ${disp < 0 ? "-" : "+"} ${Math.abs(disp)}]`;
}

/**
 * One instruction as a line of Intel-syntax GNU assembler (no indentation, no
 * newline).
 *
 * @example
 * ```ts
 * import { formatX86Instruction } from "./format.js";
 * console.log(formatX86Instruction({ op: "load", dst: "rax", base: "rsp", disp: 8 }));
 * // "mov rax, qword ptr [rsp + 8]"
 * ```
 */
export function formatX86Instruction(instruction: X86Instruction): string {
  const i = instruction;
  switch (i.op) {
    case "mov":
      return `mov ${int(i.dst)}, ${int(i.src)}`;
    case "movi": {
      const v = signed64(i, "imm", i.imm);
      return fitsInt32(v)
        ? `mov ${int(i.dst)}, ${v}`
        : `movabs ${int(i.dst)}, 0x${BigInt.asUintN(64, v).toString(16)}`;
    }
    case "load":
      return `mov ${int(i.dst)}, ${mem(i, "qword", i.base, i.disp)}`;
    case "store":
      return `mov ${mem(i, "qword", i.base, i.disp)}, ${int(i.src)}`;
    case "load32":
      return `mov ${x86Register32(i.dst)}, ${mem(i, "dword", i.base, i.disp)}`;
    case "load16":
      return `movzx ${x86Register32(i.dst)}, ${mem(i, "word", i.base, i.disp)}`;
    case "lea":
      return `lea ${int(i.dst)}, [rip + ${i.label}]`;
    case "alu":
      return `${i.kind} ${int(i.dst)}, ${int(i.src)}`;
    case "alui":
      return `${i.kind} ${int(i.dst)}, ${aluImm32(i, i.imm)}`;
    case "imul":
      return `imul ${int(i.dst)}, ${int(i.src)}`;
    case "shift":
      return `${i.kind} ${int(i.dst)}, cl`;
    case "shifti":
      return `${i.kind} ${int(i.dst)}, ${shiftCount(i, i.imm)}`;
    case "push":
    case "pop":
      return `${i.op} ${int(i.reg)}`;
    case "jmp":
      return `{disp32} jmp ${i.target}`;
    case "jcc":
      if (!X86_CONDITIONS.includes(i.cond)) {
        throw new IsaError(
          "UNSUPPORTED_INSTRUCTION",
          `x86_64 jcc: unknown condition "${i.cond}"; use one of ${X86_CONDITIONS.join(", ")}`,
        );
      }
      return `{disp32} j${i.cond} ${i.target}`;
    case "call":
      return `call ${i.target}`;
    case "jmpr":
      return `jmp ${int(i.reg)}`;
    case "callr":
      return `call ${int(i.reg)}`;
    case "ret":
    case "nop":
    case "ud2":
      return i.op;
    case "movdquLoad":
      return `movdqu ${xmm(i.dst)}, ${mem(i, "xmmword", i.base, i.disp)}`;
    case "movdquStore":
      return `movdqu ${mem(i, "xmmword", i.base, i.disp)}, ${xmm(i.src)}`;
    case "movqLoad":
      return `movq ${xmm(i.dst)}, ${mem(i, "qword", i.base, i.disp)}`;
    case "movqStore":
      return `movq ${mem(i, "qword", i.base, i.disp)}, ${xmm(i.src)}`;
    case "ldmxcsr":
    case "stmxcsr":
      return `${i.op} ${mem(i, "dword", i.base, i.disp)}`;
    case "fldcw":
    case "fnstcw":
      return `${i.op} ${mem(i, "word", i.base, i.disp)}`;
    case "loadGs":
      return `mov ${int(i.dst)}, qword ptr gs:[${checkDisp(i, "disp", i.disp)}]`;
    case "storeGs":
      return `mov qword ptr gs:[${checkDisp(i, "disp", i.disp)}], ${int(i.src)}`;
    case "table":
      return formatTable(i.entries);
    default:
      throw new IsaError(
        "UNSUPPORTED_INSTRUCTION",
        `x86_64: instruction ${describeInstruction(i)} is outside the supported subset; see X86Instruction`,
      );
  }
}

/**
 * GNU assembler text for instructions and labels: one instruction per line,
 * indented; a label as `name:`, preceded by `.globl name` when global.
 * Prepend {@link X86_ASM_PROLOGUE} to assemble it.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.format([{ op: "label", name: "f", global: true }, { op: "ret" }]));
 * // ".globl f\nf:\n  ret\n"
 * ```
 */
export function formatX86(items: readonly (X86Instruction | LabelItem)[]): string {
  return formatListing(items, formatX86Instruction, { hideGlobals: false });
}
