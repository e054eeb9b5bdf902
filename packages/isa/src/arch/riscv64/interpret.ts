/**
 * An interpreter for the RV64G subset: the emulated backend's CPU.
 *
 * Why decode at load time: every instruction is turned once into a small
 * record of register numbers, a `bigint` immediate and, for branches, jumps
 * and `la`, the absolute target address. The run loop then only looks the
 * record up by address and switches on a numeric kind; nothing is allocated
 * or parsed per step.
 *
 * Registers live in one 64-bit buffer seen both as unsigned and as signed
 * integers, so that a store wraps to 64 bits by itself and a signed compare
 * or arithmetic shift reads the signed view. x0 is hard-wired to zero by
 * decoding every write to it as a write to a 33rd, never-read sink slot.
 *
 * Faults: a memory access that throws a {@link MemoryFault} stops the run
 * before the instruction changes anything, with the program counter still at
 * it, like a precise trap. `ebreak` and an address without an instruction stop
 * with `illegal`.
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { Reg } from "../../lir/lir.js";
import type { Memory } from "../../memory/memory.js";
import type { AssembledCode, Cpu, StopReason } from "../arch.js";
import { EXECUTE, InterpreterLoop } from "../interpreter-loop.js";
import type { RvInstruction } from "./instructions.js";
import {
  isRvFloatRegister,
  isRvIntegerRegister,
  RV_CSRS,
  rvFloatNumber,
  rvIntegerNumber,
} from "./registers.js";

enum K {
  Lui,
  Auipc,
  Addi,
  Addiw,
  Slti,
  Sltiu,
  Andi,
  Ori,
  Xori,
  Slli,
  Srli,
  Srai,
  Add,
  Sub,
  And,
  Or,
  Xor,
  Sll,
  Srl,
  Sra,
  Slt,
  Sltu,
  Mul,
  Lb,
  Lbu,
  Lh,
  Lhu,
  Lw,
  Lwu,
  Ld,
  Sb,
  Sh,
  Sw,
  Sd,
  Fld,
  Fsd,
  Beq,
  Bne,
  Blt,
  Bge,
  Bltu,
  Bgeu,
  Jal,
  Jalr,
  Csrrw,
  Csrrs,
  Csrrc,
  La,
  Ebreak,
  Nop,
}

const KIND: Record<RvInstruction["op"], K> = {
  lui: K.Lui,
  auipc: K.Auipc,
  addi: K.Addi,
  addiw: K.Addiw,
  slti: K.Slti,
  sltiu: K.Sltiu,
  andi: K.Andi,
  ori: K.Ori,
  xori: K.Xori,
  slli: K.Slli,
  srli: K.Srli,
  srai: K.Srai,
  add: K.Add,
  sub: K.Sub,
  and: K.And,
  or: K.Or,
  xor: K.Xor,
  sll: K.Sll,
  srl: K.Srl,
  sra: K.Sra,
  slt: K.Slt,
  sltu: K.Sltu,
  mul: K.Mul,
  lb: K.Lb,
  lbu: K.Lbu,
  lh: K.Lh,
  lhu: K.Lhu,
  lw: K.Lw,
  lwu: K.Lwu,
  ld: K.Ld,
  sb: K.Sb,
  sh: K.Sh,
  sw: K.Sw,
  sd: K.Sd,
  fld: K.Fld,
  fsd: K.Fsd,
  beq: K.Beq,
  bne: K.Bne,
  blt: K.Blt,
  bge: K.Bge,
  bltu: K.Bltu,
  bgeu: K.Bgeu,
  jal: K.Jal,
  jalr: K.Jalr,
  csrrw: K.Csrrw,
  csrrs: K.Csrrs,
  csrrc: K.Csrrc,
  la: K.La,
  ebreak: K.Ebreak,
  nop: K.Nop,
  // Executing a table's data stops the interpreter, as a trap does.
  table: K.Ebreak,
};

/** Index of the write-only slot that stands in for x0 as a destination. */
const SINK = 32;
const M64 = (1n << 64n) - 1n;

