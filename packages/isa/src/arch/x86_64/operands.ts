/**
 * Operand checks shared by the x86-64 encoder, formatter and instruction
 * selection.
 *
 * Why shared: an operand that the encoder rejects must be rejected by the
 * formatter too (otherwise the text and the bytes could disagree), with the
 * same IsaError code and the same wording.
 *
 * @module
 */
import { IsaError } from "../../errors.js";
import type { X86Instruction } from "./instructions.js";

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const MIN64 = -(1n << 63n);
const LIMIT64 = 1n << 64n;

/** A short, readable rendering of an instruction value for error messages. */
export function describeInstruction(instruction: X86Instruction): string {
  return JSON.stringify(instruction, (_key, value) =>
    typeof value === "bigint" ? `${value}n` : value,
  );
}

/** Throws OPERAND_OUT_OF_RANGE naming the instruction and operand. */
export function outOfRange(instruction: X86Instruction, operand: string, why: string): never {
  throw new IsaError(
    "OPERAND_OUT_OF_RANGE",
    `x86_64 ${instruction.op}: operand ${operand} ${why} in ${describeInstruction(instruction)}`,
  );
}

/** A displacement: an integer that fits a signed 32-bit field. */
export function checkDisp(instruction: X86Instruction, operand: string, disp: number): number {
  if (!Number.isInteger(disp) || disp < INT32_MIN || disp > INT32_MAX) {
    outOfRange(
      instruction,
      operand,
      `= ${disp} is not a signed 32-bit integer; compute the address into a register first`,
    );
  }
  return disp;
}

/**
 * The signed 64-bit value of an immediate given as any bigint in
 * [-2^63, 2^64): both the signed and the unsigned spelling of a bit pattern
 * are accepted.
 */
export function signed64(instruction: X86Instruction, operand: string, imm: bigint): bigint {
  if (typeof imm !== "bigint" || imm < MIN64 || imm >= LIMIT64) {
    outOfRange(instruction, operand, `= ${imm} is not a 64-bit value (-2^63 to 2^64-1)`);
  }
  return BigInt.asIntN(64, imm);
}

/** Whether a signed 64-bit value fits a sign-extended 32-bit immediate. */
export function fitsInt32(value: bigint): boolean {
  return value >= -(1n << 31n) && value < 1n << 31n;
}

/** An alu immediate: a 64-bit value whose signed value fits a sign-extended imm32. */
export function aluImm32(instruction: X86Instruction, imm: bigint): number {
  const v = signed64(instruction, "imm", imm);
  if (!fitsInt32(v)) {
    outOfRange(
      instruction,
      "imm",
      `= ${imm} does not fit a sign-extended 32-bit immediate; load it into a register first`,
    );
  }
  return Number(v);
}

/** A shift count given as an immediate: 0 to 63. */
export function shiftCount(instruction: X86Instruction, imm: number): number {
  if (!Number.isInteger(imm) || imm < 0 || imm > 63) {
    outOfRange(instruction, "imm", `= ${imm} is not a shift count from 0 to 63`);
  }
  return imm;
}
