/**
 * The x86-64 encoder: instruction values to machine code bytes.
 *
 * Why sizes never depend on labels: assembly places labels in a first pass
 * from sizes alone, so every branch, call and `lea` of a label uses its rel32
 * form (never the short `EB`/`7x` jumps). Where an instruction has several
 * encodings that depend only on its own operands (disp8 or disp32, the
 * accumulator short form of `add rax, imm32`, `shl r, 1`), the encoder picks
 * the same one as GNU `as`, so that the golden tests can compare bytes with
 * the assembler's output.
 *
 * ```
 *  [prefix] [REX 0100WRXB] opcode [ModRM mod|reg|rm] [SIB] [disp8/32] [imm]
 *            W: 64-bit operand   R: ModRM.reg bit 3   B: ModRM.rm / base bit 3
 * ```
 *
 * A base register whose low three bits are 100 (rsp, r12) needs a SIB byte
 * (0x24: no index); one whose low bits are 101 (rbp, r13) cannot use the
 * no-displacement form (that encoding means rip-relative), so it gets disp8 0.
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import { encodeTable, TABLE_ENTRY_SIZE } from "../table.js";
import type { X86Instruction } from "./instructions.js";
import { X86_CONDITIONS } from "./instructions.js";
import {
  aluImm32,
  checkDisp,
  describeInstruction,
  fitsInt32,
  outOfRange,
  shiftCount,
  signed64,
} from "./operands.js";
import { x86IntegerNumber, x86XmmNumber } from "./registers.js";

/** ModRM.reg extension of the `81`/`83` immediate group, and the `01`-style opcode. */
const ALU = {
  add: { ext: 0, op: 0x01 },
  or: { ext: 1, op: 0x09 },
  and: { ext: 4, op: 0x21 },
  sub: { ext: 5, op: 0x29 },
  xor: { ext: 6, op: 0x31 },
  cmp: { ext: 7, op: 0x39 },
} as const;

const SHIFT = { shl: 4, shr: 5, sar: 7 } as const;

/** Byte sink that avoids intermediate arrays per field. */
class Out {
  readonly bytes: number[] = [];
  byte(b: number): void {
    this.bytes.push(b & 0xff);
  }
  u32(v: number): void {
    this.byte(v);
    this.byte(v >> 8);
    this.byte(v >> 16);
    this.byte(v >> 24);
  }
  u64(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    for (let i = 0n; i < 64n; i += 8n) this.byte(Number((u >> i) & 0xffn));
  }
}

/** REX prefix, omitted when it would carry no bit (0x40). */
function rex(out: Out, w: boolean, reg: number, base: number): void {
  const value = 0x40 | (w ? 8 : 0) | ((reg >> 3) << 2) | (base >> 3);
  if (value !== 0x40) out.byte(value);
}

/** ModRM (+SIB) (+disp) for `[base + disp]` with `reg` in ModRM.reg. */
function memory(out: Out, reg: number, base: number, disp: number): void {
  const low = base & 7;
  const mod = disp === 0 && low !== 5 ? 0 : disp >= -128 && disp <= 127 ? 1 : 2;
  out.byte((mod << 6) | ((reg & 7) << 3) | low);
  if (low === 4) out.byte(0x24);
  if (mod === 1) out.byte(disp);
  else if (mod === 2) out.u32(disp);
}

/** ModRM for a register-direct operand. */
function direct(out: Out, reg: number, rm: number): void {
  out.byte(0xc0 | ((reg & 7) << 3) | (rm & 7));
}

function rel32(
  instruction: X86Instruction,
  target: string,
  end: bigint,
  label: (name: string) => bigint,
): number {
  const delta = label(target) - end;
  if (delta < -(1n << 31n) || delta >= 1n << 31n) {
    outOfRange(
      instruction,
      "target",
      `"${target}" is ${delta} bytes away, beyond the ±2 GiB reach of rel32; place code closer or jump through a register`,
    );
  }
  return Number(delta);
}

