/**
 * An interpreter of the AArch64 subset over emulated {@link Memory}.
 *
 * Why pre-decoding: the emulated backend runs whole thread programs here, so
 * the loop must not re-inspect operand strings at every step. `load()` turns
 * each placed instruction into a small record of numbers (an operation code,
 * register indices, immediates as bigints, resolved branch targets) once;
 * `run()` then only switches on that code.
 *
 * Register file layout, one bigint per slot:
 *
 * ```
 *   index  0 .. 30   x0 .. x30
 *   index 31         sp      (what encoding 31 means in add/sub-immediate and load/store bases)
 *   index 32         zero    (what encoding 31 means everywhere else: reads 0, writes vanish)
 * ```
 *
 * Decoding maps each operand slot to 31 or 32 by the slot's rule, so the
 * execution loop never has to know which meaning applies. Vector registers
 * keep all 128 bits (`q` views); `d` views are their low 64 bits and writing
 * a `d` register clears the upper half, as the hardware does.
 *
 * Faults: a memory access that faults leaves every register as it was and the
 * program counter at the faulting instruction. Like Linux on AArch64, a load
 * or store whose base is `sp` faults when `sp` is not 16-byte aligned.
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { Reg } from "../../lir/lir.js";
import { type Memory, MemoryFault } from "../../memory/memory.js";
import type { AssembledCode, Cpu, StopReason } from "../arch.js";
import { EXECUTE, InterpreterLoop } from "../interpreter-loop.js";
import { A64_CONDITIONS, type A64Instruction } from "./instructions.js";
import {
  a64CanonicalRegister,
  a64RegisterKind,
  a64VRegister,
  a64WRegister,
  a64XRegister,
  a64XspRegister,
} from "./registers.js";

const MASK64 = (1n << 64n) - 1n;
const SP = 31;
const ZR = 32;

enum K {
  Movz,
  Movk,
  Movn,
  Mov,
  Add,
  Sub,
  Adds,
  Subs,
  And,
  Orr,
  Eor,
  Ands,
  Mul,
  Lslv,
  Lsrv,
  Asrv,
  Lsl,
  Lsr,
  Asr,
  LdrX,
  StrX,
  LdrW,
  StrW,
  LdrH,
  LdrD,
  StrD,
  LdrQ,
  StrQ,
  B,
  Bl,
  Bcond,
  Br,
  Blr,
  Adr,
  Mrs,
  Msr,
  Brk,
  Nop,
}

/** Shift kinds of the second operand: none is lsl #0. */
enum S {
  Lsl,
  Lsr,
  Asr,
  Ror,
}

interface Decoded {
  readonly k: K;
  readonly d: number;
  readonly n: number;
  readonly m: number;
  /** Immediate (add/sub, offsets, move-wide value and mask, shift amount of register forms). */
  readonly imm: bigint;
  /** A second immediate: move-wide keep-mask, shift kind of register forms. */
  readonly aux: bigint;
  readonly sh: S;
  /** Branch target or `adr` result (a condition's index is kept in `m`). */
  readonly target: bigint;
  readonly next: bigint;
  /** Address of the instruction's last 32-bit word, for the execute check. */
  readonly last: bigint;
  readonly text: string;
}

const SHIFT_KIND: Record<string, S> = { lsl: S.Lsl, lsr: S.Lsr, asr: S.Asr, ror: S.Ror };

function x(name: string, what: string): number {
  const n = a64XRegister(name, what);
  return n === 31 ? ZR : n;
}

/** A `w` register: the slot of its `x` register (`wzr` is the zero slot). */
function wr(name: string, what: string): number {
  const n = a64WRegister(name, what);
  return n === 31 ? ZR : n;
}

function xsp(name: string, what: string): number {
  return a64XspRegister(name, what);
}

function isVector(name: string): boolean {
  return name.startsWith("d") || name.startsWith("q");
}

