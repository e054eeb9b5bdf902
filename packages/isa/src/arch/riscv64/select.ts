/**
 * Instruction selection for RV64G: LIR operations to instructions.
 *
 * Why `t6` and `t5` are the scratch registers: RISC-V immediates are 12 bits
 * (20 for lui/auipc), so a wide immediate, a far memory offset or a branch
 * against a constant needs a register to build the value in. t5 and t6 are
 * temporaries in the LP64D ABI (never arguments, never callee-saved), the
 * last two in encoding order, so routines never expect to keep values there.
 * t6 is the first choice; t5 steps in when an operand of the same operation
 * is t6 itself.
 *
 * Why the shapes: a conditional branch (B-type) reaches only ±4 KiB, so
 * every LIR `br` is selected in its `jal` form, the inverted branch over a
 * `jal zero, target` (±1 MiB), 8 bytes; branch relaxation in the assembler
 * gives it the `auipc` + `jalr` form where the target lies farther (and a
 * `jmp` or `call` likewise). `la` is always the auipc + addi pair (±2 GiB).
 * Constants, whose values are known at selection time, take the shortest
 * sequence of the classic recursive lui/addiw/slli/addi decomposition (1 to
 * 8 instructions).
 *
 * ```
 *   br lt a0, a1, target  ─►  blt a0, a1, target via jal:
 *                               bge a0, a1, . + 8     ; not taken: skip the jump
 *                               jal zero, target
 * ```
 *
 * Narrow loads are `lwu` and `lhu`, the zero-extending forms.
 *
 * Control state: `loadctl fcsr` reads the 8-byte slot into t6 and writes it
 * with `csrrw`; `storectl fcsr` reads fcsr (zero-extended) with `csrrs` and
 * stores all 8 bytes.
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { AluKind, Cond, LirOp, Reg } from "../../lir/lir.js";
import type { LabelItem } from "../arch.js";
import type { RvBranchOp, RvInstruction, RvItem, RvRegOp } from "./instructions.js";
import { RV_CSRS, rvFloatNumber, rvIntegerNumber } from "./registers.js";

const SCRATCH = "t6";
const SCRATCH2 = "t5";
const MIN64 = -(1n << 63n);
const LIMIT64 = 1n << 64n;

const REG_OP: Record<AluKind, RvRegOp> = {
  add: "add",
  sub: "sub",
  mul: "mul",
  and: "and",
  or: "or",
  xor: "xor",
  shl: "sll",
  shr: "srl",
  sar: "sra",
};

/** For each condition, the branch that is taken when it holds, and whether its operands are swapped. */
const TAKEN: Record<Cond, [RvBranchOp, boolean]> = {
  eq: ["beq", false],
  ne: ["bne", false],
  lt: ["blt", false],
  ge: ["bge", false],
  gt: ["blt", true], // a > b is b < a
  le: ["bge", true], // a <= b is b >= a
  ltu: ["bltu", false],
  geu: ["bgeu", false],
  gtu: ["bltu", true],
  leu: ["bgeu", true],
};

function integer(name: Reg): Reg {
  rvIntegerNumber(name);
  return name;
}

function float(name: Reg): Reg {
  rvFloatNumber(name);
  return name;
}

function fits12(v: bigint): boolean {
  return v >= -2048n && v <= 2047n;
}

/** A LIR immediate as a signed 64-bit value; any bigint in [-2^63, 2^64) is accepted. */
function imm64(op: LirOp, what: string, value: bigint): bigint {
  if (typeof value !== "bigint" || value < MIN64 || value >= LIMIT64) {
    throw new IsaError(
      "OPERAND_OUT_OF_RANGE",
      `riscv64 select ${op.op}: ${what} = ${value} is not a 64-bit value (-2^63 to 2^64-1)`,
    );
  }
  return BigInt.asIntN(64, value);
}

function offset(op: LirOp, value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new IsaError(
      "OPERAND_OUT_OF_RANGE",
      `riscv64 select ${op.op}: offset ${value} is not an integer`,
    );
  }
  return value;
}

function unsupported(op: LirOp, why: string): never {
  throw new IsaError("UNSUPPORTED_INSTRUCTION", `riscv64 select ${op.op}: ${why}`);
}

/** A scratch register that is none of `avoid` (operands of `op` that are still needed). */
function scratchAvoiding(op: LirOp, ...avoid: Reg[]): Reg {
  const taken = new Set(avoid.map((r) => rvIntegerNumber(r)));
  if (!taken.has(rvIntegerNumber(SCRATCH))) return SCRATCH;
  if (!taken.has(rvIntegerNumber(SCRATCH2))) return SCRATCH2;
  throw new IsaError(
    "OPERAND_OUT_OF_RANGE",
    `riscv64 select ${op.op}: operands ${avoid.join(", ")} occupy both scratch registers (t6, t5) that a wide immediate or far offset needs; use another register or an offset within -2048..2047`,
  );
}