interface Decoded {
  readonly k: K;
  /** Destination register index (SINK for x0), or a float register number. */
  readonly rd: number;
  readonly rs1: number;
  /** Second source register (integer or float, by kind). */
  readonly rs2: number;
  /** Immediate, offset, shift amount or CSR number. */
  readonly imm: bigint;
  /** Absolute target of a branch, jump or `la`; the next instruction's address otherwise. */
  readonly target: bigint;
  readonly next: bigint;
  /** Address of the instruction's last 32-bit word (the 8-byte `la` may cross a page). */
  readonly last: bigint;
}

function dest(name: string): number {
  const n = rvIntegerNumber(name);
  return n === 0 ? SINK : n;
}

function decode(
  instr: RvInstruction,
  address: bigint,
  size: number,
  labels: ReadonlyMap<string, bigint>,
): Decoded {
  const k = KIND[instr.op];
  if (k === undefined) {
    throw new IsaError(
      "UNSUPPORTED_INSTRUCTION",
      `riscv64 interpreter: "${instr.op}" at 0x${address.toString(16)} is not in the RV64G subset`,
    );
  }
  const next = address + BigInt(size);
  const resolve = (target: string | number): bigint => {
    if (typeof target === "number") return address + BigInt(target);
    const at = labels.get(target);
    if (at === undefined) {
      throw new IsaError(
        "UNDEFINED_LABEL",
        `riscv64 interpreter: label "${target}" used at 0x${address.toString(16)} is not in the loaded code`,
      );
    }
    return at;
  };
  let rd = SINK;
  let rs1 = 0;
  let rs2 = 0;
  let imm = 0n;
  let target = next;
  switch (instr.op) {
    case "lui":
      rd = dest(instr.rd);
      imm = BigInt((instr.imm << 12) | 0);
      break;
    case "auipc":
      rd = dest(instr.rd);
      imm = BigInt((instr.imm << 12) | 0);
      break;
    case "addi":
    case "addiw":
    case "slti":
    case "sltiu":
    case "andi":
    case "ori":
    case "xori":
      rd = dest(instr.rd);
      rs1 = rvIntegerNumber(instr.rs1);
      imm = BigInt(instr.imm);
      break;
    case "slli":
    case "srli":
    case "srai":
      rd = dest(instr.rd);
      rs1 = rvIntegerNumber(instr.rs1);
      imm = BigInt(instr.shamt & 63);
      break;
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
      rd = dest(instr.rd);
      rs1 = rvIntegerNumber(instr.rs1);
      rs2 = rvIntegerNumber(instr.rs2);
      break;
    case "lb":
    case "lbu":
    case "lh":
    case "lhu":
    case "lw":
    case "lwu":
    case "ld":
      rd = dest(instr.rd);
      rs1 = rvIntegerNumber(instr.rs1);
      imm = BigInt(instr.offset);
      break;
    case "sb":
    case "sh":
    case "sw":
    case "sd":
      rs1 = rvIntegerNumber(instr.rs1);
      rs2 = rvIntegerNumber(instr.rs2);
      imm = BigInt(instr.offset);
      break;
    case "fld":
      rd = rvFloatNumber(instr.rd);
      rs1 = rvIntegerNumber(instr.rs1);
      imm = BigInt(instr.offset);
      break;
    case "fsd":
      rs1 = rvIntegerNumber(instr.rs1);
      rs2 = rvFloatNumber(instr.rs2);
      imm = BigInt(instr.offset);
      break;
    case "beq":
    case "bne":
    case "blt":
    case "bge":
    case "bltu":
    case "bgeu":
      rs1 = rvIntegerNumber(instr.rs1);
      rs2 = rvIntegerNumber(instr.rs2);
      target = resolve(instr.target);
      break;
    case "jal":
      rd = dest(instr.rd);
      target = resolve(instr.target);
      break;
    case "jalr":
      rd = dest(instr.rd);
      rs1 = rvIntegerNumber(instr.rs1);
      imm = BigInt(instr.offset);
      break;
    case "csrrw":
    case "csrrs":
    case "csrrc":
      rd = dest(instr.rd);
      rs1 = rvIntegerNumber(instr.rs1);
      imm = BigInt(instr.csr);
      break;
    case "la":
      rd = dest(instr.rd);
      target = resolve(instr.target);
      break;
  }
  return { k, rd, rs1, rs2, imm, target, next, last: next - 4n };
}

