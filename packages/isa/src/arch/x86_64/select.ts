/**
 * Instruction selection for x86-64: LIR operations to instructions.
 *
 * Why the scratch registers are `r11` and `rcx`: x86-64 arithmetic is
 * two-operand (`dst op= src`), immediates are at most a sign-extended 32 bits
 * (only `mov` takes 64), and variable shifts take their count in `cl`. So a
 * three-operand LIR `alu` needs a copy, a wide immediate needs a register to
 * hold it, and a shift by a register needs rcx. r11 is a temporary in both the
 * System V and the Windows ABI (never an argument, never callee-saved), and
 * rcx is clobbered by every variable shift anyway.
 *
 * Selection must stay correct when an operand names a scratch register (a
 * routine may `pop rcx; jmp rcx`) or when `dst` equals `a` or `b`; each case
 * below says how it avoids overwriting an input before reading it.
 *
 * Narrow loads write the 32-bit register (`mov eax, dword ptr [m]`, `movzx
 * eax, word ptr [m]`), which the processor zero-extends to 64 bits.
 *
 * Control state: `loadctl`/`storectl` move the native width only (MXCSR 4
 * bytes with `ldmxcsr`/`stmxcsr`, the x87 control word 2 bytes with
 * `fldcw`/`fnstcw`) at the start of the 8-byte slot; the slot's other bytes
 * are neither read nor written.
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { AluKind, Cond, LirOp, Reg } from "../../lir/lir.js";
import type { LabelItem } from "../arch.js";
import type { X86AluKind, X86Condition, X86Instruction, X86ShiftKind } from "./instructions.js";
import { fitsInt32 } from "./operands.js";
import { x86IntegerNumber, x86XmmNumber } from "./registers.js";

type Item = X86Instruction | LabelItem;

const SCRATCH = "r11";
const COUNT = "rcx";

const CONDITION: Record<Cond, X86Condition> = {
  eq: "e",
  ne: "ne",
  lt: "l",
  le: "le",
  gt: "g",
  ge: "ge",
  ltu: "b",
  leu: "be",
  gtu: "a",
  geu: "ae",
};

const MIN64 = -(1n << 63n);
const LIMIT64 = 1n << 64n;

function integer(name: Reg): Reg {
  x86IntegerNumber(name);
  return name;
}

function xmm(name: Reg): Reg {
  x86XmmNumber(name);
  return name;
}

/** A LIR immediate as a signed 64-bit value; any bigint in [-2^63, 2^64) is accepted. */
function imm64(op: LirOp, what: string, value: bigint): bigint {
  if (typeof value !== "bigint" || value < MIN64 || value >= LIMIT64) {
    throw new IsaError(
      "OPERAND_OUT_OF_RANGE",
      `x86_64 select ${op.op}: ${what} = ${value} is not a 64-bit value (-2^63 to 2^64-1)`,
    );
  }
  return BigInt.asIntN(64, value);
}

function offset(op: LirOp, value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new IsaError(
      "OPERAND_OUT_OF_RANGE",
      `x86_64 select ${op.op}: offset ${value} is not an integer`,
    );
  }
  return value;
}

function mov(out: Item[], dst: Reg, src: Reg): void {
  if (dst !== src) out.push({ op: "mov", dst, src });
}

function isShift(kind: AluKind): kind is X86ShiftKind {
  return kind === "shl" || kind === "shr" || kind === "sar";
}

/** `dst op= src` for a two-operand kind. */
function twoOperand(out: Item[], kind: AluKind, dst: Reg, src: Reg): void {
  if (kind === "mul") out.push({ op: "imul", dst, src });
  else out.push({ op: "alu", kind: kind as X86AluKind, dst, src });
}

/** `dst = a <kind> b` with registers, for any aliasing of dst, a and b. */
function selectAlu(out: Item[], kind: AluKind, dst: Reg, a: Reg, b: Reg): void {
  if (isShift(kind)) {
    selectShift(out, kind, dst, a, b);
    return;
  }
  if (dst === a) {
    twoOperand(out, kind, dst, b);
  } else if (dst !== b) {
    mov(out, dst, a);
    twoOperand(out, kind, dst, b);
  } else if (kind === "sub") {
    // dst == b: dst = b - a, then negate (not + 1) to get a - b, no scratch needed.
    out.push({ op: "alu", kind: "sub", dst, src: a });
    out.push({ op: "alui", kind: "xor", dst, imm: -1n });
    out.push({ op: "alui", kind: "add", dst, imm: 1n });
  } else {
    // dst == b and the operation commutes.
    twoOperand(out, kind, dst, a);
  }
}

