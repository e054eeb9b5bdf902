/**
 * GNU assembler text for RV64G instruction lists.
 *
 * Why base mnemonics: GNU `as` expands pseudo-instructions (`li`, `la`,
 * `call`, `j`) into sequences of its own choosing, and with compressed
 * instructions enabled it would shorten what it can. The formatter prints the
 * base instruction that names exactly one encoding (`addi`, `jal zero, x`,
 * `jalr zero, 0(t6)`), and {@link RV_ASM_PROLOGUE} turns compression off, so
 * that assembling the text gives the encoder's bytes, word for word. That is
 * what the golden tests check. The one deliberate exception is `nop`, which
 * names the single encoding `addi zero, zero, 0`. The long forms of branches
 * (`via`) print as the instructions they are, the inverted branch skipping
 * `. + 8` or `. + 12`.
 *
 * `la` prints as the pair `auipc rd, %pcrel_hi(label)` /
 * `addi rd, rd, %pcrel_lo(1b)`: `%pcrel_lo` must name the auipc's own
 * address, and a numeric local label (`1:`, referenced as `1b`) gives it one
 * without inventing names that could clash across routines. Branch offsets
 * that are numbers print as `. + n`, an offset from the instruction itself.
 *
 * `.option norelax` does not make `as` resolve PC-relative pairs by itself
 * (binutils 2.40 still emits `R_RISCV_PCREL_HI20`/`LO12_I` relocations); it
 * keeps the linker from rewriting the pair, so that the linked bytes are the
 * encoder's bytes.
 *
 * @module
 */
import { formatListing } from "../format-listing.js";
import { formatTable } from "../table.js";
import type { RvInstruction, RvItem, RvTarget } from "./instructions.js";
import { rvFloatName as fr, RV_CSRS, rvIntegerName as r } from "./registers.js";

/**
 * Directives that make {@link rvFormat}'s output assemble with
 * `riscv64-linux-gnu-as -march=rv64g` to exactly the encoder's bytes: no
 * compressed instructions, no linker relaxation.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.asmPrologue); // ".option norvc\n.option norelax"
 * ```
 */
export const RV_ASM_PROLOGUE = ".option norvc\n.option norelax";

const CSR_NAMES = new Map<number, string>(Object.entries(RV_CSRS).map(([k, v]) => [v, k]));

function target(t: RvTarget): string {
  if (typeof t === "string") return t;
  return t < 0 ? `. - ${-t}` : `. + ${t}`;
}

const INVERSE = {
  beq: "bne",
  bne: "beq",
  blt: "bge",
  bge: "blt",
  bltu: "bgeu",
  bgeu: "bltu",
} as const;

/** The `auipc` + `jalr` of a long jump, anchored like `la` at the local label `1:`. */
function farJump(rd: string, scratch: string, to: RvTarget): string {
  const t = target(to);
  return `1:\nauipc ${scratch}, %pcrel_hi(${t})\njalr ${rd}, %pcrel_lo(1b)(${scratch})`;
}

/**
 * One instruction as GNU assembler text without indentation. Every
 * instruction is one line, except `la`, which is a local label line `1:`
 * followed by its auipc and addi lines (separated by `\n`).
 *
 * @example
 * ```ts
 * import { rvFormatInstruction } from "./format.js";
 * console.log(rvFormatInstruction({ op: "jalr", rd: "zero", rs1: "x31", offset: 0 }));
 * // "jalr zero, 0(t6)"
 * ```
 */
export function rvFormatInstruction(instr: RvInstruction): string {
  switch (instr.op) {
    case "lui":
    case "auipc":
      return `${instr.op} ${r(instr.rd)}, ${instr.imm}`;
    case "addi":
    case "addiw":
    case "slti":
    case "sltiu":
    case "andi":
    case "ori":
    case "xori":
      return `${instr.op} ${r(instr.rd)}, ${r(instr.rs1)}, ${instr.imm}`;
    case "slli":
    case "srli":
    case "srai":
      return `${instr.op} ${r(instr.rd)}, ${r(instr.rs1)}, ${instr.shamt}`;
    case "add":
    case "sub":
    case "and":
    case "or":
    case "xor":
    case "sll":
    case "srl":
    case "sra":
    case "slt":
    case "sltu":
    case "mul":
      return `${instr.op} ${r(instr.rd)}, ${r(instr.rs1)}, ${r(instr.rs2)}`;
    case "lb":
    case "lbu":
    case "lh":
    case "lhu":
    case "lw":
    case "lwu":
    case "ld":
      return `${instr.op} ${r(instr.rd)}, ${instr.offset}(${r(instr.rs1)})`;
    case "sb":
    case "sh":
    case "sw":
    case "sd":
      return `${instr.op} ${r(instr.rs2)}, ${instr.offset}(${r(instr.rs1)})`;
    case "fld":
      return `fld ${fr(instr.rd)}, ${instr.offset}(${r(instr.rs1)})`;
    case "fsd":
      return `fsd ${fr(instr.rs2)}, ${instr.offset}(${r(instr.rs1)})`;
    case "beq":
    case "bne":
    case "blt":
    case "bge":
    case "bltu":
    case "bgeu": {
      const operands = `${r(instr.rs1)}, ${r(instr.rs2)}`;
      if (instr.via === undefined) return `${instr.op} ${operands}, ${target(instr.target)}`;
      const inverse = INVERSE[instr.op];
      if (instr.via === "jal")
        return `${inverse} ${operands}, . + 8\njal zero, ${target(instr.target)}`;
      return `${inverse} ${operands}, . + 12\n${farJump("zero", "t6", instr.target)}`;
    }
    case "jal": {
      const rd = r(instr.rd);
      if (instr.via === undefined) return `jal ${rd}, ${target(instr.target)}`;
      return farJump(rd, rd === "zero" ? "t6" : rd, instr.target);
    }
    case "jalr":
      return `jalr ${r(instr.rd)}, ${instr.offset}(${r(instr.rs1)})`;
    case "csrrw":
    case "csrrs":
    case "csrrc":
      return `${instr.op} ${r(instr.rd)}, ${CSR_NAMES.get(instr.csr) ?? instr.csr}, ${r(instr.rs1)}`;
    case "la": {
      const rd = r(instr.rd);
      return `1:\nauipc ${rd}, %pcrel_hi(${instr.target})\naddi ${rd}, ${rd}, %pcrel_lo(1b)`;
    }
    case "ebreak":
      return "ebreak";
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
 * addon), where `auipc` + `addi` or `jal` to a symbol that may bind
 * externally is rejected (`R_RISCV_PCREL_HI20` against a preemptible symbol).
 * A hidden symbol is still global to every object of the link but cannot be
 * preempted, so the linker resolves those references.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.format([{ op: "label", name: "f", global: true }, { op: "jalr", rd: "zero", rs1: "ra", offset: 0 }]));
 * // ".globl f\n.hidden f\nf:\n  jalr zero, 0(ra)\n"
 * ```
 */
export function rvFormat(items: readonly RvItem[]): string {
  return formatListing(items, rvFormatInstruction, { hideGlobals: true });
}