/**
 * The RV64G interpreter. Integer registers are read and written by ABI name
 * or `x0`-`x31` (and `fp`), float registers by ABI name or `f0`-`f31`, and
 * `fcsr` (32 bits; the instructions keep its 8 defined bits), `fflags`, `frm`
 * and `pc` by name.
 *
 * @example
 * ```ts
 * import { assemble, memory, riscv64 } from "@greenthreads/isa";
 * const code = assemble(riscv64, riscv64.select([{ op: "li", dst: "a0", imm: 7n }]), 0x1000n);
 * const mem = new memory.Memory();
 * mem.map(0x1000n, 4096, "rx");
 * const cpu = new riscv64.Cpu(mem);
 * cpu.load(code);
 * cpu.pc = 0x1000n;
 * console.log(cpu.run({ stopAt: [0x1000n + BigInt(code.bytes.length)] }).kind, cpu.get("a0")); // "stopped" 7n
 * ```
 */
export class RvCpu implements Cpu {
  readonly arch = "riscv64" as const;
  readonly memory: Memory;
  pc = 0n;
  readonly #buffer = new ArrayBuffer(8 * 33);
  readonly #u = new BigUint64Array(this.#buffer);
  readonly #s = new BigInt64Array(this.#buffer);
  readonly #f = new BigUint64Array(32);
  #fcsr = 0n;
  /** Loaded code and the step loop every interpreter shares; this class supplies `[EXECUTE]`. */
  readonly #loop: InterpreterLoop<Decoded>;

