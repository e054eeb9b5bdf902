/**
 * The AArch64 encoder: one instruction value to its 32-bit little-endian word.
 *
 * Why it validates so much: every AArch64 field is narrow (12-bit add
 * immediates, 9-bit unscaled offsets, 19-bit conditional branches), and a
 * value that silently wraps into a field is a wrong program that still runs.
 * So every operand is range-checked and a failure names the instruction, the
 * operand and the accepted range. Register slots are checked too, because
 * number 31 is `sp` in some slots and `xzr` in others (see registers.ts).
 *
 * Every instruction is 4 bytes, except the long forms of `b.cond` and `adr`
 * (`far`), which branch relaxation puts in place of those whose label lies
 * beyond ±1 MiB ({@link a64Relaxation}):
 *
 * ```
 *   b.eq far      ─►  b.ne . + 8                 ; not taken: skip the b
 *                     b far                      ; ±128 MiB
 *
 *   adr x9, far   ─►  movz x16, #(d & 0xffff)    ; d = far − (address of the adr)
 *                     movk x16, #(d >> 16 & 0xffff), lsl #16
 *                     adr x9, .
 *                     add x9, x9, w16, sxtw      ; ±2 GiB, position independent
 * ```
 *
 * The long `adr` adds a distance to its own address rather than using
 * `adrp`, whose page arithmetic would tie the code to the offset within a
 * 4 KiB page at which it was assembled: code assembled at address 0 runs
 * wherever it is copied. Branches are PC-relative, so a word depends on the
 * label's address but never the size.
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { Relaxation } from "../arch.js";
import { encodeTable, TABLE_ENTRY_SIZE } from "../table.js";
import { A64_CONDITIONS, type A64Instruction } from "./instructions.js";
import {
  a64RegisterKind,
  a64VRegister,
  a64WRegister,
  a64XRegister,
  a64XspRegister,
} from "./registers.js";

function describe(instr: A64Instruction): string {
  return JSON.stringify(instr);
}

function outOfRange(
  instr: A64Instruction,
  operand: string,
  value: number | bigint,
  accepted: string,
): IsaError {
  return new IsaError(
    "OPERAND_OUT_OF_RANGE",
    `aarch64: ${instr.op} ${describe(instr)}: operand ${operand} = ${value} is out of range; ${accepted}`,
  );
}

function checkInt(
  instr: A64Instruction,
  operand: string,
  value: number,
  lo: number,
  hi: number,
): number {
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw outOfRange(instr, operand, value, `it must be an integer from ${lo} to ${hi}`);
  }
  return value;
}

function xr(instr: A64Instruction, name: string, operand: string): number {
  return a64XRegister(name, `${instr.op} ${operand}`);
}

function xs(instr: A64Instruction, name: string, operand: string): number {
  return a64XspRegister(name, `${instr.op} ${operand}`);
}

const SHIFT_CODE = { lsl: 0, lsr: 1, asr: 2, ror: 3 } as const;

const ADDSUB_IMM = { addi: 0x91000000, addsi: 0xb1000000, subi: 0xd1000000, subsi: 0xf1000000 };
const ADDSUB_REG = { add: 0x8b000000, adds: 0xab000000, sub: 0xcb000000, subs: 0xeb000000 };
const LOGICAL_REG = { and: 0x8a000000, orr: 0xaa000000, eor: 0xca000000, ands: 0xea000000 };
const MOVE_WIDE = { movn: 0x92800000, movz: 0xd2800000, movk: 0xf2800000 };
const DATA2 = { lslv: 0x9ac02000, lsrv: 0x9ac02400, asrv: 0x9ac02800 };

/**
 * Opcode bases of the load/store forms, by register kind: unsigned scaled
 * offset (`ldr`/`str`) and unscaled signed offset (`ldur`/`stur`).
 */
const LOAD_STORE = {
  x: { scale: 8, ldr: 0xf9400000, str: 0xf9000000, ldur: 0xf8400000, stur: 0xf8000000 },
  w: { scale: 4, ldr: 0xb9400000, str: 0xb9000000, ldur: 0xb8400000, stur: 0xb8000000 },
  d: { scale: 8, ldr: 0xfd400000, str: 0xfd000000, ldur: 0xfc400000, stur: 0xfc000000 },
  q: { scale: 16, ldr: 0x3dc00000, str: 0x3d800000, ldur: 0x3cc00000, stur: 0x3c800000 },
};