function trailingZeros(v: bigint): bigint {
  let n = 0n;
  while ((v & 1n) === 0n) {
    v >>= 1n;
    n++;
  }
  return n;
}

/**
 * `rd = v` for a signed 64-bit `v`: lui + addiw for 32-bit values (addiw,
 * not addi, so that values just below 2^31 whose rounded upper part is
 * 0x80000 come out right), otherwise the value without its low 12 bits is
 * built recursively with its trailing zeros shifted out, then shifted back
 * and the low 12 bits added.
 */
function loadImmediate(out: RvInstruction[], rd: Reg, v: bigint): void {
  const lo = BigInt.asIntN(12, v);
  if (v >= -(1n << 31n) && v < 1n << 31n) {
    const hi = Number(((v - lo) >> 12n) & 0xfffffn);
    if (hi !== 0) {
      out.push({ op: "lui", rd, imm: hi });
      if (lo !== 0n) out.push({ op: "addiw", rd, rs1: rd, imm: Number(lo) });
    } else {
      out.push({ op: "addi", rd, rs1: "zero", imm: Number(lo) });
    }
    return;
  }
  let hi = (v - lo) >> 12n;
  const zeros = trailingZeros(hi);
  hi >>= zeros;
  loadImmediate(out, rd, hi);
  out.push({ op: "slli", rd, rs1: rd, shamt: Number(zeros + 12n) });
  if (lo !== 0n) out.push({ op: "addi", rd, rs1: rd, imm: Number(lo) });
}

/** `dst = a <kind> imm` for any 64-bit immediate. */
function aluImmediate(
  out: RvInstruction[],
  op: LirOp,
  kind: AluKind,
  dst: Reg,
  a: Reg,
  v: bigint,
): void {
  switch (kind) {
    case "shl":
    case "shr":
    case "sar": {
      const op = kind === "shl" ? "slli" : kind === "shr" ? "srli" : "srai";
      out.push({ op, rd: dst, rs1: a, shamt: Number(v & 63n) });
      return;
    }
    case "add":
      if (fits12(v)) {
        out.push({ op: "addi", rd: dst, rs1: a, imm: Number(v) });
        return;
      }
      break;
    case "sub": {
      const neg = BigInt.asIntN(64, -v);
      if (fits12(neg)) {
        out.push({ op: "addi", rd: dst, rs1: a, imm: Number(neg) });
        return;
      }
      break;
    }
    case "and":
    case "or":
    case "xor":
      if (fits12(v)) {
        out.push({ op: `${kind}i`, rd: dst, rs1: a, imm: Number(v) });
        return;
      }
      break;
  }
  const scratch = scratchAvoiding(op, a);
  loadImmediate(out, scratch, v);
  out.push({ op: REG_OP[kind], rd: dst, rs1: a, rs2: scratch });
}

/**
 * An address `base + offset` as a base register and a 12-bit offset; a far
 * offset is added to base in a scratch register that is none of `avoid`.
 */
function address(
  out: RvInstruction[],
  op: LirOp,
  base: Reg,
  off: number,
  ...avoid: Reg[]
): { rs1: Reg; offset: number } {
  if (off >= -2048 && off <= 2047) return { rs1: base, offset: off };
  const scratch = scratchAvoiding(op, ...avoid);
  const v = BigInt(off);
  const lo = BigInt.asIntN(12, v);
  loadImmediate(out, scratch, v - lo);
  out.push({ op: "add", rd: scratch, rs1: scratch, rs2: base });
  return { rs1: scratch, offset: Number(lo) };
}

/**
 * Selects RV64G instructions for LIR operations, honouring every convention
 * of {@link LirOp}; t5 and t6 may be clobbered. `loadtls`, `storetls` and
 * `pop` do not exist on RISC-V and throw an IsaError
 * `UNSUPPORTED_INSTRUCTION`, as do control registers other than `fcsr`;
 * `loadf`/`storef` accept width 8 only (the f registers are 64 bits).
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.select([{ op: "li", dst: "a0", imm: 0x12345678n }]));
 * // [{ op: "lui", rd: "a0", imm: 74565 }, { op: "addiw", rd: "a0", rs1: "a0", imm: 1656 }]
 * ```
 */
