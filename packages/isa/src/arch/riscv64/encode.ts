/**
 * The RV64G encoder: instruction values to little-endian machine code.
 *
 * Why a table: RISC-V has six instruction formats (R, I, S, B, U, J) and
 * every instruction of the subset is one of them with a fixed opcode and
 * function fields. The table says which; the format functions place the
 * operand bits. Range checks come first and throw before anything is
 * produced, naming the instruction and the operand, because an immediate that
 * silently lost bits would be a wrong program rather than an error.
 *
 * Branches to labels have long forms (`via`) that branch relaxation puts in
 * place of those whose label lies beyond their reach ({@link rvRelaxation}):
 *
 * ```
 *   beq a0, a1, L            ±4 KiB
 *   beq … via jal        ─►  bne a0, a1, . + 8;  jal zero, L                 ±1 MiB
 *   beq … via auipc      ─►  bne a0, a1, . + 12; auipc t6, hi; jalr zero, lo(t6)  ±2 GiB
 *   jal rd, L                ±1 MiB
 *   jal … via auipc      ─►  auipc s, hi; jalr rd, lo(s)   (s: t6 when rd is zero, else rd)  ±2 GiB
 * ```
 *
 * t6 is the scratch register of instruction selection (see select.ts): no
 * value lives in it across a branch. A branch that compares t6 reads it
 * before the auipc writes it.
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { Relaxation } from "../arch.js";
import { encodeTable, TABLE_ENTRY_SIZE } from "../table.js";
import type { RvInstruction, RvTarget } from "./instructions.js";
import { rvFloatNumber, rvIntegerNumber } from "./registers.js";

const OPCODE = {
  lui: 0x37,
  auipc: 0x17,
  jal: 0x6f,
  jalr: 0x67,
  branch: 0x63,
  load: 0x03,
  store: 0x23,
  opImm: 0x13,
  opImm32: 0x1b,
  op: 0x33,
  system: 0x73,
  loadFp: 0x07,
  storeFp: 0x27,
} as const;

const IMM_FUNCT3: Record<string, [opcode: number, funct3: number]> = {
  addi: [OPCODE.opImm, 0],
  slti: [OPCODE.opImm, 2],
  sltiu: [OPCODE.opImm, 3],
  xori: [OPCODE.opImm, 4],
  ori: [OPCODE.opImm, 6],
  andi: [OPCODE.opImm, 7],
  addiw: [OPCODE.opImm32, 0],
};

const SHIFT_FUNCT: Record<string, [funct6: number, funct3: number]> = {
  slli: [0x00, 1],
  srli: [0x00, 5],
  srai: [0x10, 5],
};

const REG_FUNCT: Record<string, [funct7: number, funct3: number]> = {
  add: [0x00, 0],
  sub: [0x20, 0],
  sll: [0x00, 1],
  slt: [0x00, 2],
  sltu: [0x00, 3],
  xor: [0x00, 4],
  srl: [0x00, 5],
  sra: [0x20, 5],
  or: [0x00, 6],
  and: [0x00, 7],
  mul: [0x01, 0],
};

const LOAD_FUNCT3: Record<string, number> = { lb: 0, lh: 1, lw: 2, ld: 3, lbu: 4, lhu: 5, lwu: 6 };
const STORE_FUNCT3: Record<string, number> = { sb: 0, sh: 1, sw: 2, sd: 3 };
const BRANCH_FUNCT3: Record<string, number> = {
  beq: 0,
  bne: 1,
  blt: 4,
  bge: 5,
  bltu: 6,
  bgeu: 7,
};
const CSR_FUNCT3: Record<string, number> = { csrrw: 1, csrrs: 2, csrrc: 3 };

function describe(instr: RvInstruction): string {
  return JSON.stringify(instr, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));
}

function outOfRange(instr: RvInstruction, operand: string, why: string): never {
  throw new IsaError(
    "OPERAND_OUT_OF_RANGE",
    `riscv64 ${instr.op}: operand ${operand} ${why} (in ${describe(instr)})`,
  );
}

/** Checks that `value` is an integer in [min, max]. */
function checkRange(
  instr: RvInstruction,
  operand: string,
  value: number | bigint,
  min: number,
  max: number,
): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    outOfRange(instr, operand, `= ${value} is not an integer from ${min} to ${max}`);
  }
  return value;
}

const x = rvIntegerNumber;
const f = rvFloatNumber;