/** The 16-bit zero-extending loads (`ldrh`, `ldurh`): a `w` register only. */
const LOAD_HALF = { scale: 2, ldrh: 0x79400000, ldurh: 0x78400000 };

/** FPCR as an `mrs`/`msr` system register operand: op0=3 op1=3 CRn=4 CRm=4 op2=0. */
const SYSREG_FPCR = 0x1b4400;

/**
 * Size in bytes of an instruction's encoding: always 4 on AArch64.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * console.log(aarch64.sizeOf({ op: "nop" })); // 4
 * ```
 */
export function a64SizeOf(instr: A64Instruction): number {
  if (instr.op === "table") return instr.entries.length * TABLE_ENTRY_SIZE;
  if (!Object.hasOwn(ENCODERS, instr.op)) throw unsupported(instr);
  if (instr.op === "bcond" && instr.far) return 8;
  if (instr.op === "adr" && instr.far) return 16;
  return 4;
}

function unsupported(instr: { op: string }): IsaError {
  return new IsaError(
    "UNSUPPORTED_INSTRUCTION",
    `aarch64: "${instr.op}" is not in the supported instruction subset; see A64Instruction for the supported forms`,
  );
}

function addSubImm(instr: A64Instruction & { op: "addi" | "subi" | "addsi" | "subsi" }): number {
  const setsFlags = instr.op === "addsi" || instr.op === "subsi";
  const rd = setsFlags ? xr(instr, instr.rd, "Rd") : xs(instr, instr.rd, "Rd");
  const rn = xs(instr, instr.rn, "Rn");
  const imm = checkInt(instr, "imm", instr.imm, 0, 4095);
  return ADDSUB_IMM[instr.op] | ((instr.lsl12 ? 1 : 0) << 22) | (imm << 10) | (rn << 5) | rd;
}

function shiftField(
  instr: A64Instruction & { shift?: string; amount?: number },
  logical: boolean,
): number {
  const shift = instr.shift ?? "lsl";
  if (!(shift in SHIFT_CODE) || (shift === "ror" && !logical)) {
    throw outOfRange(
      instr as A64Instruction,
      "shift",
      0,
      `shift "${shift}" must be lsl, lsr, asr${logical ? " or ror" : ""}`,
    );
  }
  const amount = checkInt(instr as A64Instruction, "amount", instr.amount ?? 0, 0, 63);
  return (SHIFT_CODE[shift as keyof typeof SHIFT_CODE] << 22) | (amount << 10);
}

function branchOffset(
  instr: A64Instruction,
  address: bigint,
  target: bigint,
  bits: number,
  what: string,
): number {
  const delta = target - address;
  const limit = 1n << BigInt(bits + 1);
  if (delta % 4n !== 0n || delta < -limit || delta >= limit) {
    throw outOfRange(
      instr,
      "target",
      delta,
      `the label must be 4-byte aligned and within ${what} of the instruction (offset ${delta})`,
    );
  }
  return Number(BigInt.asUintN(bits, delta >> 2n));
}

type Encoder = (instr: never, address: bigint, label: (name: string) => bigint) => number;