export function rvSelect(ops: readonly LirOp[]): RvItem[] {
  const out: RvItem[] = [];
  const code = out as RvInstruction[];
  for (const op of ops) {
    switch (op.op) {
      case "label":
        out.push(
          op.global
            ? ({ op: "label", name: op.name, global: true } as LabelItem)
            : ({ op: "label", name: op.name } as LabelItem),
        );
        break;
      case "mov":
        if (rvIntegerNumber(op.dst) !== rvIntegerNumber(op.src)) {
          code.push({ op: "addi", rd: op.dst, rs1: op.src, imm: 0 });
        }
        break;
      case "li":
        loadImmediate(code, integer(op.dst), imm64(op, "imm", op.imm));
        break;
      case "la":
        code.push({ op: "la", rd: integer(op.dst), target: op.label });
        break;
      case "alu": {
        const kind = REG_OP[op.kind];
        if (kind === undefined) unsupported(op, `unknown kind "${op.kind}"`);
        code.push({ op: kind, rd: integer(op.dst), rs1: integer(op.a), rs2: integer(op.b) });
        break;
      }
      case "alui":
        if (REG_OP[op.kind] === undefined) unsupported(op, `unknown kind "${op.kind}"`);
        aluImmediate(code, op, op.kind, integer(op.dst), integer(op.a), imm64(op, "imm", op.imm));
        break;
      case "load": {
        const dst = integer(op.dst);
        const width = op.width ?? 8;
        const kind = width === 8 ? "ld" : width === 4 ? "lwu" : width === 2 ? "lhu" : undefined;
        if (kind === undefined) {
          throw new IsaError(
            "OPERAND_OUT_OF_RANGE",
            `riscv64 select load: width ${width} is not 8, 4 or 2`,
          );
        }
        const m = address(code, op, integer(op.base), offset(op, op.offset), op.base);
        code.push({ op: kind, rd: dst, ...m });
        break;
      }
      case "store": {
        const src = integer(op.src);
        const m = address(code, op, integer(op.base), offset(op, op.offset), op.base, src);
        code.push({ op: "sd", rs2: src, ...m });
        break;
      }
      case "loadf":
      case "storef": {
        const reg = float(op.op === "loadf" ? op.dst : op.src);
        if (op.width !== 8) {
          throw new IsaError(
            "OPERAND_OUT_OF_RANGE",
            `riscv64 select ${op.op}: width ${op.width} is not 8; RISC-V f registers are 8 bytes wide`,
          );
        }
        const m = address(code, op, integer(op.base), offset(op, op.offset), op.base);
        if (op.op === "loadf") code.push({ op: "fld", rd: reg, ...m });
        else code.push({ op: "fsd", rs2: reg, ...m });
        break;
      }
      case "loadctl":
      case "storectl": {
        if (op.control !== "fcsr") {
          unsupported(op, `control register "${op.control}" does not exist on riscv64; use fcsr`);
        }
        const base = integer(op.base);
        const off = offset(op, op.offset);
        if (op.op === "loadctl") {
          // The address is used before t6 is loaded, so any scratch register will do.
          const m = address(code, op, base, off, base);
          code.push({ op: "ld", rd: SCRATCH, ...m });
          code.push({ op: "csrrw", rd: "zero", csr: RV_CSRS.fcsr, rs1: SCRATCH });
        } else {
          // Build the address first: once it is in a scratch register, base is no
          // longer needed and the value may go into the other scratch register.
          const m = address(code, op, base, off, base);
          const value = scratchAvoiding(op, m.rs1);
          code.push({ op: "csrrs", rd: value, csr: RV_CSRS.fcsr, rs1: "zero" });
          code.push({ op: "sd", rs2: value, ...m });
        }
        break;
      }
      case "loadtls":
      case "storetls":
        unsupported(op, "thread-local words at gs:offset exist only on x86_64");
        break;
      case "pop":
        unsupported(op, "riscv64 has no pop; calls leave the return address in ra");
        break;
      case "br": {
        const a = integer(op.a);
        let b: Reg;
        if (typeof op.b === "bigint") {
          const v = imm64(op, "b", op.b);
          if (v === 0n) {
            b = "zero";
          } else {
            b = scratchAvoiding(op, a);
            loadImmediate(code, b, v);
          }
        } else {
          b = integer(op.b);
        }
        const taken = TAKEN[op.cond];
        if (taken === undefined) unsupported(op, `unknown condition "${op.cond}"`);
        const [branch, swap] = taken;
        code.push({
          op: branch,
          rs1: swap ? b : a,
          rs2: swap ? a : b,
          target: op.target,
          via: "jal",
        });
        break;
      }
      case "jmp":
        code.push({ op: "jal", rd: "zero", target: op.target });
        break;
      case "jr":
        code.push({ op: "jalr", rd: "zero", rs1: integer(op.reg), offset: 0 });
        break;
      case "call":
        code.push({ op: "jal", rd: "ra", target: op.target });
        break;
      case "callr":
        code.push({ op: "jalr", rd: "ra", rs1: integer(op.reg), offset: 0 });
        break;
      case "trap":
        code.push({ op: "ebreak" });
        break;
      case "table":
        code.push({ op: "table", entries: op.entries });
        break;
      default:
        unsupported(op, `unknown LIR operation ${JSON.stringify((op as { op: string }).op)}`);
    }
  }
  return out;
}