/** `dst = a <shift> b` with the count in cl. */
function selectShift(out: Item[], kind: X86ShiftKind, dst: Reg, a: Reg, b: Reg): void {
  if (dst !== COUNT && dst !== b) {
    // Copy a first (a may be rcx), then the count; dst survives the count move.
    mov(out, dst, a);
    mov(out, COUNT, b);
    out.push({ op: "shift", kind, dst });
    return;
  }
  // dst is rcx or b: shift in r11 and copy the result out.
  if (b !== SCRATCH) {
    mov(out, SCRATCH, a);
    mov(out, COUNT, b);
  } else if (a !== COUNT) {
    mov(out, COUNT, b);
    mov(out, SCRATCH, a);
  } else {
    // a is rcx and b is r11: swap them through the stack.
    out.push({ op: "push", reg: COUNT });
    out.push({ op: "mov", dst: COUNT, src: SCRATCH });
    out.push({ op: "pop", reg: SCRATCH });
  }
  out.push({ op: "shift", kind, dst: SCRATCH });
  mov(out, dst, SCRATCH);
}

/** `dst = a <kind> imm` for any 64-bit immediate. */
function selectAluImm(out: Item[], op: LirOp, kind: AluKind, dst: Reg, a: Reg, imm: bigint): void {
  const v = imm64(op, "imm", imm);
  if (isShift(kind)) {
    mov(out, dst, a);
    out.push({ op: "shifti", kind, dst, imm: Number(v & 63n) });
    return;
  }
  if (kind !== "mul" && fitsInt32(v)) {
    mov(out, dst, a);
    out.push({ op: "alui", kind: kind as X86AluKind, dst, imm: v });
    return;
  }
  // Build the immediate in a scratch register that is not `a`.
  const scratch = a === SCRATCH ? COUNT : SCRATCH;
  out.push({ op: "movi", dst: scratch, imm: v });
  selectAlu(out, kind, dst, a, scratch);
}

/**
 * An address `base + offset` as a base register and a 32-bit displacement.
 * A wider offset is added to the base in a scratch register that is neither
 * the base nor `keep` (a value the access still needs).
 */
function memoryOperand(
  out: Item[],
  op: LirOp,
  base: Reg,
  off: number,
  keep: Reg | undefined,
): { base: Reg; disp: number } {
  if (off >= -(2 ** 31) && off < 2 ** 31) return { base, disp: off };
  const scratch = [SCRATCH, COUNT].find((r) => r !== base && r !== keep);
  if (scratch === undefined) {
    throw new IsaError(
      "OPERAND_OUT_OF_RANGE",
      `x86_64 select ${op.op}: offset ${off} needs a scratch register, but both r11 and rcx are operands; use a 32-bit offset or other registers`,
    );
  }
  out.push({ op: "movi", dst: scratch, imm: BigInt(off) });
  out.push({ op: "alu", kind: "add", dst: scratch, src: base });
  return { base: scratch, disp: 0 };
}

function unsupported(op: LirOp, why: string): never {
  throw new IsaError("UNSUPPORTED_INSTRUCTION", `x86_64 select ${op.op}: ${why}`);
}

/**
 * Selects x86-64 instructions for LIR operations, honouring every
 * convention of {@link LirOp}; r11 and rcx may be clobbered.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.select([{ op: "alu", kind: "sub", dst: "rax", a: "rbx", b: "rcx" }]));
 * // [{ op: "mov", dst: "rax", src: "rbx" }, { op: "alu", kind: "sub", dst: "rax", src: "rcx" }]
 * ```
 */