// Instruction words only: a table is data of any length, encoded by encodeTable.
const ENCODERS: Record<Exclude<A64Instruction["op"], "table">, Encoder> = {
  movz: moveWide,
  movk: moveWide,
  movn: moveWide,
  mov(instr: A64Instruction & { op: "mov" }) {
    if (instr.rd === "sp" || instr.rn === "sp") {
      return 0x91000000 | (xs(instr, instr.rn, "Rn") << 5) | xs(instr, instr.rd, "Rd");
    }
    return 0xaa0003e0 | (xr(instr, instr.rn, "Rm") << 16) | xr(instr, instr.rd, "Rd");
  },
  addi: addSubImm,
  subi: addSubImm,
  addsi: addSubImm,
  subsi: addSubImm,
  cmpi: compareImm,
  cmni: compareImm,
  add: addSubReg,
  sub: addSubReg,
  adds: addSubReg,
  subs: addSubReg,
  cmp(instr: A64Instruction & { op: "cmp" }) {
    return (
      ADDSUB_REG.subs |
      shiftField(instr, false) |
      (xr(instr, instr.rm, "Rm") << 16) |
      (xr(instr, instr.rn, "Rn") << 5) |
      31
    );
  },
  and: logicalReg,
  orr: logicalReg,
  eor: logicalReg,
  ands: logicalReg,
  mul(instr: A64Instruction & { op: "mul" }) {
    return 0x9b007c00 | threeRegs(instr);
  },
  lslv: data2,
  lsrv: data2,
  asrv: data2,
  lsli: shiftImm,
  lsri: shiftImm,
  asri: shiftImm,
  ldr: loadStore,
  str: loadStore,
  ldur: loadStore,
  stur: loadStore,
  ldrh: loadHalf,
  ldurh: loadHalf,
  b(instr: A64Instruction & { op: "b" }, address, label) {
    return 0x14000000 | branchOffset(instr, address, label(instr.target), 26, "±128 MiB");
  },
  bl(instr: A64Instruction & { op: "bl" }, address, label) {
    return 0x94000000 | branchOffset(instr, address, label(instr.target), 26, "±128 MiB");
  },
  bcond(instr: A64Instruction & { op: "bcond" }, address, label) {
    return (
      0x54000000 |
      (branchOffset(instr, address, label(instr.target), 19, "±1 MiB") << 5) |
      conditionCode(instr)
    );
  },
  br(instr: A64Instruction & { op: "br" }) {
    return 0xd61f0000 | (xr(instr, instr.rn, "Rn") << 5);
  },
  blr(instr: A64Instruction & { op: "blr" }) {
    return 0xd63f0000 | (xr(instr, instr.rn, "Rn") << 5);
  },
  ret(instr: A64Instruction & { op: "ret" }) {
    return 0xd65f0000 | (xr(instr, instr.rn ?? "x30", "Rn") << 5);
  },
  adr(instr: A64Instruction & { op: "adr" }, address, label) {
    const delta = label(instr.target) - address;
    if (delta < -(1n << 20n) || delta >= 1n << 20n) {
      throw outOfRange(
        instr,
        "target",
        delta,
        "the label must be within ±1 MiB of the instruction",
      );
    }
    const imm = Number(BigInt.asUintN(21, delta));
    return 0x10000000 | ((imm & 3) << 29) | ((imm >>> 2) << 5) | xr(instr, instr.rd, "Rd");
  },
  mrs(instr: A64Instruction & { op: "mrs" }) {
    checkSysreg(instr, instr.sysreg);
    return 0xd5200000 | SYSREG_FPCR | xr(instr, instr.rt, "Rt");
  },
  msr(instr: A64Instruction & { op: "msr" }) {
    checkSysreg(instr, instr.sysreg);
    return 0xd5000000 | SYSREG_FPCR | xr(instr, instr.rt, "Rt");
  },
  brk(instr: A64Instruction & { op: "brk" }) {
    return 0xd4200000 | (checkInt(instr, "imm", instr.imm, 0, 0xffff) << 5);
  },
  nop() {
    return 0xd503201f;
  },
};

function conditionCode(instr: A64Instruction & { op: "bcond" }): number {
  const cond = A64_CONDITIONS.indexOf(instr.cond);
  if (cond < 0) {
    throw outOfRange(
      instr,
      "cond",
      0,
      `condition "${instr.cond}" must be one of ${A64_CONDITIONS.join(", ")}`,
    );
  }
  return cond;
}

/** The scratch register of a long `adr`: x16, or x17 when x16 is the destination. */
function farScratch(rd: number): number {
  return rd === 16 ? 17 : 16;
}

/**
 * The words of a long form: `b.cond` inverted over `b` (the conditions come
 * in pairs that differ in the lowest bit; `al` and `nv` have no inverse and
 * no long form), or the four words of a long `adr`.
 */
function farWords(
  instr: A64Instruction & { op: "bcond" | "adr" },
  address: bigint,
  label: (name: string) => bigint,
): number[] {
  if (instr.op === "bcond") {
    const cond = conditionCode(instr);
    if (cond >= 14) {
      throw outOfRange(instr, "cond", cond, `b.${instr.cond} has no long form; use b`);
    }
    const b = 0x14000000 | branchOffset(instr, address + 4n, label(instr.target), 26, "±128 MiB");
    return [0x54000000 | (2 << 5) | (cond ^ 1), b];
  }
  const rd = xr(instr, instr.rd, "Rd");
  const scratch = farScratch(rd);
  const delta = label(instr.target) - (address + 8n);
  if (delta < -(1n << 31n) || delta >= 1n << 31n) {
    throw outOfRange(instr, "target", delta, "the label must be within ±2 GiB of the instruction");
  }
  const d = Number(BigInt.asUintN(32, delta));
  return [
    MOVE_WIDE.movz | ((d & 0xffff) << 5) | scratch,
    MOVE_WIDE.movk | (1 << 21) | ((d >>> 16) << 5) | scratch,
    0x10000000 | rd,
    // add Rd, Rd, W<scratch>, sxtw: the extended-register form sign-extends the 32-bit distance.
    0x8b200000 | (scratch << 16) | (0b110 << 13) | (rd << 5) | rd,
  ];
}