function emit(
  instruction: X86Instruction,
  address: bigint,
  label: (name: string) => bigint,
): number[] {
  const out = new Out();
  const i = instruction;
  switch (i.op) {
    case "mov": {
      const d = x86IntegerNumber(i.dst);
      const s = x86IntegerNumber(i.src);
      rex(out, true, s, d);
      out.byte(0x89);
      direct(out, s, d);
      break;
    }
    case "movi": {
      const d = x86IntegerNumber(i.dst);
      const v = signed64(i, "imm", i.imm);
      if (fitsInt32(v)) {
        rex(out, true, 0, d);
        out.byte(0xc7);
        direct(out, 0, d);
        out.u32(Number(v));
      } else {
        rex(out, true, 0, d);
        out.byte(0xb8 + (d & 7));
        out.u64(v);
      }
      break;
    }
    case "load":
    case "store": {
      const r = x86IntegerNumber(i.op === "load" ? i.dst : i.src);
      const b = x86IntegerNumber(i.base);
      const disp = checkDisp(i, "disp", i.disp);
      rex(out, true, r, b);
      out.byte(i.op === "load" ? 0x8b : 0x89);
      memory(out, r, b, disp);
      break;
    }
    case "load32":
    case "load16": {
      // No REX.W: a 32-bit destination, which the processor zero-extends to 64 bits.
      const r = x86IntegerNumber(i.dst);
      const b = x86IntegerNumber(i.base);
      const disp = checkDisp(i, "disp", i.disp);
      rex(out, false, r, b);
      if (i.op === "load16") {
        out.byte(0x0f);
        out.byte(0xb7);
      } else {
        out.byte(0x8b);
      }
      memory(out, r, b, disp);
      break;
    }
    case "lea": {
      const d = x86IntegerNumber(i.dst);
      rex(out, true, d, 0);
      out.byte(0x8d);
      out.byte(((d & 7) << 3) | 5);
      out.u32(rel32(i, i.label, address + 7n, label));
      break;
    }
    case "alu": {
      const d = x86IntegerNumber(i.dst);
      const s = x86IntegerNumber(i.src);
      rex(out, true, s, d);
      out.byte(ALU[i.kind].op);
      direct(out, s, d);
      break;
    }
    case "alui": {
      const d = x86IntegerNumber(i.dst);
      const v = aluImm32(i, i.imm);
      const { ext, op } = ALU[i.kind];
      rex(out, true, 0, d);
      if (v >= -128 && v <= 127) {
        out.byte(0x83);
        direct(out, ext, d);
        out.byte(v);
      } else if (d === 0) {
        out.byte(op + 4);
        out.u32(v);
      } else {
        out.byte(0x81);
        direct(out, ext, d);
        out.u32(v);
      }
      break;
    }
    case "imul": {
      const d = x86IntegerNumber(i.dst);
      const s = x86IntegerNumber(i.src);
      rex(out, true, d, s);
      out.byte(0x0f);
      out.byte(0xaf);
      direct(out, d, s);
      break;
    }
    case "shift": {
      const d = x86IntegerNumber(i.dst);
      rex(out, true, 0, d);
      out.byte(0xd3);
      direct(out, SHIFT[i.kind], d);
      break;
    }
    case "shifti": {
      const d = x86IntegerNumber(i.dst);
      const n = shiftCount(i, i.imm);
      rex(out, true, 0, d);
      out.byte(n === 1 ? 0xd1 : 0xc1);
      direct(out, SHIFT[i.kind], d);
      if (n !== 1) out.byte(n);
      break;
    }
    case "push":
    case "pop": {
      const r = x86IntegerNumber(i.reg);
      rex(out, false, 0, r);
      out.byte((i.op === "push" ? 0x50 : 0x58) + (r & 7));
      break;
    }
    case "jmp":
      out.byte(0xe9);
      out.u32(rel32(i, i.target, address + 5n, label));
      break;
    case "call":
      out.byte(0xe8);
      out.u32(rel32(i, i.target, address + 5n, label));
      break;
    case "jcc": {
      const cc = X86_CONDITIONS.indexOf(i.cond);
      if (cc < 0) {
        throw new IsaError(
          "UNSUPPORTED_INSTRUCTION",
          `x86_64 jcc: unknown condition "${i.cond}" in ${describeInstruction(i)}; use one of ${X86_CONDITIONS.join(", ")}`,
        );
      }
      out.byte(0x0f);
      out.byte(0x80 + cc);
      out.u32(rel32(i, i.target, address + 6n, label));
      break;
    }
    case "jmpr":
    case "callr": {
      const r = x86IntegerNumber(i.reg);
      rex(out, false, 0, r);
      out.byte(0xff);
      direct(out, i.op === "jmpr" ? 4 : 2, r);
      break;
    }
    case "ret":
      out.byte(0xc3);
      break;
    case "nop":
      out.byte(0x90);
      break;
    case "ud2":
      out.byte(0x0f);
      out.byte(0x0b);
      break;
    case "movdquLoad":
    case "movdquStore":
    case "movqLoad":
    case "movqStore": {
      const load = i.op === "movdquLoad" || i.op === "movqLoad";
      const x = x86XmmNumber(load ? (i as { dst: string }).dst : (i as { src: string }).src);
      const b = x86IntegerNumber(i.base);
      const disp = checkDisp(i, "disp", i.disp);
      out.byte(i.op === "movqStore" ? 0x66 : 0xf3);
      rex(out, false, x, b);
      out.byte(0x0f);
      out.byte(
        i.op === "movdquLoad"
          ? 0x6f
          : i.op === "movdquStore"
            ? 0x7f
            : i.op === "movqLoad"
              ? 0x7e
              : 0xd6,
      );
      memory(out, x, b, disp);
      break;
    }
    case "ldmxcsr":
    case "stmxcsr":
    case "fldcw":
    case "fnstcw": {
      const b = x86IntegerNumber(i.base);
      const disp = checkDisp(i, "disp", i.disp);
      rex(out, false, 0, b);
      const sse = i.op === "ldmxcsr" || i.op === "stmxcsr";
      if (sse) {
        out.byte(0x0f);
        out.byte(0xae);
      } else {
        out.byte(0xd9);
      }
      const ext = i.op === "ldmxcsr" ? 2 : i.op === "stmxcsr" ? 3 : i.op === "fldcw" ? 5 : 7;
      memory(out, ext, b, disp);
      break;
    }
    case "loadGs":
    case "storeGs": {
      const r = x86IntegerNumber(i.op === "loadGs" ? i.dst : i.src);
      const disp = checkDisp(i, "disp", i.disp);
      out.byte(0x65);
      rex(out, true, r, 0);
      out.byte(i.op === "loadGs" ? 0x8b : 0x89);
      out.byte(((r & 7) << 3) | 4);
      out.byte(0x25);
      out.u32(disp);
      break;
    }
    default:
      throw new IsaError(
        "UNSUPPORTED_INSTRUCTION",
        `x86_64: instruction ${describeInstruction(i)} is outside the supported subset; see X86Instruction`,
      );
  }
  return out.bytes;
}