  constructor(memory: Memory) {
    this.memory = memory;
    this.#loop = new InterpreterLoop<Decoded>("riscv64", memory, (p, labels) =>
      decode(p.instruction as RvInstruction, p.address, p.size, labels),
    );
  }

  get steps(): number {
    return this.#loop.steps;
  }

  get(reg: Reg): bigint {
    if (isRvIntegerRegister(reg)) return this.#u[rvIntegerNumber(reg)]!;
    if (isRvFloatRegister(reg)) return this.#f[rvFloatNumber(reg)]!;
    switch (reg) {
      case "fcsr":
        return this.#fcsr;
      case "fflags":
        return this.#fcsr & 0x1fn;
      case "frm":
        return (this.#fcsr >> 5n) & 7n;
      case "pc":
        return this.pc;
    }
    return unknownRegister(reg);
  }

  set(reg: Reg, value: bigint): void {
    if (isRvIntegerRegister(reg)) {
      const n = rvIntegerNumber(reg);
      if (n !== 0) this.#u[n] = value;
      return;
    }
    if (isRvFloatRegister(reg)) {
      this.#f[rvFloatNumber(reg)] = value;
      return;
    }
    switch (reg) {
      case "fcsr":
        this.#fcsr = BigInt.asUintN(32, value);
        return;
      case "fflags":
        this.#fcsr = (this.#fcsr & ~0x1fn) | (value & 0x1fn);
        return;
      case "frm":
        this.#fcsr = (this.#fcsr & ~0xe0n) | ((value & 7n) << 5n);
        return;
      case "pc":
        this.pc = BigInt.asUintN(64, value);
        return;
    }
    unknownRegister(reg);
  }

  load(code: AssembledCode): void {
    this.#loop.load(code);
  }

  run(options: { stopAt: readonly bigint[]; maxSteps?: number }): StopReason {
    return this.#loop.run(this, options);
  }

  /**
   * Executes one instruction for the step loop; returns the next pc, or why
   * it is illegal (nothing changed then).
   *
   * @internal
   */
  [EXECUTE](d: Decoded, pc: bigint): bigint | string {
    const u = this.#u;
    const s = this.#s;
    const mem = this.memory;
    let next = d.next;
    switch (d.k) {
      case K.Lui:
        u[d.rd] = d.imm;
        break;
      case K.Auipc:
        u[d.rd] = pc + d.imm;
        break;
      case K.Addi:
        u[d.rd] = u[d.rs1]! + d.imm;
        break;
      case K.Addiw:
        u[d.rd] = BigInt.asIntN(32, u[d.rs1]! + d.imm);
        break;
      case K.Slti:
        u[d.rd] = s[d.rs1]! < d.imm ? 1n : 0n;
        break;
      case K.Sltiu:
        u[d.rd] = u[d.rs1]! < (d.imm & M64) ? 1n : 0n;
        break;
      case K.Andi:
        u[d.rd] = u[d.rs1]! & d.imm;
        break;
      case K.Ori:
        u[d.rd] = u[d.rs1]! | d.imm;
        break;
      case K.Xori:
        u[d.rd] = u[d.rs1]! ^ d.imm;
        break;
      case K.Slli:
        u[d.rd] = u[d.rs1]! << d.imm;
        break;
      case K.Srli:
        u[d.rd] = u[d.rs1]! >> d.imm;
        break;
      case K.Srai:
        u[d.rd] = s[d.rs1]! >> d.imm;
        break;
      case K.Add:
        u[d.rd] = u[d.rs1]! + u[d.rs2]!;
        break;
      case K.Sub:
        u[d.rd] = u[d.rs1]! - u[d.rs2]!;
        break;
      case K.And:
        u[d.rd] = u[d.rs1]! & u[d.rs2]!;
        break;
      case K.Or:
        u[d.rd] = u[d.rs1]! | u[d.rs2]!;
        break;
      case K.Xor:
        u[d.rd] = u[d.rs1]! ^ u[d.rs2]!;
        break;
      case K.Sll:
        u[d.rd] = u[d.rs1]! << (u[d.rs2]! & 63n);
        break;
      case K.Srl:
        u[d.rd] = u[d.rs1]! >> (u[d.rs2]! & 63n);
        break;
      case K.Sra:
        u[d.rd] = s[d.rs1]! >> (u[d.rs2]! & 63n);
        break;
      case K.Slt:
        u[d.rd] = s[d.rs1]! < s[d.rs2]! ? 1n : 0n;
        break;
      case K.Sltu:
        u[d.rd] = u[d.rs1]! < u[d.rs2]! ? 1n : 0n;
        break;
      case K.Mul:
        u[d.rd] = u[d.rs1]! * u[d.rs2]!;
        break;
      case K.Lb:
        u[d.rd] = BigInt((mem.read8((u[d.rs1]! + d.imm) & M64) << 24) >> 24);
        break;
      case K.Lbu:
        u[d.rd] = BigInt(mem.read8((u[d.rs1]! + d.imm) & M64));
        break;
      case K.Lh:
        u[d.rd] = BigInt((mem.read16((u[d.rs1]! + d.imm) & M64) << 16) >> 16);
        break;
      case K.Lhu:
        u[d.rd] = BigInt(mem.read16((u[d.rs1]! + d.imm) & M64));
        break;
      case K.Lw:
        u[d.rd] = BigInt(mem.read32((u[d.rs1]! + d.imm) & M64) | 0);
        break;
      case K.Lwu:
        u[d.rd] = BigInt(mem.read32((u[d.rs1]! + d.imm) & M64));
        break;
      case K.Ld:
        u[d.rd] = mem.read64((u[d.rs1]! + d.imm) & M64);
        break;
      case K.Sb:
        mem.write8((u[d.rs1]! + d.imm) & M64, Number(u[d.rs2]! & 0xffn));
        break;
      case K.Sh:
        mem.write16((u[d.rs1]! + d.imm) & M64, Number(u[d.rs2]! & 0xffffn));
        break;
      case K.Sw:
        mem.write32((u[d.rs1]! + d.imm) & M64, Number(u[d.rs2]! & 0xffffffffn));
        break;
      case K.Sd:
        mem.write64((u[d.rs1]! + d.imm) & M64, u[d.rs2]!);
        break;
      case K.Fld:
        this.#f[d.rd] = mem.read64((u[d.rs1]! + d.imm) & M64);
        break;
      case K.Fsd:
        mem.write64((u[d.rs1]! + d.imm) & M64, this.#f[d.rs2]!);
        break;
      case K.Beq:
        if (u[d.rs1] === u[d.rs2]) next = d.target;
        break;
      case K.Bne:
        if (u[d.rs1] !== u[d.rs2]) next = d.target;
        break;
      case K.Blt:
        if (s[d.rs1]! < s[d.rs2]!) next = d.target;
        break;
      case K.Bge:
        if (s[d.rs1]! >= s[d.rs2]!) next = d.target;
        break;
      case K.Bltu:
        if (u[d.rs1]! < u[d.rs2]!) next = d.target;
        break;
      case K.Bgeu:
        if (u[d.rs1]! >= u[d.rs2]!) next = d.target;
        break;
      case K.Jal:
        u[d.rd] = d.next;
        next = d.target;
        break;
      case K.Jalr:
        // The target is computed before the link register is written: rd may equal rs1.
        next = (u[d.rs1]! + d.imm) & (M64 - 1n);
        u[d.rd] = d.next;
        break;
      case K.Csrrw:
      case K.Csrrs:
      case K.Csrrc: {
        const old = this.#readCsr(d.imm);
        if (old === undefined) return `csr 0x${d.imm.toString(16)} does not exist`;
        const v = u[d.rs1]!;
        if (d.k === K.Csrrw) this.#writeCsr(d.imm, v);
        else if (d.rs1 !== 0) this.#writeCsr(d.imm, d.k === K.Csrrs ? old | v : old & ~v);
        u[d.rd] = old;
        break;
      }
      case K.La:
        u[d.rd] = d.target;
        break;
      case K.Nop:
        break;
      case K.Ebreak:
        return "ebreak (trap instruction)";
    }
    return next;
  }

  #readCsr(csr: bigint): bigint | undefined {
    switch (Number(csr)) {
      case RV_CSRS.fflags:
        return this.#fcsr & 0x1fn;
      case RV_CSRS.frm:
        return (this.#fcsr >> 5n) & 7n;
      case RV_CSRS.fcsr:
        return this.#fcsr & 0xffn;
    }
    return undefined;
  }

  /** Writes the defined bits only: fcsr's bits 8-31 are reserved and read as zero. */
  #writeCsr(csr: bigint, value: bigint): void {
    switch (Number(csr)) {
      case RV_CSRS.fflags:
        this.#fcsr = (this.#fcsr & 0xe0n) | (value & 0x1fn);
        break;
      case RV_CSRS.frm:
        this.#fcsr = (this.#fcsr & 0x1fn) | ((value & 7n) << 5n);
        break;
      case RV_CSRS.fcsr:
        this.#fcsr = value & 0xffn;
        break;
    }
  }
}

function unknownRegister(reg: string): never {
  throw new IsaError(
    "UNKNOWN_REGISTER",
    `riscv64: "${reg}" is not a register; use an integer or float register name, fcsr, fflags, frm or pc`,
  );
}
