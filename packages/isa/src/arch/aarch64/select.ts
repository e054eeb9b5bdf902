/**
 * Instruction selection for AArch64: portable LIR operations to instructions
 * of the subset.
 *
 * Why scratch registers: AArch64 encodes at most 16 bits of a constant per
 * instruction, 12 bits of an add/sub or compare immediate, and load/store
 * offsets that are either scaled unsigned 12-bit or signed 9-bit. Anything
 * wider is built in the intra-procedure-call registers x16 and x17 (IP0 and
 * IP1), which the procedure call standard already lets any call sequence
 * clobber:
 *
 * - x16 holds a constant built with movz/movn + movk, or a computed address;
 * - x17 holds a copy of `sp` when an instruction's register slot reads 31 as
 *   `xzr` (shifted-register add/sub, cmp, a load's or store's data), and the
 *   data of FPCR moves.
 *
 * A narrow LIR load selects `ldr w` (4 bytes) or `ldrh w` (2 bytes): writing
 * a `w` register clears the upper half of the `x` register, which is the
 * zero extension LIR asks for.
 *
 * Sizes never depend on labels: every instruction is 4 bytes and the number
 * of instructions depends only on immediates.
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { AluKind, Cond, LirOp, Reg } from "../../lir/lir.js";
import type { A64Condition, A64Instruction, A64Item } from "./instructions.js";
import { a64VRegister, a64WView } from "./registers.js";

const IP0 = "x16";
const IP1 = "x17";

/**
 * The registers {@link a64Select} may clobber: x16 and x17 (IP0, IP1).
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.reserved); // ["x16", "x17"]
 * ```
 */
export const A64_RESERVED: readonly Reg[] = [IP0, IP1];

const BRANCH_CONDITION: Record<Cond, A64Condition> = {
  eq: "eq",
  ne: "ne",
  lt: "lt",
  le: "le",
  gt: "gt",
  ge: "ge",
  ltu: "lo",
  leu: "ls",
  gtu: "hi",
  geu: "hs",
};

const REGISTER_ALU = {
  add: "add",
  sub: "sub",
  mul: "mul",
  and: "and",
  or: "orr",
  xor: "eor",
  shl: "lslv",
  shr: "lsrv",
  sar: "asrv",
} as const;

/**
 * The shortest movz/movn + movk sequence that sets `dst` to the 64-bit value
 * of `imm` (taken modulo 2^64): movz when more of the four 16-bit halves are
 * zero, movn when more are 0xffff.
 *
 * @example
 * ```ts
 * import { a64LoadImmediate } from "./select.js";
 * console.log(a64LoadImmediate("x0", -2n)); // [{ op: "movn", rd: "x0", imm: 1, shift: 0 }]
 * ```
 */
export function a64LoadImmediate(dst: Reg, imm: bigint): A64Instruction[] {
  const value = BigInt.asUintN(64, imm);
  const halves = [0, 1, 2, 3].map((i) => Number((value >> BigInt(16 * i)) & 0xffffn));
  const zeros = halves.filter((h) => h === 0).length;
  const ones = halves.filter((h) => h === 0xffff).length;
  const inverted = ones > zeros;
  const filler = inverted ? 0xffff : 0;
  const out: A64Instruction[] = [];
  halves.forEach((h, i) => {
    if (h === filler) return;
    const shift = (16 * i) as 0 | 16 | 32 | 48;
    if (out.length === 0) {
      out.push(
        inverted
          ? { op: "movn", rd: dst, imm: h ^ 0xffff, shift }
          : { op: "movz", rd: dst, imm: h, shift },
      );
    } else {
      out.push({ op: "movk", rd: dst, imm: h, shift });
    }
  });
  if (out.length === 0) out.push({ op: inverted ? "movn" : "movz", rd: dst, imm: 0, shift: 0 });
  return out;
}

function unsupported(op: string, why: string): IsaError {
  return new IsaError("UNSUPPORTED_INSTRUCTION", `aarch64: LIR operation "${op}" ${why}`);
}

function checkOffset(op: LirOp & { offset: number }): void {
  if (!Number.isSafeInteger(op.offset)) {
    throw new IsaError(
      "OPERAND_OUT_OF_RANGE",
      `aarch64: LIR ${op.op} offset ${op.offset} is not a safe integer; use a whole number of bytes`,
    );
  }
}

/**
 * A register that can appear in a slot where 31 means `xzr`: `sp` is first
 * copied to `scratch`.
 */
function readable(out: A64Item[], reg: Reg, scratch: Reg): Reg {
  if (reg !== "sp") return reg;
  out.push({ op: "mov", rd: scratch, rn: "sp" });
  return scratch;
}

