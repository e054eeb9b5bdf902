/**
 * The x86-64 interpreter: the emulated backend's CPU.
 *
 * Why it pre-decodes: {@link X86Cpu.load} turns each placed instruction into
 * a flat record (numeric opcode, register indices, resolved branch target,
 * address of the next instruction) kept in a map by address, so a step is a
 * map lookup and one `switch` on a number: no allocation besides the bigints
 * of the values themselves.
 *
 * Faithfulness where the runtime depends on it:
 * - every fetch checks the page's execute permission (first and last byte,
 *   in the step loop every interpreter shares), so jumping into a data page
 *   or a guard page faults like hardware;
 * - each instruction does its memory access before it changes any register,
 *   so a fault leaves the state as it was before the instruction and the
 *   program counter on it;
 * - CF, PF, ZF, SF and OF follow the hardware for `add`, `sub`, `cmp`,
 *   `and`, `or`, `xor` and the shifts (count masked to 6 bits, flags kept for
 *   a zero count; OF is computed for every count as for a count of 1, where
 *   hardware leaves it undefined). `imul` sets CF = OF = signed overflow and
 *   keeps ZF, SF and PF (undefined on hardware). Other instructions keep flags.
 * - `mxcsr`, `x87cw` and `gs_base` are plain state: `ldmxcsr`/`fldcw` store
 *   the loaded value without checking reserved bits or raising exceptions.
 *
 * ```
 *   push r:  rsp -= 8; [rsp] = r          call t:  push (address after call); rip = t
 *   pop r:   r = [rsp]; rsp += 8          ret:     rip = [rsp]; rsp += 8
 * ```
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { Reg } from "../../lir/lir.js";
import type { Memory } from "../../memory/memory.js";
import type { AssembledCode, Cpu, StopReason } from "../arch.js";
import { EXECUTE, InterpreterLoop } from "../interpreter-loop.js";
import type { X86Instruction } from "./instructions.js";
import { X86_CONDITIONS } from "./instructions.js";
import { aluImm32, checkDisp, shiftCount, signed64 } from "./operands.js";
import { X86_INTEGER_REGISTERS, x86IntegerNumber, x86XmmNumber } from "./registers.js";

const M64 = (1n << 64n) - 1n;
const SIGN = 1n << 63n;
const RSP = 4;

enum K {
  Mov,
  Movi,
  Load,
  Store,
  Load32,
  Load16,
  Lea,
  Alu,
  Alui,
  Imul,
  Shift,
  Shifti,
  Push,
  Pop,
  Jmp,
  Jcc,
  Jmpr,
  Call,
  Callr,
  Ret,
  Nop,
  Ud2,
  MovdquLoad,
  MovdquStore,
  MovqLoad,
  MovqStore,
  Ldmxcsr,
  Stmxcsr,
  Fldcw,
  Fnstcw,
  LoadGs,
  StoreGs,
}

enum A {
  Add,
  Sub,
  And,
  Or,
  Xor,
  Cmp,
  Shl,
  Shr,
  Sar,
}

const ALU_KIND = { add: A.Add, sub: A.Sub, and: A.And, or: A.Or, xor: A.Xor, cmp: A.Cmp } as const;
const SHIFT_KIND = { shl: A.Shl, shr: A.Shr, sar: A.Sar } as const;

/** One pre-decoded instruction; every field present so that all records share a shape. */
interface Decoded {
  k: K;
  /** Sub-kind: ALU/shift kind or condition code. */
  sub: number;
  /** First register index (destination, or the only register). */
  r: number;
  /** Second register index (source or base). */
  s: number;
  /** Displacement, immediate or resolved target. */
  v: bigint;
  /** Address of the next instruction. */
  next: bigint;
  /** Address of the instruction's last byte, for the execute check. */
  last: bigint;
  pc: bigint;
}

const PARITY_EVEN = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x; x >>= 1) n += x & 1;
  return n % 2 === 0 ? 1 : 0;
});