function rType(funct7: number, rs2: number, rs1: number, funct3: number, rd: number, op: number) {
  return ((funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | op) >>> 0;
}

function iType(imm: number, rs1: number, funct3: number, rd: number, op: number): number {
  return (((imm & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | op) >>> 0;
}

function sType(imm: number, rs2: number, rs1: number, funct3: number, op: number): number {
  return (
    ((((imm >> 5) & 0x7f) << 25) |
      (rs2 << 20) |
      (rs1 << 15) |
      (funct3 << 12) |
      ((imm & 0x1f) << 7) |
      op) >>>
    0
  );
}

function bType(imm: number, rs2: number, rs1: number, funct3: number): number {
  return (
    ((((imm >> 12) & 1) << 31) |
      (((imm >> 5) & 0x3f) << 25) |
      (rs2 << 20) |
      (rs1 << 15) |
      (funct3 << 12) |
      (((imm >> 1) & 0xf) << 8) |
      (((imm >> 11) & 1) << 7) |
      OPCODE.branch) >>>
    0
  );
}

function uType(imm20: number, rd: number, op: number): number {
  return (((imm20 & 0xfffff) << 12) | (rd << 7) | op) >>> 0;
}

function jType(imm: number, rd: number): number {
  return (
    ((((imm >> 20) & 1) << 31) |
      (((imm >> 1) & 0x3ff) << 21) |
      (((imm >> 11) & 1) << 20) |
      (((imm >> 12) & 0xff) << 12) |
      (rd << 7) |
      OPCODE.jal) >>>
    0
  );
}

/** The byte offset from `address` to a branch or jump target. */
function displacement(
  instr: RvInstruction,
  target: string | number,
  address: bigint,
  label: (name: string) => bigint,
  bits: number,
): number {
  const limit = 2 ** (bits - 1);
  const delta = typeof target === "number" ? BigInt(target) : label(target) - address;
  if (delta < BigInt(-limit) || delta >= BigInt(limit)) {
    outOfRange(
      instr,
      "target",
      `${typeof target === "string" ? `"${target}" ` : ""}is ${delta} bytes away; ${instr.op} reaches -${limit} to ${limit - 2}`,
    );
  }
  if (delta % 2n !== 0n) {
    outOfRange(instr, "target", `offset ${delta} is odd; targets are 2-byte aligned`);
  }
  return Number(delta);
}

function words(...ws: number[]): Uint8Array {
  const out = new Uint8Array(4 * ws.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < ws.length; i++) view.setUint32(4 * i, ws[i]!, true);
  return out;
}

function unsupported(instr: RvInstruction): never {
  throw new IsaError(
    "UNSUPPORTED_INSTRUCTION",
    `riscv64: "${(instr as { op: string }).op}" is not in the RV64G subset (in ${describe(instr)}); see RV_OPS for the instructions it has`,
  );
}

/**
 * Size in bytes of an instruction's encoding: 4, or 8 for the `la` pair.
 * Independent of label addresses. Throws an IsaError
 * `UNSUPPORTED_INSTRUCTION` for an op outside the subset.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * console.log(riscv64.sizeOf({ op: "la", rd: "a0", target: "data" })); // 8
 * ```
 */
export function rvSizeOf(instr: RvInstruction): number {
  if (instr.op === "la") return 8;
  if ("via" in instr && instr.via !== undefined) {
    if (instr.op === "jal") return 8;
    return instr.via === "jal" ? 8 : 12;
  }
  if (instr.op === "table") return instr.entries.length * TABLE_ENTRY_SIZE;
  if (!KNOWN.has(instr.op)) unsupported(instr);
  return 4;
}

const KNOWN = new Set<string>([
  "lui",
  "auipc",
  ...Object.keys(IMM_FUNCT3),
  ...Object.keys(SHIFT_FUNCT),
  ...Object.keys(REG_FUNCT),
  ...Object.keys(LOAD_FUNCT3),
  ...Object.keys(STORE_FUNCT3),
  ...Object.keys(BRANCH_FUNCT3),
  ...Object.keys(CSR_FUNCT3),
  "fld",
  "fsd",
  "jal",
  "jalr",
  "la",
  "ebreak",
  "nop",
]);

/**
 * The split of a PC-relative distance into auipc's upper 20 bits and the
 * following addi's signed low 12 bits (the upper part rounds so that the low
 * part's sign extension is compensated).
 */
function pcrelParts(instr: RvInstruction, delta: bigint): [hi: number, lo: number] {
  const lo = BigInt.asIntN(12, delta);
  const hi = (delta - lo) >> 12n;
  if (hi < -(1n << 19n) || hi >= 1n << 19n) {
    outOfRange(instr, "target", `is ${delta} bytes away; auipc + addi reach about ±2 GiB`);
  }
  return [Number(hi), Number(lo)];
}

/** t6, through which a long jump whose link register is zero goes. */
const SCRATCH = 31;

/** A long form's target, which must be a label: a byte offset never needs one. */
function labelTarget(instr: RvInstruction, target: RvTarget): string {
  if (typeof target !== "string") {
    outOfRange(instr, "target", `is the offset ${target}; a long form (via) needs a label`);
  }
  return target;
}

/** `auipc scratch, hi` + `jalr rd, lo(scratch)` from `address` to the label. */
function farJump(
  instr: RvInstruction,
  target: string,
  address: bigint,
  label: (name: string) => bigint,
  rd: number,
  scratch: number,
): [number, number] {
  const [hi, lo] = pcrelParts(instr, label(target) - address);
  return [uType(hi, scratch, OPCODE.auipc), iType(lo, scratch, 0, rd, OPCODE.jalr)];
}

/** Whether a PC-relative distance fits auipc + a 12-bit offset (see pcrelParts). */
function pcrelFits(delta: bigint): boolean {
  const hi = (delta - BigInt.asIntN(12, delta)) >> 12n;
  return hi >= -(1n << 19n) && hi < 1n << 19n;
}

function within(delta: bigint, bits: number): boolean {
  const limit = 1n << BigInt(bits - 1);
  return delta >= -limit && delta < limit;
}

/**
 * Branch relaxation on RISC-V: a conditional branch to a label takes its
 * `jal` form beyond ±4 KiB and its `auipc` form beyond ±1 MiB; a `jal` to a
 * label takes its `auipc` form beyond ±1 MiB (see the module comment).
 * Targets given as byte offsets are never lengthened.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * const jump = { op: "jal", rd: "zero", target: "far" } as const;
 * console.log(riscv64.relaxation.reaches(jump, 0n, () => 0x10_0000n)); // false
 * console.log(riscv64.relaxation.lengthen(jump)); // { op: "jal", rd: "zero", target: "far", via: "auipc" }
 * ```
 */
export const rvRelaxation: Relaxation<RvInstruction> = {
  reaches(instr, address, label) {
    if (!("target" in instr) || typeof instr.target !== "string") return true;
    const delta = label(instr.target) - address;
    switch (instr.op) {
      case "jal":
        return instr.via === undefined ? within(delta, 21) : pcrelFits(delta);
      case "la":
        return pcrelFits(delta);
      default:
        if (instr.via === undefined) return within(delta, 13);
        return instr.via === "jal" ? within(delta - 4n, 21) : pcrelFits(delta - 4n);
    }
  },
  lengthen(instr) {
    if (!("target" in instr) || typeof instr.target !== "string") return undefined;
    const { target } = instr;
    if (instr.op === "la") return undefined;
    if (instr.op === "jal") {
      return instr.via === undefined
        ? { op: "jal", rd: instr.rd, target, via: "auipc" }
        : undefined;
    }
    if (instr.via === "auipc") return undefined;
    const via = instr.via === undefined ? "jal" : "auipc";
    return { op: instr.op, rs1: instr.rs1, rs2: instr.rs2, target, via };
  },
};

/**
 * Encodes one instruction placed at `address`; `label` resolves label names.
 * Throws an IsaError `OPERAND_OUT_OF_RANGE` naming the instruction and the
 * operand (immediate too wide, branch target out of reach or odd) or
 * `UNSUPPORTED_INSTRUCTION`.
 *
 * @example
 * ```ts
 * import { riscv64 } from "@greenthreads/isa";
 * const bytes = riscv64.encode({ op: "addi", rd: "a0", rs1: "zero", imm: 1 }, 0x1000n, () => 0n);
 * console.log(Buffer.from(bytes).toString("hex")); // "13051000"
 * ```
 */
export function rvEncode(
  instr: RvInstruction,
  address: bigint,
  label: (name: string) => bigint,
): Uint8Array {
  switch (instr.op) {
    case "lui":
    case "auipc": {
      const imm = checkRange(instr, "imm", instr.imm, 0, 0xfffff);
      return words(uType(imm, x(instr.rd), OPCODE[instr.op]));
    }
    case "addi":
    case "addiw":
    case "slti":
    case "sltiu":
    case "andi":
    case "ori":
    case "xori": {
      const [op, funct3] = IMM_FUNCT3[instr.op]!;
      const imm = checkRange(instr, "imm", instr.imm, -2048, 2047);
      return words(iType(imm, x(instr.rs1), funct3, x(instr.rd), op));
    }
    case "slli":
    case "srli":
    case "srai": {
      const [funct6, funct3] = SHIFT_FUNCT[instr.op]!;
      const shamt = checkRange(instr, "shamt", instr.shamt, 0, 63);
      return words(iType((funct6 << 6) | shamt, x(instr.rs1), funct3, x(instr.rd), OPCODE.opImm));
    }
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
    case "mul": {
      const [funct7, funct3] = REG_FUNCT[instr.op]!;
      return words(rType(funct7, x(instr.rs2), x(instr.rs1), funct3, x(instr.rd), OPCODE.op));
    }
    case "lb":
    case "lbu":
    case "lh":
    case "lhu":
    case "lw":
    case "lwu":
    case "ld": {
      const offset = checkRange(instr, "offset", instr.offset, -2048, 2047);
      return words(iType(offset, x(instr.rs1), LOAD_FUNCT3[instr.op]!, x(instr.rd), OPCODE.load));
    }
    case "sb":
    case "sh":
    case "sw":
    case "sd": {
      const offset = checkRange(instr, "offset", instr.offset, -2048, 2047);
      return words(
        sType(offset, x(instr.rs2), x(instr.rs1), STORE_FUNCT3[instr.op]!, OPCODE.store),
      );
    }
    case "fld": {
      const offset = checkRange(instr, "offset", instr.offset, -2048, 2047);
      return words(iType(offset, x(instr.rs1), 3, f(instr.rd), OPCODE.loadFp));
    }
    case "fsd": {
      const offset = checkRange(instr, "offset", instr.offset, -2048, 2047);
      return words(sType(offset, f(instr.rs2), x(instr.rs1), 3, OPCODE.storeFp));
    }
    case "beq":
    case "bne":
    case "blt":
    case "bge":
    case "bltu":
    case "bgeu": {
      const rs1 = x(instr.rs1);
      const rs2 = x(instr.rs2);
      if (instr.via !== undefined) {
        const target = labelTarget(instr, instr.target);
        // The inverted condition is the taken one with the lowest funct3 bit flipped.
        const skip = (funct3: number, over: number) => bType(over, rs2, rs1, funct3 ^ 1);
        const funct3 = BRANCH_FUNCT3[instr.op]!;
        if (instr.via === "jal") {
          const jal = jType(displacement(instr, target, address + 4n, label, 21), 0);
          return words(skip(funct3, 8), jal);
        }
        return words(skip(funct3, 12), ...farJump(instr, target, address + 4n, label, 0, SCRATCH));
      }
      const delta = displacement(instr, instr.target, address, label, 13);
      return words(bType(delta, rs2, rs1, BRANCH_FUNCT3[instr.op]!));
    }
    case "jal": {
      const rd = x(instr.rd);
      if (instr.via !== undefined) {
        const target = labelTarget(instr, instr.target);
        return words(...farJump(instr, target, address, label, rd, rd === 0 ? SCRATCH : rd));
      }
      return words(jType(displacement(instr, instr.target, address, label, 21), rd));
    }
    case "jalr": {
      const offset = checkRange(instr, "offset", instr.offset, -2048, 2047);
      return words(iType(offset, x(instr.rs1), 0, x(instr.rd), OPCODE.jalr));
    }
    case "csrrw":
    case "csrrs":
    case "csrrc": {
      const csr = checkRange(instr, "csr", instr.csr, 0, 0xfff);
      return words(iType(csr, x(instr.rs1), CSR_FUNCT3[instr.op]!, x(instr.rd), OPCODE.system));
    }
    case "la": {
      const rd = x(instr.rd);
      const [hi, lo] = pcrelParts(instr, label(instr.target) - address);
      return words(uType(hi, rd, OPCODE.auipc), iType(lo, rd, 0, rd, OPCODE.opImm));
    }
    case "ebreak":
      return words(0x00100073);
    case "table":
      return encodeTable("riscv64", instr.entries, address, label);
    case "nop":
      return words(0x00000013);
  }
  return unsupported(instr);
}