/**
 * An addressing mode for `base + offset` with an access of `scale` bytes:
 * the scaled unsigned form, the unscaled signed form, or the address
 * computed into x16 (using x17 for a copy of `sp`).
 */
function address(
  out: A64Item[],
  base: Reg,
  offset: number,
  scale: number,
): { rn: Reg; offset: number; scaled: boolean } {
  if (offset >= 0 && offset % scale === 0 && offset <= 4095 * scale) {
    return { rn: base, offset, scaled: true };
  }
  if (offset >= -256 && offset <= 255) return { rn: base, offset, scaled: false };
  out.push(...a64LoadImmediate(IP0, BigInt(offset)));
  const rn = readable(out, base, IP1);
  out.push({ op: "add", rd: IP0, rn, rm: IP0 });
  return { rn: IP0, offset: 0, scaled: true };
}

function memory(
  out: A64Item[],
  load: boolean,
  rt: Reg,
  mode: { rn: Reg; offset: number; scaled: boolean },
): void {
  const op = mode.scaled ? (load ? "ldr" : "str") : load ? "ldur" : "stur";
  out.push({ op, rt, rn: mode.rn, offset: mode.offset });
}

function vector(reg: Reg, width: number, op: string): Reg {
  const v = a64VRegister(reg, `LIR ${op}`);
  if (width === 8) return `d${v.n}`;
  if (width === 16) return `q${v.n}`;
  throw new IsaError(
    "OPERAND_OUT_OF_RANGE",
    `aarch64: LIR ${op} width ${width} is not supported; use 8 (d registers) or 16 (q registers)`,
  );
}

function addSubImmediate(out: A64Item[], kind: "add" | "sub", dst: Reg, a: Reg, imm: bigint): void {
  let value = BigInt.asIntN(64, imm);
  let op: "addi" | "subi" = kind === "add" ? "addi" : "subi";
  if (value < 0n && value > -(1n << 24n)) {
    value = -value;
    op = op === "addi" ? "subi" : "addi";
  }
  if (value >= 0n && value < 1n << 24n) {
    const hi = Number(value >> 12n);
    const lo = Number(value & 0xfffn);
    if (hi !== 0) out.push({ op, rd: dst, rn: a, imm: hi, lsl12: true });
    if (lo !== 0 || hi === 0) out.push({ op, rd: dst, rn: hi !== 0 ? dst : a, imm: lo });
    return;
  }
  const src = readable(out, a, IP1);
  out.push(...a64LoadImmediate(IP0, imm));
  const target = dst === "sp" ? IP1 : dst;
  out.push({ op: kind, rd: target, rn: src, rm: IP0 });
  if (dst === "sp") out.push({ op: "mov", rd: "sp", rn: IP1 });
}

function aluImmediate(out: A64Item[], kind: AluKind, dst: Reg, a: Reg, imm: bigint): void {
  switch (kind) {
    case "add":
    case "sub":
      addSubImmediate(out, kind, dst, a, imm);
      return;
    case "shl":
    case "shr":
    case "sar": {
      const op = kind === "shl" ? "lsli" : kind === "shr" ? "lsri" : "asri";
      out.push({ op, rd: dst, rn: a, amount: Number(BigInt.asUintN(6, imm)) });
      return;
    }
    default:
      out.push(...a64LoadImmediate(IP0, imm));
      out.push({ op: REGISTER_ALU[kind], rd: dst, rn: a, rm: IP0 });
  }
}

function compare(out: A64Item[], a: Reg, b: Reg | bigint): void {
  if (typeof b !== "bigint") {
    const rm = readable(out, b, IP0);
    const rn = readable(out, a, IP1);
    out.push({ op: "cmp", rn, rm });
    return;
  }
  const value = BigInt.asIntN(64, b);
  if (value >= 0n && value < 4096n) {
    out.push({ op: "cmpi", rn: a, imm: Number(value) });
  } else if (value > 0n && value < 1n << 24n && (value & 0xfffn) === 0n) {
    out.push({ op: "cmpi", rn: a, imm: Number(value >> 12n), lsl12: true });
  } else if (value < 0n && value > -4096n) {
    out.push({ op: "cmni", rn: a, imm: Number(-value) });
  } else {
    out.push(...a64LoadImmediate(IP0, value));
    const rn = readable(out, a, IP1);
    out.push({ op: "cmp", rn, rm: IP0 });
  }
}

