/**
 * The meaning of LIR's arithmetic and branch conditions, as plain BigInt
 * code: the reference every instruction set's selection is checked against,
 * and the generator of the random operands those checks use.
 */
import type { AluKind, Cond } from "../src/lir/lir.js";

export const ALU_KINDS: readonly AluKind[] = [
  "add",
  "sub",
  "mul",
  "and",
  "or",
  "xor",
  "shl",
  "shr",
  "sar",
];
export const CONDS: readonly Cond[] = [
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "ltu",
  "leu",
  "gtu",
  "geu",
];

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** `a <kind> b` on 64-bit registers: wrapping, shift amounts taken modulo 64. */
export function aluReference(kind: AluKind, a: bigint, b: bigint): bigint {
  const [ua, ub, n] = [u64(a), u64(b), b & 63n];
  switch (kind) {
    case "add":
      return u64(ua + ub);
    case "sub":
      return u64(ua - ub);
    case "mul":
      return u64(ua * ub);
    case "and":
      return ua & ub;
    case "or":
      return ua | ub;
    case "xor":
      return ua ^ ub;
    case "shl":
      return u64(ua << n);
    case "shr":
      return ua >> n;
    case "sar":
      return u64(s64(a) >> n);
  }
}

/** Whether `a <cond> b` holds: the `u` conditions compare unsigned, the others signed. */
export function condHolds(cond: Cond, a: bigint, b: bigint): boolean {
  const [ua, ub, sa, sb] = [u64(a), u64(b), s64(a), s64(b)];
  switch (cond) {
    case "eq":
      return ua === ub;
    case "ne":
      return ua !== ub;
    case "lt":
      return sa < sb;
    case "le":
      return sa <= sb;
    case "gt":
      return sa > sb;
    case "ge":
      return sa >= sb;
    case "ltu":
      return ua < ub;
    case "leu":
      return ua <= ub;
    case "gtu":
      return ua > ub;
    case "geu":
      return ua >= ub;
  }
}

/** xorshift64*: a fixed-seed generator of 64-bit values, so failures reproduce. */
export function prng(seed: bigint): () => bigint {
  let state = seed;
  return () => {
    state ^= state >> 12n;
    state ^= u64(state << 25n);
    state ^= state >> 27n;
    return u64(state * 0x2545_f491_4f6c_dd1dn);
  };
}