/**
 * Encodes one instruction placed at `address`; `label` resolves label names
 * (for `jmp`, `jcc`, `call` and `lea`). Throws an IsaError
 * `OPERAND_OUT_OF_RANGE`, `UNKNOWN_REGISTER` or `UNSUPPORTED_INSTRUCTION`
 * naming the instruction.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * const bytes = x86_64.encode({ op: "mov", dst: "rax", src: "rbx" }, 0n, () => 0n);
 * console.log([...bytes]); // [72, 137, 216]
 * ```
 */
export function encodeX86(
  instruction: X86Instruction,
  address: bigint,
  label: (name: string) => bigint,
): Uint8Array {
  if (instruction.op === "table") return encodeTable("x86_64", instruction.entries, address, label);
  return Uint8Array.from(emit(instruction, address, label));
}

/**
 * The size in bytes of an instruction's encoding; it depends only on the
 * instruction's own operands, never on label addresses.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.sizeOf({ op: "jcc", cond: "ne", target: "loop" })); // 6
 * ```
 */
export function sizeOfX86(instruction: X86Instruction): number {
  if (instruction.op === "table") return instruction.entries.length * TABLE_ENTRY_SIZE;
  // Every label resolves to the instruction's own address: rel32 always fits.
  return emit(instruction, 0n, () => 0n).length;
}