/**
 * Selects AArch64 instructions for LIR operations, honouring every convention
 * of {@link LirOp}. `loadtls`, `storetls` and `pop` do not exist on AArch64,
 * nor do control registers other than `fpcr`: they throw an IsaError
 * `UNSUPPORTED_INSTRUCTION`.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * const items = aarch64.select([
 *   { op: "alui", kind: "sub", dst: "sp", a: "sp", imm: 32n },
 *   { op: "store", src: "x19", base: "sp", offset: 8 },
 * ]);
 * console.log(items); // [{ op: "subi", rd: "sp", rn: "sp", imm: 32 }, { op: "str", rt: "x19", rn: "sp", offset: 8 }]
 * ```
 */
export function a64Select(ops: readonly LirOp[]): A64Item[] {
  const out: A64Item[] = [];
  for (const op of ops) {
    switch (op.op) {
      case "label":
        out.push(
          op.global ? { op: "label", name: op.name, global: true } : { op: "label", name: op.name },
        );
        break;
      case "mov":
        out.push({ op: "mov", rd: op.dst, rn: op.src });
        break;
      case "li":
        out.push(...a64LoadImmediate(op.dst, op.imm));
        break;
      case "la":
        out.push({ op: "adr", rd: op.dst, target: op.label });
        break;
      case "alu":
        out.push({ op: REGISTER_ALU[op.kind], rd: op.dst, rn: op.a, rm: op.b });
        break;
      case "alui":
        aluImmediate(out, op.kind, op.dst, op.a, op.imm);
        break;
      case "load": {
        checkOffset(op);
        const width = op.width ?? 8;
        if (width !== 8 && width !== 4 && width !== 2) {
          throw new IsaError(
            "OPERAND_OUT_OF_RANGE",
            `aarch64: LIR load width ${width} is not supported; use 8, 4 or 2`,
          );
        }
        // Register 31 is xzr in a load's Rt: the stack pointer is loaded through x17.
        const dst = op.dst === "sp" ? IP1 : op.dst;
        const mode = address(out, op.base, op.offset, width);
        if (width === 8) memory(out, true, dst, mode);
        else if (width === 4) memory(out, true, a64WView(dst, "LIR load dst"), mode);
        else {
          const rt = a64WView(dst, "LIR load dst");
          out.push({ op: mode.scaled ? "ldrh" : "ldurh", rt, rn: mode.rn, offset: mode.offset });
        }
        if (op.dst === "sp") out.push({ op: "mov", rd: "sp", rn: IP1 });
        break;
      }
      case "store": {
        checkOffset(op);
        // Register 31 is xzr in a store's Rt: the stack pointer is copied to x17
        // first (address() may copy sp to x17 as well, the same value).
        const src = readable(out, op.src, IP1);
        memory(out, false, src, address(out, op.base, op.offset, 8));
        break;
      }
      case "loadf":
      case "storef": {
        checkOffset(op);
        const load = op.op === "loadf";
        const rt = vector(load ? op.dst : op.src, op.width, op.op);
        memory(out, load, rt, address(out, op.base, op.offset, op.width));
        break;
      }
      case "loadctl":
      case "storectl": {
        if (op.control !== "fpcr") {
          throw unsupported(op.op, `names control register "${op.control}"; AArch64 has only fpcr`);
        }
        checkOffset(op);
        const mode = address(out, op.base, op.offset, 8);
        if (op.op === "loadctl") {
          memory(out, true, IP1, mode);
          out.push({ op: "msr", sysreg: "fpcr", rt: IP1 });
        } else {
          out.push({ op: "mrs", rt: IP1, sysreg: "fpcr" });
          memory(out, false, IP1, mode);
        }
        break;
      }
      case "loadtls":
      case "storetls":
        throw unsupported(op.op, "exists only on x86_64 (Windows thread information block)");
      case "pop":
        throw unsupported(
          op.op,
          "exists only on x86_64; AArch64 returns through the link register x30",
        );
      case "br":
        compare(out, op.a, op.b);
        out.push({ op: "bcond", cond: BRANCH_CONDITION[op.cond], target: op.target });
        break;
      case "jmp":
        out.push({ op: "b", target: op.target });
        break;
      case "jr":
        out.push({ op: "br", rn: op.reg });
        break;
      case "call":
        out.push({ op: "bl", target: op.target });
        break;
      case "callr":
        out.push({ op: "blr", rn: op.reg });
        break;
      case "trap":
        out.push({ op: "brk", imm: 0 });
        break;
      case "table":
        out.push({ op: "table", entries: op.entries });
        break;
      default:
        throw unsupported((op as { op: string }).op, "is not an LIR operation");
    }
  }
  return out;
}