function decode(
  instruction: X86Instruction,
  pc: bigint,
  size: number,
  labels: ReadonlyMap<string, bigint>,
): Decoded {
  const d: Decoded = {
    k: K.Nop,
    sub: 0,
    r: 0,
    s: 0,
    v: 0n,
    next: pc + BigInt(size),
    last: pc + BigInt(size - 1),
    pc,
  };
  const target = (name: string): bigint => {
    const at = labels.get(name);
    if (at === undefined) {
      throw new IsaError(
        "UNDEFINED_LABEL",
        `x86_64 ${instruction.op} at 0x${pc.toString(16)}: label "${name}" is not in the loaded code`,
      );
    }
    return at;
  };
  const i = instruction;
  switch (i.op) {
    case "mov":
      Object.assign(d, { k: K.Mov, r: x86IntegerNumber(i.dst), s: x86IntegerNumber(i.src) });
      break;
    case "movi":
      Object.assign(d, {
        k: K.Movi,
        r: x86IntegerNumber(i.dst),
        v: BigInt.asUintN(64, signed64(i, "imm", i.imm)),
      });
      break;
    case "load":
    case "store":
      Object.assign(d, {
        k: i.op === "load" ? K.Load : K.Store,
        r: x86IntegerNumber(i.op === "load" ? i.dst : i.src),
        s: x86IntegerNumber(i.base),
        v: BigInt(checkDisp(i, "disp", i.disp)),
      });
      break;
    case "load32":
    case "load16":
      Object.assign(d, {
        k: i.op === "load32" ? K.Load32 : K.Load16,
        r: x86IntegerNumber(i.dst),
        s: x86IntegerNumber(i.base),
        v: BigInt(checkDisp(i, "disp", i.disp)),
      });
      break;
    case "lea":
      Object.assign(d, { k: K.Lea, r: x86IntegerNumber(i.dst), v: target(i.label) });
      break;
    case "alu":
      Object.assign(d, {
        k: K.Alu,
        sub: ALU_KIND[i.kind],
        r: x86IntegerNumber(i.dst),
        s: x86IntegerNumber(i.src),
      });
      break;
    case "alui":
      Object.assign(d, {
        k: K.Alui,
        sub: ALU_KIND[i.kind],
        r: x86IntegerNumber(i.dst),
        v: BigInt.asUintN(64, BigInt(aluImm32(i, i.imm))),
      });
      break;
    case "imul":
      Object.assign(d, { k: K.Imul, r: x86IntegerNumber(i.dst), s: x86IntegerNumber(i.src) });
      break;
    case "shift":
      Object.assign(d, { k: K.Shift, sub: SHIFT_KIND[i.kind], r: x86IntegerNumber(i.dst) });
      break;
    case "shifti":
      Object.assign(d, {
        k: K.Shifti,
        sub: SHIFT_KIND[i.kind],
        r: x86IntegerNumber(i.dst),
        v: BigInt(shiftCount(i, i.imm)),
      });
      break;
    case "push":
    case "pop":
    case "jmpr":
    case "callr":
      Object.assign(d, {
        k: { push: K.Push, pop: K.Pop, jmpr: K.Jmpr, callr: K.Callr }[i.op],
        r: x86IntegerNumber(i.reg),
      });
      break;
    case "jmp":
      Object.assign(d, { k: K.Jmp, v: target(i.target) });
      break;
    case "call":
      Object.assign(d, { k: K.Call, v: target(i.target) });
      break;
    case "jcc":
      Object.assign(d, { k: K.Jcc, sub: X86_CONDITIONS.indexOf(i.cond), v: target(i.target) });
      break;
    case "ret":
      d.k = K.Ret;
      break;
    case "nop":
      d.k = K.Nop;
      break;
    case "ud2":
    case "table":
      // Executing a table's data is an illegal instruction, as a trap is.
      d.k = K.Ud2;
      break;
    case "movdquLoad":
    case "movqLoad":
      Object.assign(d, {
        k: i.op === "movdquLoad" ? K.MovdquLoad : K.MovqLoad,
        r: x86XmmNumber(i.dst),
        s: x86IntegerNumber(i.base),
        v: BigInt(checkDisp(i, "disp", i.disp)),
      });
      break;
    case "movdquStore":
    case "movqStore":
      Object.assign(d, {
        k: i.op === "movdquStore" ? K.MovdquStore : K.MovqStore,
        r: x86XmmNumber(i.src),
        s: x86IntegerNumber(i.base),
        v: BigInt(checkDisp(i, "disp", i.disp)),
      });
      break;
    case "ldmxcsr":
    case "stmxcsr":
    case "fldcw":
    case "fnstcw":
      Object.assign(d, {
        k: { ldmxcsr: K.Ldmxcsr, stmxcsr: K.Stmxcsr, fldcw: K.Fldcw, fnstcw: K.Fnstcw }[i.op],
        s: x86IntegerNumber(i.base),
        v: BigInt(checkDisp(i, "disp", i.disp)),
      });
      break;
    case "loadGs":
    case "storeGs":
      Object.assign(d, {
        k: i.op === "loadGs" ? K.LoadGs : K.StoreGs,
        r: x86IntegerNumber(i.op === "loadGs" ? i.dst : i.src),
        v: BigInt(checkDisp(i, "disp", i.disp)),
      });
      break;
    default:
      throw new IsaError(
        "UNSUPPORTED_INSTRUCTION",
        `x86_64: cannot load instruction ${JSON.stringify((i as { op: string }).op)} at 0x${pc.toString(16)}; it is outside the subset`,
      );
  }
  return d;
}