function decode(
  instr: A64Instruction,
  address: bigint,
  size: number,
  labels: ReadonlyMap<string, bigint>,
): Decoded {
  const base = {
    k: K.Nop,
    d: ZR,
    n: ZR,
    m: ZR,
    imm: 0n,
    aux: 0n,
    sh: S.Lsl,
    target: 0n,
    next: address + BigInt(size),
    last: address + BigInt(size - 4),
    text: instr.op,
  };
  const label = (name: string): bigint => {
    const at = labels.get(name);
    if (at === undefined) {
      throw new IsaError(
        "UNDEFINED_LABEL",
        `aarch64 interpreter: label "${name}" is not in the loaded code`,
      );
    }
    return at;
  };
  const w = instr.op;
  switch (instr.op) {
    case "movz":
    case "movk":
    case "movn": {
      const shift = BigInt(instr.shift ?? 0);
      const k = instr.op === "movz" ? K.Movz : instr.op === "movk" ? K.Movk : K.Movn;
      return {
        ...base,
        k,
        d: x(instr.rd, w),
        imm: BigInt(instr.imm) << shift,
        aux: MASK64 ^ (0xffffn << shift),
      };
    }
    case "mov":
      if (instr.rd === "sp" || instr.rn === "sp") {
        return { ...base, k: K.Add, d: xsp(instr.rd, w), n: xsp(instr.rn, w), imm: 0n };
      }
      return { ...base, k: K.Mov, d: x(instr.rd, w), n: x(instr.rn, w) };
    case "addi":
    case "subi":
    case "addsi":
    case "subsi":
    case "cmpi":
    case "cmni": {
      const k = {
        addi: K.Add,
        subi: K.Sub,
        addsi: K.Adds,
        subsi: K.Subs,
        cmpi: K.Subs,
        cmni: K.Adds,
      }[instr.op];
      const setsFlags = k === K.Adds || k === K.Subs;
      const rd = "rd" in instr ? instr.rd : "xzr";
      return {
        ...base,
        k,
        d: setsFlags ? x(rd, w) : xsp(rd, w),
        n: xsp(instr.rn, w),
        imm: BigInt(instr.imm) << (instr.lsl12 ? 12n : 0n),
        // Register operand m stays ZR: the immediate is added to it below.
      };
    }
    case "add":
    case "sub":
    case "adds":
    case "subs":
    case "cmp":
    case "and":
    case "orr":
    case "eor":
    case "ands": {
      const k = {
        add: K.Add,
        sub: K.Sub,
        adds: K.Adds,
        subs: K.Subs,
        cmp: K.Subs,
        and: K.And,
        orr: K.Orr,
        eor: K.Eor,
        ands: K.Ands,
      }[instr.op];
      return {
        ...base,
        k,
        d: "rd" in instr ? x(instr.rd, w) : ZR,
        n: x(instr.rn, w),
        m: x(instr.rm, w),
        sh: SHIFT_KIND[instr.shift ?? "lsl"]!,
        aux: BigInt(instr.amount ?? 0),
      };
    }
    case "mul":
    case "lslv":
    case "lsrv":
    case "asrv": {
      const k = { mul: K.Mul, lslv: K.Lslv, lsrv: K.Lsrv, asrv: K.Asrv }[instr.op];
      return { ...base, k, d: x(instr.rd, w), n: x(instr.rn, w), m: x(instr.rm, w) };
    }
    case "lsli":
    case "lsri":
    case "asri": {
      const k = { lsli: K.Lsl, lsri: K.Lsr, asri: K.Asr }[instr.op];
      return { ...base, k, d: x(instr.rd, w), n: x(instr.rn, w), imm: BigInt(instr.amount) };
    }
    case "ldr":
    case "str":
    case "ldur":
    case "stur": {
      const load = instr.op === "ldr" || instr.op === "ldur";
      let k: K;
      let d: number;
      if (isVector(instr.rt)) {
        const v = a64VRegister(instr.rt, w);
        d = v.n;
        k = v.kind === "d" ? (load ? K.LdrD : K.StrD) : load ? K.LdrQ : K.StrQ;
      } else if (a64RegisterKind(instr.rt) === "w") {
        d = wr(instr.rt, w);
        k = load ? K.LdrW : K.StrW;
      } else {
        d = x(instr.rt, w);
        k = load ? K.LdrX : K.StrX;
      }
      return { ...base, k, d, n: xsp(instr.rn, w), imm: BigInt(instr.offset) };
    }
    case "ldrh":
    case "ldurh":
      return {
        ...base,
        k: K.LdrH,
        d: wr(instr.rt, w),
        n: xsp(instr.rn, w),
        imm: BigInt(instr.offset),
      };
    case "b":
      return { ...base, k: K.B, target: label(instr.target) };
    case "bl":
      return { ...base, k: K.Bl, target: label(instr.target) };
    case "bcond":
      return {
        ...base,
        k: K.Bcond,
        target: label(instr.target),
        m: A64_CONDITIONS.indexOf(instr.cond),
      };
    case "br":
      return { ...base, k: K.Br, n: x(instr.rn, w) };
    case "blr":
      return { ...base, k: K.Blr, n: x(instr.rn, w) };
    case "ret":
      return { ...base, k: K.Br, n: x(instr.rn ?? "x30", w) };
    case "adr":
      return { ...base, k: K.Adr, d: x(instr.rd, w), target: label(instr.target) };
    case "mrs":
      return { ...base, k: K.Mrs, d: x(instr.rt, w) };
    case "msr":
      return { ...base, k: K.Msr, n: x(instr.rt, w) };
    case "brk":
      return { ...base, k: K.Brk, imm: BigInt(instr.imm), text: `brk #${instr.imm}` };
    case "nop":
      return base;
    case "table":
      // Executing a table's data stops the interpreter, as a trap does.
      return { ...base, k: K.Brk, text: "table data" };
  }
  throw new IsaError(
    "UNSUPPORTED_INSTRUCTION",
    `aarch64 interpreter: "${(instr as { op: string }).op}" is not in the supported subset`,
  );
}

