/**
 * GNU assembler text for AArch64 instruction lists.
 *
 * Why exact mnemonics: GNU `as` picks encodings by itself for some spellings
 * (`ldr x0, [x1, #-8]` silently becomes `ldur`, `mov x0, #imm` becomes
 * whichever of movz/movn/orr fits). The formatter therefore prints the
 * mnemonic that names exactly one encoding (`ldur`, `movz`, `lslv`), so that
 * assembling the text gives the encoder's bytes, word for word. That is what
 * the golden tests check. Immediates print in decimal, registers canonically.
 *
 * The long forms of branch relaxation print as what they are: `b.cond`
 * inverted over `. + 8` and a `b`; the long `adr` with its distance as an
 * expression that `as` resolves, from the label to the local label `1:` on
 * the `adr` itself.
 *
 * @module
 */
import { formatListing } from "../format-listing.js";
import { formatTable } from "../table.js";
import { A64_CONDITIONS, type A64Instruction, type A64Item } from "./instructions.js";
import { a64CanonicalRegister as r } from "./registers.js";

/**
 * Directives that make {@link a64Format}'s output assemble with
 * `aarch64-linux-gnu-as`: the base ARMv8-A instruction set.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.asmPrologue); // ".arch armv8-a"
 * ```
 */
export const A64_ASM_PROLOGUE = ".arch armv8-a";

function shifted(instr: { shift?: string; amount?: number }): string {
  const amount = instr.amount ?? 0;
  const shift = instr.shift ?? "lsl";
  return amount === 0 && shift === "lsl" ? "" : `, ${shift} #${amount}`;
}

function lsl12(instr: { lsl12?: boolean }): string {
  return instr.lsl12 ? ", lsl #12" : "";
}

function address(rn: string, offset: number): string {
  return offset === 0 ? `[${r(rn)}]` : `[${r(rn)}, #${offset}]`;
}

/**
 * One instruction as a line of GNU assembler text (no indentation).
 *
 * @example
 * ```ts
 * import { a64FormatInstruction } from "./format.js";
 * console.log(a64FormatInstruction({ op: "addi", rd: "sp", rn: "sp", imm: 1, lsl12: true }));
 * // "add sp, sp, #1, lsl #12"
 * ```
 */
export function a64FormatInstruction(instr: A64Instruction): string {
  switch (instr.op) {
    case "movz":
    case "movk":
    case "movn":
      return `${instr.op} ${r(instr.rd)}, #${instr.imm}${instr.shift ? `, lsl #${instr.shift}` : ""}`;
    case "mov":
      return `mov ${r(instr.rd)}, ${r(instr.rn)}`;
    case "addi":
    case "subi":
    case "addsi":
    case "subsi":
      return `${instr.op.slice(0, -1)} ${r(instr.rd)}, ${r(instr.rn)}, #${instr.imm}${lsl12(instr)}`;
    case "cmpi":
    case "cmni":
      return `${instr.op.slice(0, -1)} ${r(instr.rn)}, #${instr.imm}${lsl12(instr)}`;
    case "add":
    case "sub":
    case "adds":
    case "subs":
    case "and":
    case "orr":
    case "eor":
    case "ands":
      return `${instr.op} ${r(instr.rd)}, ${r(instr.rn)}, ${r(instr.rm)}${shifted(instr)}`;
    case "cmp":
      return `cmp ${r(instr.rn)}, ${r(instr.rm)}${shifted(instr)}`;
    case "mul":
    case "lslv":
    case "lsrv":
    case "asrv":
      return `${instr.op} ${r(instr.rd)}, ${r(instr.rn)}, ${r(instr.rm)}`;
    case "lsli":
    case "lsri":
    case "asri":
      return `${instr.op.slice(0, -1)} ${r(instr.rd)}, ${r(instr.rn)}, #${instr.amount}`;
    case "ldr":
    case "str":
    case "ldur":
    case "stur":
    case "ldrh":
    case "ldurh":
      return `${instr.op} ${r(instr.rt)}, ${address(instr.rn, instr.offset)}`;
    case "b":
    case "bl":
      return `${instr.op} ${instr.target}`;
    case "bcond":
      if (instr.far) {
        const inverse = A64_CONDITIONS[A64_CONDITIONS.indexOf(instr.cond) ^ 1];
        return `b.${inverse} . + 8\nb ${instr.target}`;
      }
      return `b.${instr.cond} ${instr.target}`;
    case "br":
    case "blr":
      return `${instr.op} ${r(instr.rn)}`;
    case "ret":
      return instr.rn === undefined || r(instr.rn) === "x30" ? "ret" : `ret ${r(instr.rn)}`;
    case "adr": {
      const rd = r(instr.rd);
      if (!instr.far) return `adr ${rd}, ${instr.target}`;
      // The distance from the adr (local label 1) to the target, built 16 bits at a time.
      const s = rd === "x16" ? "17" : "16";
      const d = `(${instr.target} - 1f)`;
      return [
        `movz x${s}, #(${d} & 0xffff)`,
        `movk x${s}, #((${d} >> 16) & 0xffff), lsl #16`,
        "1:",
        `adr ${rd}, .`,
        `add ${rd}, ${rd}, w${s}, sxtw`,
      ].join("\n");
    }
    case "mrs":
      return `mrs ${r(instr.rt)}, ${instr.sysreg}`;
    case "msr":
      return `msr ${instr.sysreg}, ${r(instr.rt)}`;
    case "brk":
      return `brk #${instr.imm}`;
    case "table":
      return formatTable(instr.entries);
    case "nop":
      return "nop";
  }
  return `.error "unsupported instruction ${(instr as { op: string }).op}"`;
}

/**
 * GNU assembler text for instructions and labels: one instruction per
 * indented line, labels as `name:` lines, a global label preceded by
 * `.globl name` and `.hidden name`.
 *
 * Why hidden: the routines are linked into a shared object (the native
 * addon), and `adr` or a branch to a symbol that may bind externally is
 * rejected there (R_AARCH64_ADR_PREL_LO21 "can not be used when making a
 * shared object"). A hidden symbol is still global to every object of the
 * link but cannot be preempted, so the linker resolves those references.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.format([{ op: "label", name: "f", global: true }, { op: "ret" }]));
 * // ".globl f\n.hidden f\nf:\n  ret\n"
 * ```
 */
export function a64Format(items: readonly A64Item[]): string {
  return formatListing(items, a64FormatInstruction, { hideGlobals: true });
}