function reachOf(instr: A64Instruction, address: bigint, label: (name: string) => bigint): boolean {
  switch (instr.op) {
    case "bcond":
      return instr.far
        ? within(label(instr.target) - address - 4n, 1n << 27n)
        : within(label(instr.target) - address, 1n << 20n);
    case "adr":
      return instr.far
        ? within(label(instr.target) - address - 8n, 1n << 31n)
        : within(label(instr.target) - address, 1n << 20n);
    case "b":
    case "bl":
      return within(label(instr.target) - address, 1n << 27n);
    default:
      return true;
  }
}

function within(delta: bigint, limit: bigint): boolean {
  return delta >= -limit && delta < limit;
}

/**
 * Branch relaxation on AArch64: a `b.cond` or `adr` whose label lies beyond
 * ±1 MiB takes its long form (`far`, see the module comment). `b` and `bl`
 * reach ±128 MiB and have no longer form.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * const adr = { op: "adr", rd: "x0", target: "data" } as const;
 * console.log(aarch64.relaxation.reaches(adr, 0n, () => 0x10_0000n)); // false
 * console.log(aarch64.sizeOf(aarch64.relaxation.lengthen(adr)!)); // 16
 * ```
 */
export const a64Relaxation: Relaxation<A64Instruction> = {
  reaches: reachOf,
  lengthen(instr) {
    if (instr.op === "bcond" && !instr.far && instr.cond !== "al" && instr.cond !== "nv") {
      return { op: "bcond", cond: instr.cond, target: instr.target, far: true };
    }
    if (instr.op === "adr" && !instr.far) {
      return { op: "adr", rd: instr.rd, target: instr.target, far: true };
    }
    return undefined;
  },
};

function checkSysreg(instr: A64Instruction, sysreg: string): void {
  if (sysreg !== "fpcr") throw unsupported({ op: `${instr.op} ${sysreg}` });
}

function moveWide(instr: A64Instruction & { op: "movz" | "movk" | "movn" }): number {
  const imm = checkInt(instr, "imm", instr.imm, 0, 0xffff);
  const shift = instr.shift ?? 0;
  if (shift !== 0 && shift !== 16 && shift !== 32 && shift !== 48) {
    throw outOfRange(instr, "shift", shift, "it must be 0, 16, 32 or 48");
  }
  return MOVE_WIDE[instr.op] | ((shift / 16) << 21) | (imm << 5) | xr(instr, instr.rd, "Rd");
}

function compareImm(instr: A64Instruction & { op: "cmpi" | "cmni" }): number {
  const base = instr.op === "cmpi" ? ADDSUB_IMM.subsi : ADDSUB_IMM.addsi;
  const imm = checkInt(instr, "imm", instr.imm, 0, 4095);
  return base | ((instr.lsl12 ? 1 : 0) << 22) | (imm << 10) | (xs(instr, instr.rn, "Rn") << 5) | 31;
}

function threeRegs(instr: A64Instruction & { rd: string; rn: string; rm: string }): number {
  return (
    (xr(instr, instr.rm, "Rm") << 16) | (xr(instr, instr.rn, "Rn") << 5) | xr(instr, instr.rd, "Rd")
  );
}

function addSubReg(instr: A64Instruction & { op: "add" | "sub" | "adds" | "subs" }): number {
  return ADDSUB_REG[instr.op] | shiftField(instr, false) | threeRegs(instr);
}

function logicalReg(instr: A64Instruction & { op: "and" | "orr" | "eor" | "ands" }): number {
  return LOGICAL_REG[instr.op] | shiftField(instr, true) | threeRegs(instr);
}

function data2(instr: A64Instruction & { op: "lslv" | "lsrv" | "asrv" }): number {
  return DATA2[instr.op] | threeRegs(instr);
}

function shiftImm(instr: A64Instruction & { op: "lsli" | "lsri" | "asri" }): number {
  const s = checkInt(instr, "amount", instr.amount, 0, 63);
  const regs = (xr(instr, instr.rn, "Rn") << 5) | xr(instr, instr.rd, "Rd");
  // lsl #s is ubfm #((64 - s) mod 64), #(63 - s); lsr/asr #s are ubfm/sbfm #s, #63.
  if (instr.op === "lsli") return 0xd3400000 | (((64 - s) & 63) << 16) | ((63 - s) << 10) | regs;
  const base = instr.op === "lsri" ? 0xd3400000 : 0x93400000;
  return base | (s << 16) | (63 << 10) | regs;
}

