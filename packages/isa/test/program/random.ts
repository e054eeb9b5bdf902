/**
 * Seeded randomness for the thread-program property and fuzz tests: a small
 * xorshift PRNG (fast, reproducible from one seed) and a generator of random
 * but well-structured program text.
 */
import type { Program } from "../../src/language/program.js";

export interface Random {
  /** A uniform 32-bit unsigned integer. */
  u32(): number;
  /** A uniform integer in 0..n-1. */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function xorshift(seed: number): Random {
  let s = seed >>> 0 || 0x9e3779b9;
  const u32 = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    u32,
    int: (n) => Math.floor((u32() / 0x1_0000_0000) * n),
    pick: (items) => items[Math.floor((u32() / 0x1_0000_0000) * items.length)],
    chance: (p) => u32() / 0x1_0000_0000 < p,
  };
}

const EDGE_IMMEDIATES: readonly bigint[] = [
  0n,
  1n,
  -1n,
  2n,
  63n,
  64n,
  65n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  2n ** 63n,
  2n ** 64n - 1n,
  2n ** 32n,
  -(2n ** 32n),
];

export function immediate(r: Random): bigint {
  switch (r.int(4)) {
    case 0:
      return r.pick(EDGE_IMMEDIATES);
    case 1:
      return BigInt(r.int(21) - 10);
    case 2:
      return BigInt.asIntN(64, (BigInt(r.u32()) << 32n) | BigInt(r.u32()));
    default:
      return BigInt.asUintN(64, (BigInt(r.u32()) << 32n) | BigInt(r.u32()));
  }
}

const ALU = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr", "sar"];
const BRANCH = ["beq", "bne", "blt", "ble", "bgt", "bge", "bltu", "bleu", "bgtu", "bgeu"];
const HOSTCALLS = ["print", "now", "log.v2", "_x"];

const reg = (r: Random): string => `r${r.int(8)}`;
const src = (r: Random): string => (r.chance(0.5) ? reg(r) : String(immediate(r)));

function address(r: Random): string {
  const k = r.chance(0.8) ? r.int(9) - 2 : r.int(131072) - 65536;
  switch (r.int(3)) {
    case 0:
      return `stack[${k}]`;
    case 1:
      return `stack[${reg(r)}]`;
    default:
      return k < 0 ? `stack[${reg(r)} - ${-k}]` : `stack[${reg(r)} + ${k}]`;
  }
}

/** One random straight-line or branching instruction (no call/ret/exit/jmp). */
function simple(r: Random, labels: readonly string[]): string {
  switch (r.int(10)) {
    case 0:
      return `mov ${reg(r)}, ${src(r)}`;
    case 1:
    case 2:
      return `${r.pick(ALU)} ${reg(r)}, ${reg(r)}, ${src(r)}`;
    case 3:
      return labels.length > 0
        ? `${r.pick(BRANCH)} ${reg(r)}, ${src(r)}, ${r.pick(labels)}`
        : `mov ${reg(r)}, ${src(r)}`;
    case 4:
      return `push ${src(r)}`;
    case 5:
      return `pop ${reg(r)}`;
    case 6:
      return `load ${reg(r)}, ${address(r)}`;
    case 7:
      return `store ${address(r)}, ${src(r)}`;
    case 8: {
      const args = Array.from({ length: r.int(7) }, () => reg(r)).join(", ");
      return `hostcall ${r.pick(HOSTCALLS)}(${args})${r.chance(0.5) ? ` -> ${reg(r)}` : ""}`;
    }
    default:
      return `yield ${src(r)}${r.chance(0.5) ? ` -> ${reg(r)}` : ""}`;
  }
}

/**
 * Random program text that usually verifies: a main body ending in `exit`,
 * then functions ending in `ret`; branches stay inside their body, calls go
 * to functions, and every label used is defined.
 */
export function randomProgramText(r: Random, size = 12): string {
  const lines: string[] = [];
  const functions = r.int(3);
  const body = (prefix: string, end: string, callees: readonly string[]): void => {
    const n = 1 + r.int(size);
    const labels = Array.from({ length: 1 + r.int(3) }, (_, i) => `${prefix}.${i}`);
    const at = labels.map(() => r.int(n));
    for (let i = 0; i < n; i++) {
      labels.forEach((l, j) => {
        if (at[j] === i) lines.push(`${l}:`);
      });
      if (callees.length > 0 && r.chance(0.1)) lines.push(`  call ${r.pick(callees)}`);
      else if (r.chance(0.05)) lines.push(`  jmp ${r.pick(labels)}`);
      else lines.push(`  ${simple(r, labels)}`);
    }
    lines.push(`  ${end}`);
  };
  const names = Array.from({ length: functions }, (_, i) => `f${i}`);
  body("main", `exit ${src(r)}`, names);
  names.forEach((f, i) => {
    lines.push(`${f}:`);
    body(f, "ret", names.slice(i + 1));
  });
  return `${lines.join("\n")}\n`;
}

/** A program without source positions, for comparing programs from different sources. */
export function withoutPositions(p: Program): unknown {
  return {
    instructions: p.instructions.map(({ at: _at, ...rest }) => rest),
    labels: [...p.labels],
    hostcalls: p.hostcalls,
  };
}