function shiftOperand(v: bigint, sh: S, amount: bigint): bigint {
  if (amount === 0n) return v;
  switch (sh) {
    case S.Lsl:
      return (v << amount) & MASK64;
    case S.Lsr:
      return v >> amount;
    case S.Asr:
      return BigInt.asUintN(64, BigInt.asIntN(64, v) >> amount);
    case S.Ror:
      return ((v >> amount) | (v << (64n - amount))) & MASK64;
  }
}

/**
 * The AArch64 interpreter over an emulated {@link Memory}, every register zero at creation. Register
 * names: `x0`..`x30` (`lr`, `fp`), `sp`, `xzr`, `d0`..`d31` (64 bits),
 * `q0`..`q31` (128 bits), `fpcr` (32 significant bits), `nzcv` (flags in
 * bits 31..28, as `mrs` reads them) and `pc`.
 *
 * @example
 * ```ts
 * import { aarch64, assemble, memory } from "@greenthreads/isa";
 * const mem = new memory.Memory();
 * mem.map(0x1000n, 4096, "rx");
 * const code = assemble(aarch64, [{ op: "movz", rd: "x0", imm: 7 }, { op: "brk", imm: 0 }], 0x1000n);
 * mem.poke(0x1000n, code.bytes);
 * const cpu = new aarch64.Cpu(mem);
 * cpu.load(code);
 * cpu.pc = 0x1000n;
 * console.log(cpu.run({ stopAt: [] }).kind, cpu.get("x0")); // "illegal" 7n
 * ```
 */
export class A64Cpu implements Cpu {
  readonly arch = "aarch64" as const;
  readonly memory: Memory;
  pc = 0n;
  /** x0..x30, sp, zero. */
  readonly #x: bigint[] = new Array<bigint>(33).fill(0n);
  /** v0..v31, 128 bits each. */
  readonly #v: bigint[] = new Array<bigint>(32).fill(0n);
  #fpcr = 0n;
  #n = false;
  #z = false;
  #c = false;
  #vf = false;
  /** Loaded code and the step loop every interpreter shares; this class supplies `[EXECUTE]`. */
  readonly #loop: InterpreterLoop<Decoded>;