/**
 * An x86-64 interpreter over an emulated {@link Memory}. Create it with
 * `new x86_64.Cpu(memory)`; besides the integer and xmm registers it
 * exposes `mxcsr`, `x87cw`, `gs_base` and `rflags` (CF bit 0, PF bit 2, ZF
 * bit 6, SF bit 7, OF bit 11).
 *
 * @example
 * ```ts
 * import { assemble, memory, x86_64 } from "@greenthreads/isa";
 * const mem = new memory.Memory();
 * mem.map(0x1000n, 4096, "rx");
 * const code = assemble(x86_64, [{ op: "movi", dst: "rax", imm: 7n }, { op: "nop" }], 0x1000n);
 * mem.poke(0x1000n, code.bytes);
 * const cpu = new x86_64.Cpu(mem);
 * cpu.load(code);
 * cpu.pc = 0x1000n;
 * console.log(cpu.run({ stopAt: [0x1007n] }).kind, cpu.get("rax")); // "stopped" 7n
 * ```
 */
export class X86Cpu implements Cpu {
  readonly arch = "x86_64" as const;
  readonly memory: Memory;
  pc = 0n;
  readonly #r: bigint[] = new Array<bigint>(16).fill(0n);
  readonly #x: bigint[] = new Array<bigint>(16).fill(0n);
  #mxcsr = 0;
  #x87cw = 0;
  #gsBase = 0n;
  #cf = false;
  #zf = false;
  #sf = false;
  #of = false;
  #pfByte = 0;
  /** Loaded code and the step loop every interpreter shares; this class supplies `[EXECUTE]`. */
  readonly #loop: InterpreterLoop<Decoded>;