export function selectX86(ops: readonly LirOp[]): (X86Instruction | LabelItem)[] {
  const out: Item[] = [];
  for (const op of ops) {
    switch (op.op) {
      case "label":
        out.push(
          op.global ? { op: "label", name: op.name, global: true } : { op: "label", name: op.name },
        );
        break;
      case "mov":
        mov(out, integer(op.dst), integer(op.src));
        break;
      case "li":
        out.push({ op: "movi", dst: integer(op.dst), imm: imm64(op, "imm", op.imm) });
        break;
      case "la":
        out.push({ op: "lea", dst: integer(op.dst), label: op.label });
        break;
      case "alu":
        selectAlu(out, op.kind, integer(op.dst), integer(op.a), integer(op.b));
        break;
      case "alui":
        selectAluImm(out, op, op.kind, integer(op.dst), integer(op.a), op.imm);
        break;
      case "load": {
        const m = memoryOperand(out, op, integer(op.base), offset(op, op.offset), undefined);
        const width = op.width ?? 8;
        if (width !== 8 && width !== 4 && width !== 2) {
          throw new IsaError(
            "OPERAND_OUT_OF_RANGE",
            `x86_64 select load: width ${width} is not 8, 4 or 2`,
          );
        }
        const kind = width === 8 ? "load" : width === 4 ? "load32" : "load16";
        out.push({ op: kind, dst: integer(op.dst), ...m });
        break;
      }
      case "store": {
        const m = memoryOperand(out, op, integer(op.base), offset(op, op.offset), integer(op.src));
        out.push({ op: "store", src: op.src, ...m });
        break;
      }
      case "loadf":
      case "storef": {
        const reg = xmm(op.op === "loadf" ? op.dst : op.src);
        if (op.width !== 8 && op.width !== 16) {
          throw new IsaError(
            "OPERAND_OUT_OF_RANGE",
            `x86_64 select ${op.op}: width ${op.width} is not 8 or 16`,
          );
        }
        const m = memoryOperand(out, op, integer(op.base), offset(op, op.offset), undefined);
        if (op.op === "loadf") {
          out.push({ op: op.width === 16 ? "movdquLoad" : "movqLoad", dst: reg, ...m });
        } else {
          out.push({ op: op.width === 16 ? "movdquStore" : "movqStore", src: reg, ...m });
        }
        break;
      }
      case "loadctl":
      case "storectl": {
        if (op.control !== "mxcsr" && op.control !== "x87cw") {
          unsupported(
            op,
            `control register "${op.control}" does not exist on x86_64; use mxcsr or x87cw`,
          );
        }
        const m = memoryOperand(out, op, integer(op.base), offset(op, op.offset), undefined);
        const load = op.op === "loadctl";
        const which =
          op.control === "mxcsr" ? (load ? "ldmxcsr" : "stmxcsr") : load ? "fldcw" : "fnstcw";
        out.push({ op: which, ...m });
        break;
      }
      case "loadtls":
      case "storetls": {
        const off = offset(op, op.offset);
        if (off < -(2 ** 31) || off >= 2 ** 31) {
          throw new IsaError(
            "OPERAND_OUT_OF_RANGE",
            `x86_64 select ${op.op}: gs offset ${off} does not fit a signed 32-bit displacement`,
          );
        }
        if (op.op === "loadtls") out.push({ op: "loadGs", dst: integer(op.dst), disp: off });
        else out.push({ op: "storeGs", src: integer(op.src), disp: off });
        break;
      }
      case "pop":
        out.push({ op: "pop", reg: integer(op.dst) });
        break;
      case "br": {
        const a = integer(op.a);
        if (typeof op.b === "bigint") {
          const v = imm64(op, "b", op.b);
          if (fitsInt32(v)) {
            out.push({ op: "alui", kind: "cmp", dst: a, imm: v });
          } else {
            const scratch = a === SCRATCH ? COUNT : SCRATCH;
            out.push({ op: "movi", dst: scratch, imm: v });
            out.push({ op: "alu", kind: "cmp", dst: a, src: scratch });
          }
        } else {
          out.push({ op: "alu", kind: "cmp", dst: a, src: integer(op.b) });
        }
        const cond = CONDITION[op.cond];
        if (cond === undefined) unsupported(op, `unknown condition "${op.cond}"`);
        out.push({ op: "jcc", cond, target: op.target });
        break;
      }
      case "jmp":
        out.push({ op: "jmp", target: op.target });
        break;
      case "jr":
        out.push({ op: "jmpr", reg: integer(op.reg) });
        break;
      case "call":
        out.push({ op: "call", target: op.target });
        break;
      case "callr":
        out.push({ op: "callr", reg: integer(op.reg) });
        break;
      case "trap":
        out.push({ op: "ud2" });
        break;
      case "table":
        out.push({ op: "table", entries: op.entries });
        break;
      default:
        unsupported(op, `unknown LIR operation ${JSON.stringify((op as { op: string }).op)}`);
    }
  }
  return out;
}