  constructor(memory: Memory) {
    this.memory = memory;
    this.#loop = new InterpreterLoop<Decoded>("aarch64", memory, (p, labels) =>
      decode(p.instruction as A64Instruction, p.address, p.size, labels),
    );
  }

  get steps(): number {
    return this.#loop.steps;
  }

  get(reg: Reg): bigint {
    const slot = this.#slot(reg);
    if (slot.kind === "x") return this.#x[slot.n]!;
    if (slot.kind === "d") return this.#v[slot.n]! & MASK64;
    if (slot.kind === "q") return this.#v[slot.n]!;
    if (slot.kind === "fpcr") return this.#fpcr;
    if (slot.kind === "nzcv") {
      return (
        (BigInt(this.#n) << 31n) |
        (BigInt(this.#z) << 30n) |
        (BigInt(this.#c) << 29n) |
        (BigInt(this.#vf) << 28n)
      );
    }
    return this.pc;
  }

  set(reg: Reg, value: bigint): void {
    const slot = this.#slot(reg);
    if (slot.kind === "x") {
      if (slot.n !== ZR) this.#x[slot.n] = BigInt.asUintN(64, value);
    } else if (slot.kind === "d") this.#v[slot.n] = BigInt.asUintN(64, value);
    else if (slot.kind === "q") this.#v[slot.n] = BigInt.asUintN(128, value);
    else if (slot.kind === "fpcr") this.#fpcr = BigInt.asUintN(32, value);
    else if (slot.kind === "nzcv") {
      this.#n = ((value >> 31n) & 1n) === 1n;
      this.#z = ((value >> 30n) & 1n) === 1n;
      this.#c = ((value >> 29n) & 1n) === 1n;
      this.#vf = ((value >> 28n) & 1n) === 1n;
    } else this.pc = BigInt.asUintN(64, value);
  }

  #slot(reg: Reg): { kind: "x" | "d" | "q" | "fpcr" | "nzcv" | "pc"; n: number } {
    if (reg === "fpcr" || reg === "nzcv" || reg === "pc") return { kind: reg, n: 0 };
    if (reg === "sp") return { kind: "x", n: SP };
    if (reg === "xzr") return { kind: "x", n: ZR };
    if (reg.startsWith("d") || reg.startsWith("q")) {
      try {
        const v = a64VRegister(reg, "a register read or write");
        return { kind: v.kind, n: v.n };
      } catch {
        // fall through to the error below, which lists every accepted name
      }
    } else {
      try {
        return {
          kind: "x",
          n: a64XRegister(a64CanonicalRegister(reg), "a register read or write"),
        };
      } catch {
        // fall through
      }
    }
    throw new IsaError(
      "UNKNOWN_REGISTER",
      `aarch64: "${reg}" is not a register; use x0..x30, lr, fp, sp, xzr, d0..d31, q0..q31, fpcr, nzcv or pc`,
    );
  }

  load(code: AssembledCode): void {
    this.#loop.load(code);
  }

  run(options: { stopAt: readonly bigint[]; maxSteps?: number }): StopReason {
    return this.#loop.run(this, options);
  }

  /**
   * Executes one instruction for the step loop; returns the next pc, or why
   * it is illegal (nothing changed then). Writes to the zero register vanish:
   * it is reset after every instruction.
   *
   * @internal
   */
  [EXECUTE](op: Decoded): bigint | string {
    const r = this.#x;
    const v = this.#v;
    const mem = this.memory;
    let next = op.next;
    switch (op.k) {
      case K.Movz:
        r[op.d] = op.imm;
        break;
      case K.Movk:
        r[op.d] = (r[op.d]! & op.aux) | op.imm;
        break;
      case K.Movn:
        r[op.d] = op.imm ^ MASK64;
        break;
      case K.Mov:
        r[op.d] = r[op.n]!;
        break;
      case K.Add:
        r[op.d] = (r[op.n]! + op.imm + shiftOperand(r[op.m]!, op.sh, op.aux)) & MASK64;
        break;
      case K.Sub:
        r[op.d] = (r[op.n]! - op.imm - shiftOperand(r[op.m]!, op.sh, op.aux)) & MASK64;
        break;
      case K.Adds: {
        const a = r[op.n]!;
        const b = op.imm + shiftOperand(r[op.m]!, op.sh, op.aux);
        const sum = a + b;
        const res = sum & MASK64;
        this.#n = res >> 63n === 1n;
        this.#z = res === 0n;
        this.#c = sum > MASK64;
        this.#vf = (((~(a ^ b) & (a ^ res)) >> 63n) & 1n) === 1n;
        r[op.d] = res;
        break;
      }
      case K.Subs: {
        const a = r[op.n]!;
        const b = op.imm + shiftOperand(r[op.m]!, op.sh, op.aux);
        const res = (a - b) & MASK64;
        this.#n = res >> 63n === 1n;
        this.#z = res === 0n;
        this.#c = a >= b;
        this.#vf = ((((a ^ b) & (a ^ res)) >> 63n) & 1n) === 1n;
        r[op.d] = res;
        break;
      }
      case K.And:
        r[op.d] = r[op.n]! & shiftOperand(r[op.m]!, op.sh, op.aux);
        break;
      case K.Orr:
        r[op.d] = r[op.n]! | shiftOperand(r[op.m]!, op.sh, op.aux);
        break;
      case K.Eor:
        r[op.d] = r[op.n]! ^ shiftOperand(r[op.m]!, op.sh, op.aux);
        break;
      case K.Ands: {
        const res = r[op.n]! & shiftOperand(r[op.m]!, op.sh, op.aux);
        this.#n = res >> 63n === 1n;
        this.#z = res === 0n;
        this.#c = false;
        this.#vf = false;
        r[op.d] = res;
        break;
      }
      case K.Mul:
        r[op.d] = (r[op.n]! * r[op.m]!) & MASK64;
        break;
      case K.Lslv:
        r[op.d] = (r[op.n]! << (r[op.m]! & 63n)) & MASK64;
        break;
      case K.Lsrv:
        r[op.d] = r[op.n]! >> (r[op.m]! & 63n);
        break;
      case K.Asrv:
        r[op.d] = BigInt.asUintN(64, BigInt.asIntN(64, r[op.n]!) >> (r[op.m]! & 63n));
        break;
      case K.Lsl:
        r[op.d] = (r[op.n]! << op.imm) & MASK64;
        break;
      case K.Lsr:
        r[op.d] = r[op.n]! >> op.imm;
        break;
      case K.Asr:
        r[op.d] = BigInt.asUintN(64, BigInt.asIntN(64, r[op.n]!) >> op.imm);
        break;
      case K.LdrX:
        r[op.d] = mem.read64(this.#address(op));
        break;
      case K.StrX:
        mem.write64(this.#address(op), r[op.d]!);
        break;
      case K.LdrW:
        r[op.d] = BigInt(mem.read32(this.#address(op)));
        break;
      case K.StrW:
        mem.write32(this.#address(op), Number(r[op.d]! & 0xffffffffn));
        break;
      case K.LdrH:
        r[op.d] = BigInt(mem.read16(this.#address(op)));
        break;
      case K.LdrD:
        v[op.d] = mem.read64(this.#address(op));
        break;
      case K.StrD:
        mem.write64(this.#address(op), v[op.d]! & MASK64);
        break;
      case K.LdrQ:
        v[op.d] = mem.read128(this.#address(op));
        break;
      case K.StrQ:
        mem.write128(this.#address(op), v[op.d]!);
        break;
      case K.B:
        next = op.target;
        break;
      case K.Bl:
        r[30] = next;
        next = op.target;
        break;
      case K.Bcond:
        if (this.#holds(op.m)) next = op.target;
        break;
      case K.Br:
        next = r[op.n]!;
        break;
      case K.Blr: {
        const target = r[op.n]!;
        r[30] = next;
        next = target;
        break;
      }
      case K.Adr:
        r[op.d] = op.target;
        break;
      case K.Mrs:
        r[op.d] = this.#fpcr;
        break;
      case K.Msr:
        this.#fpcr = r[op.n]! & 0xffffffffn;
        break;
      case K.Brk:
        return `${op.text}: breakpoint trap`;
      case K.Nop:
        break;
    }
    r[ZR] = 0n;
    return next;
  }

  #address(op: Decoded): bigint {
    const base = this.#x[op.n]!;
    if (op.n === SP && (base & 15n) !== 0n) {
      const load =
        op.k === K.LdrX || op.k === K.LdrW || op.k === K.LdrH || op.k === K.LdrD || op.k === K.LdrQ;
      throw new MemoryFault(
        base,
        load ? "read" : "write",
        "the stack pointer is not 16-byte aligned (AArch64 stack alignment check)",
      );
    }
    return (base + op.imm) & MASK64;
  }

  #holds(cond: number): boolean {
    let result: boolean;
    switch (cond >> 1) {
      case 0:
        result = this.#z;
        break;
      case 1:
        result = this.#c;
        break;
      case 2:
        result = this.#n;
        break;
      case 3:
        result = this.#vf;
        break;
      case 4:
        result = this.#c && !this.#z;
        break;
      case 5:
        result = this.#n === this.#vf;
        break;
      case 6:
        result = this.#n === this.#vf && !this.#z;
        break;
      default:
        return true;
    }
    return cond & 1 ? !result : result;
  }
}