  constructor(memory: Memory) {
    this.memory = memory;
    this.#loop = new InterpreterLoop<Decoded>("x86_64", memory, (p, labels) =>
      decode(p.instruction as X86Instruction, p.address, p.size, labels),
    );
  }

  get steps(): number {
    return this.#loop.steps;
  }

  get(reg: Reg): bigint {
    const r = X86_INTEGER_REGISTERS.indexOf(reg);
    if (r >= 0) return this.#r[r]!;
    switch (reg) {
      case "mxcsr":
        return BigInt(this.#mxcsr);
      case "x87cw":
        return BigInt(this.#x87cw);
      case "gs_base":
        return this.#gsBase;
      case "rflags":
        return BigInt(
          (this.#cf ? 1 : 0) |
            (PARITY_EVEN[this.#pfByte]! << 2) |
            (this.#zf ? 0x40 : 0) |
            (this.#sf ? 0x80 : 0) |
            (this.#of ? 0x800 : 0),
        );
      default:
        return this.#x[x86XmmNumber(reg)]!;
    }
  }

  set(reg: Reg, value: bigint): void {
    const r = X86_INTEGER_REGISTERS.indexOf(reg);
    if (r >= 0) {
      this.#r[r] = BigInt.asUintN(64, value);
      return;
    }
    switch (reg) {
      case "mxcsr":
        this.#mxcsr = Number(BigInt.asUintN(32, value));
        return;
      case "x87cw":
        this.#x87cw = Number(BigInt.asUintN(16, value));
        return;
      case "gs_base":
        this.#gsBase = BigInt.asUintN(64, value);
        return;
      case "rflags": {
        const f = Number(BigInt.asUintN(12, value));
        this.#cf = (f & 1) !== 0;
        // A low byte with even parity (0) or odd parity (1) reproduces PF.
        this.#pfByte = f & 4 ? 0 : 1;
        this.#zf = (f & 0x40) !== 0;
        this.#sf = (f & 0x80) !== 0;
        this.#of = (f & 0x800) !== 0;
        return;
      }
      default:
        this.#x[x86XmmNumber(reg)] = BigInt.asUintN(128, value);
    }
  }

  load(code: AssembledCode): void {
    this.#loop.load(code);
  }

  run(options: { stopAt: readonly bigint[]; maxSteps?: number }): StopReason {
    return this.#loop.run(this, options);
  }

  #zsp(r: bigint): void {
    this.#zf = r === 0n;
    this.#sf = r >= SIGN;
    this.#pfByte = Number(r & 0xffn);
  }

  /** Applies an ALU operation to 64-bit unsigned operands, setting flags; returns the result. */
  #alu(kind: number, a: bigint, b: bigint): bigint {
    let r: bigint;
    switch (kind) {
      case A.Add:
        r = (a + b) & M64;
        this.#cf = r < a;
        this.#of = ((a ^ r) & (b ^ r) & SIGN) !== 0n;
        break;
      case A.Sub:
      case A.Cmp:
        r = (a - b) & M64;
        this.#cf = a < b;
        this.#of = ((a ^ b) & (a ^ r) & SIGN) !== 0n;
        break;
      case A.And:
        r = a & b;
        this.#cf = this.#of = false;
        break;
      case A.Or:
        r = a | b;
        this.#cf = this.#of = false;
        break;
      default:
        r = a ^ b;
        this.#cf = this.#of = false;
        break;
    }
    this.#zsp(r);
    return r;
  }

  /** Shifts a 64-bit value; `count` is already masked to 0..63. */
  #shift(kind: number, a: bigint, count: bigint): bigint {
    if (count === 0n) return a;
    let r: bigint;
    if (kind === A.Shl) {
      r = (a << count) & M64;
      this.#cf = ((a >> (64n - count)) & 1n) !== 0n;
      this.#of = r >= SIGN !== this.#cf;
    } else if (kind === A.Shr) {
      r = a >> count;
      this.#cf = ((a >> (count - 1n)) & 1n) !== 0n;
      this.#of = a >= SIGN;
    } else {
      const s = BigInt.asIntN(64, a);
      r = BigInt.asUintN(64, s >> count);
      this.#cf = ((s >> (count - 1n)) & 1n) !== 0n;
      this.#of = false;
    }
    this.#zsp(r);
    return r;
  }

  #condition(cc: number): boolean {
    let t: boolean;
    switch (cc >> 1) {
      case 0:
        t = this.#of;
        break;
      case 1:
        t = this.#cf;
        break;
      case 2:
        t = this.#zf;
        break;
      case 3:
        t = this.#cf || this.#zf;
        break;
      case 4:
        t = this.#sf;
        break;
      case 5:
        t = PARITY_EVEN[this.#pfByte] === 1;
        break;
      case 6:
        t = this.#sf !== this.#of;
        break;
      default:
        t = this.#zf || this.#sf !== this.#of;
        break;
    }
    return cc & 1 ? !t : t;
  }

  #address(base: number, disp: bigint): bigint {
    return (this.#r[base]! + disp) & M64;
  }

  /**
   * Executes one instruction for the step loop; returns the next pc, or why
   * it is illegal (nothing changed then).
   *
   * @internal
   */
  [EXECUTE](d: Decoded): bigint | string {
    const r = this.#r;
    const mem = this.memory;
    let next = d.next;
    switch (d.k) {
      case K.Mov:
        r[d.r] = r[d.s]!;
        break;
      case K.Movi:
        r[d.r] = d.v;
        break;
      case K.Load:
        r[d.r] = mem.read64(this.#address(d.s, d.v));
        break;
      case K.Store:
        mem.write64(this.#address(d.s, d.v), r[d.r]!);
        break;
      case K.Load32:
        r[d.r] = BigInt(mem.read32(this.#address(d.s, d.v)));
        break;
      case K.Load16:
        r[d.r] = BigInt(mem.read16(this.#address(d.s, d.v)));
        break;
      case K.Lea:
        r[d.r] = d.v;
        break;
      case K.Alu: {
        const v = this.#alu(d.sub, r[d.r]!, r[d.s]!);
        if (d.sub !== A.Cmp) r[d.r] = v;
        break;
      }
      case K.Alui: {
        const v = this.#alu(d.sub, r[d.r]!, d.v);
        if (d.sub !== A.Cmp) r[d.r] = v;
        break;
      }
      case K.Imul: {
        const p = BigInt.asIntN(64, r[d.r]!) * BigInt.asIntN(64, r[d.s]!);
        const low = BigInt.asIntN(64, p);
        this.#cf = this.#of = low !== p;
        r[d.r] = BigInt.asUintN(64, low);
        break;
      }
      case K.Shift:
        r[d.r] = this.#shift(d.sub, r[d.r]!, r[1]! & 63n);
        break;
      case K.Shifti:
        r[d.r] = this.#shift(d.sub, r[d.r]!, d.v);
        break;
      case K.Push: {
        const sp = (r[RSP]! - 8n) & M64;
        mem.write64(sp, r[d.r]!);
        r[RSP] = sp;
        break;
      }
      case K.Pop: {
        const v = mem.read64(r[RSP]!);
        r[RSP] = (r[RSP]! + 8n) & M64;
        r[d.r] = v;
        break;
      }
      case K.Jmp:
        next = d.v;
        break;
      case K.Jcc:
        if (this.#condition(d.sub)) next = d.v;
        break;
      case K.Jmpr:
        next = r[d.r]!;
        break;
      case K.Call:
      case K.Callr: {
        const to = d.k === K.Call ? d.v : r[d.r]!;
        const sp = (r[RSP]! - 8n) & M64;
        mem.write64(sp, d.next);
        r[RSP] = sp;
        next = to;
        break;
      }
      case K.Ret: {
        next = mem.read64(r[RSP]!);
        r[RSP] = (r[RSP]! + 8n) & M64;
        break;
      }
      case K.Nop:
        break;
      case K.Ud2:
        return "ud2 (trap instruction)";
      case K.MovdquLoad:
        this.#x[d.r] = mem.read128(this.#address(d.s, d.v));
        break;
      case K.MovdquStore:
        mem.write128(this.#address(d.s, d.v), this.#x[d.r]!);
        break;
      case K.MovqLoad:
        this.#x[d.r] = mem.read64(this.#address(d.s, d.v));
        break;
      case K.MovqStore:
        mem.write64(this.#address(d.s, d.v), this.#x[d.r]! & M64);
        break;
      case K.Ldmxcsr:
        this.#mxcsr = mem.read32(this.#address(d.s, d.v));
        break;
      case K.Stmxcsr:
        mem.write32(this.#address(d.s, d.v), this.#mxcsr);
        break;
      case K.Fldcw:
        this.#x87cw = mem.read16(this.#address(d.s, d.v));
        break;
      case K.Fnstcw:
        mem.write16(this.#address(d.s, d.v), this.#x87cw);
        break;
      case K.LoadGs:
        r[d.r] = mem.read64((this.#gsBase + d.v) & M64);
        break;
      case K.StoreGs:
        mem.write64((this.#gsBase + d.v) & M64, r[d.r]!);
        break;
    }
    return next;
  }
}