function loadStore(instr: A64Instruction & { op: "ldr" | "str" | "ldur" | "stur" }): number {
  const kind = a64RegisterKind(instr.rt);
  let rt: number;
  let forms: (typeof LOAD_STORE)[keyof typeof LOAD_STORE];
  if (kind === "d" || kind === "q") {
    rt = a64VRegister(instr.rt, `${instr.op} Rt`).n;
    forms = LOAD_STORE[kind];
  } else if (kind === "w") {
    rt = a64WRegister(instr.rt, `${instr.op} Rt`);
    forms = LOAD_STORE.w;
  } else {
    rt = xr(instr, instr.rt, "Rt");
    forms = LOAD_STORE.x;
  }
  const unscaled = instr.op === "ldur" || instr.op === "stur";
  return forms[instr.op] | offsetField(instr, unscaled, forms.scale, "ldur/stur") | rt;
}

function loadHalf(instr: A64Instruction & { op: "ldrh" | "ldurh" }): number {
  const rt = a64WRegister(instr.rt, `${instr.op} Rt`);
  const field = offsetField(instr, instr.op === "ldurh", LOAD_HALF.scale, "ldurh");
  return LOAD_HALF[instr.op] | field | rt;
}

/** The offset and base fields of a load/store: unscaled signed 9 bits, or scaled unsigned 12 bits. */
function offsetField(
  instr: A64Instruction & { rn: string; offset: number },
  unscaled: boolean,
  scale: number,
  unscaledForm: string,
): number {
  const rn = xs(instr, instr.rn, "Rn");
  if (unscaled) {
    const off = checkInt(instr, "offset", instr.offset, -256, 255);
    return ((off & 0x1ff) << 12) | (rn << 5);
  }
  const max = 4095 * scale;
  if (
    !Number.isInteger(instr.offset) ||
    instr.offset < 0 ||
    instr.offset > max ||
    instr.offset % scale !== 0
  ) {
    throw outOfRange(
      instr,
      "offset",
      instr.offset,
      `it must be a multiple of ${scale} from 0 to ${max}; use ${unscaledForm} for -256..255`,
    );
  }
  return ((instr.offset / scale) << 10) | (rn << 5);
}

/**
 * Encodes one instruction placed at `address` as 4 little-endian bytes;
 * `label` resolves branch and `adr` targets. Throws an IsaError
 * `OPERAND_OUT_OF_RANGE` naming the operand, `UNKNOWN_REGISTER` for a name
 * the slot does not accept, or `UNSUPPORTED_INSTRUCTION`.
 *
 * @example
 * ```ts
 * import { aarch64 } from "@greenthreads/isa";
 * const bytes = aarch64.encode({ op: "ret" }, 0x1000n, () => 0n);
 * console.log([...bytes].map((b) => b.toString(16))); // ["c0", "3", "5f", "d6"]
 * ```
 */
export function a64Encode(
  instr: A64Instruction,
  address: bigint,
  label: (name: string) => bigint,
): Uint8Array {
  if (instr.op === "table") return encodeTable("aarch64", instr.entries, address, label);
  if (!Object.hasOwn(ENCODERS, instr.op)) throw unsupported(instr);
  if ((instr.op === "bcond" || instr.op === "adr") && instr.far) {
    const words = farWords(instr, address, label);
    const bytes = new Uint8Array(4 * words.length);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < words.length; i++) view.setUint32(4 * i, words[i]! >>> 0, true);
    return bytes;
  }
  const encoder = ENCODERS[instr.op] as (
    i: A64Instruction,
    a: bigint,
    l: (name: string) => bigint,
  ) => number;
  const word = encoder(instr, address, label) >>> 0;
  return new Uint8Array([word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24]);
}

/**
 * The 32-bit instruction word of one instruction (see {@link a64Encode}).
 *
 * @example
 * ```ts
 * import { a64EncodeWord } from "./encode.js";
 * console.log(a64EncodeWord({ op: "nop" }, 0n, () => 0n).toString(16)); // "d503201f"
 * ```
 */
export function a64EncodeWord(
  instr: A64Instruction,
  address: bigint,
  label: (name: string) => bigint,
): number {
  const b = a64Encode(instr, address, label);
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
}
