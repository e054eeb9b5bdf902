/**
 * The interpreter against a real RV64G implementation: random straight-line
 * programs (constants built by selection, every arithmetic form, loads and
 * stores of every width into a buffer, forward conditional branches) are
 * formatted, assembled with GNU as, linked statically and run under
 * qemu-riscv64, which writes the buffer and the final registers to stdout. The
 * same instruction values run in the interpreter must leave the same bytes.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import * as riscv64 from "../../src/arch/riscv64/index.js";
import type {
  RvBranchOp,
  RvImmOp,
  RvItem,
  RvLoadOp,
  RvRegOp,
  RvStoreOp,
} from "../../src/arch/riscv64/instructions.js";
import { DATA, run } from "./harness.js";

function hasTool(name: string, arg = "--version"): boolean {
  try {
    execFileSync(name, [arg], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const QEMU = "qemu-riscv64";
const ready = hasTool("riscv64-linux-gnu-as") && hasTool("riscv64-linux-gnu-ld") && hasTool(QEMU);

/** mulberry32: a fixed-seed generator, so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The registers a program computes in; s11 holds the buffer's address. */
const REGS = ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "t0", "t1", "t2", "s1", "s2", "t6"];
const BUFFER = "s11";
const DATA_BYTES = 256;
const DUMP = DATA_BYTES;
const TOTAL = DATA_BYTES + 8 * REGS.length;

const IMM_OPS: RvImmOp[] = ["addi", "addiw", "slti", "sltiu", "andi", "ori", "xori"];
const REG_OPS: RvRegOp[] = [
  "add",
  "sub",
  "and",
  "or",
  "xor",
  "sll",
  "srl",
  "sra",
  "slt",
  "sltu",
  "mul",
];
const LOADS: [RvLoadOp, number][] = [
  ["lb", 1],
  ["lbu", 1],
  ["lh", 2],
  ["lhu", 2],
  ["lw", 4],
  ["lwu", 4],
  ["ld", 8],
];
const STORES: [RvStoreOp, number][] = [
  ["sb", 1],
  ["sh", 2],
  ["sw", 4],
  ["sd", 8],
];
const BRANCHES: RvBranchOp[] = ["beq", "bne", "blt", "bge", "bltu", "bgeu"];

function randomProgram(seed: number, length: number): { items: RvItem[]; data: Uint8Array } {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const reg = () => pick(REGS);
  const src = () => (int(10) === 0 ? "zero" : reg());
  const big = (): bigint => {
    let v = 0n;
    for (let i = 0; i < 4; i++) v = (v << 16n) | BigInt(int(0x10000));
    return pick([
      v,
      v >> BigInt(int(64)),
      BigInt.asUintN(64, -v),
      0n,
      1n,
      1n << 63n,
      (1n << 63n) - 1n,
    ]);
  };
  const items: RvItem[] = [];
  for (const r of REGS) items.push(...riscv64.select([{ op: "li", dst: r, imm: big() }]));
  let pendingLabel: { name: string; at: number } | undefined;
  for (let i = 0; i < length; i++) {
    if (pendingLabel && pendingLabel.at === i) {
      items.push({ op: "label", name: pendingLabel.name });
      pendingLabel = undefined;
    }
    switch (int(7)) {
      case 0:
        items.push({ op: pick(IMM_OPS), rd: reg(), rs1: src(), imm: int(4096) - 2048 });
        break;
      case 1:
        items.push({
          op: pick(["slli", "srli", "srai"] as const),
          rd: reg(),
          rs1: src(),
          shamt: pick([0, 1, 31, 32, 63, int(64)]),
        });
        break;
      case 2:
      case 3:
        items.push({ op: pick(REG_OPS), rd: reg(), rs1: src(), rs2: src() });
        break;
      case 4: {
        const [op, size] = pick(LOADS);
        items.push({ op, rd: reg(), rs1: BUFFER, offset: int(DATA_BYTES / size) * size });
        break;
      }
      case 5: {
        const [op, size] = pick(STORES);
        items.push({ op, rs2: src(), rs1: BUFFER, offset: int(DATA_BYTES / size) * size });
        break;
      }
      case 6:
        if (pendingLabel === undefined && i + 2 < length) {
          const name = `skip${i}`;
          pendingLabel = { name, at: i + 1 + int(Math.min(4, length - i - 1)) };
          items.push({ op: pick(BRANCHES), rs1: src(), rs2: src(), target: name });
        } else {
          items.push({ op: "lui", rd: reg(), imm: int(0x100000) });
        }
        break;
    }
  }
  if (pendingLabel) items.push({ op: "label", name: pendingLabel.name });
  REGS.forEach((r, i) => {
    items.push({ op: "sd", rs2: r, rs1: BUFFER, offset: DUMP + 8 * i });
  });
  const data = new Uint8Array(DATA_BYTES);
  for (let i = 0; i < DATA_BYTES; i++) data[i] = int(256);
  return { items, data };
}

function native(items: readonly RvItem[], data: Uint8Array): Buffer {
  const work = mkdtempSync(join(tmpdir(), "rv-qemu-"));
  try {
    const text = [
      riscv64.asmPrologue,
      ".data",
      "buffer:",
      `  .byte ${Array.from(data).join(", ")}`,
      `  .zero ${TOTAL - DATA_BYTES}`,
      ".text",
      ".globl _start",
      "_start:",
      `  la ${BUFFER}, buffer`,
      riscv64.format(items),
      "  li a0, 1",
      `  mv a1, ${BUFFER}`,
      `  li a2, ${TOTAL}`,
      "  li a7, 64",
      "  ecall",
      "  li a0, 0",
      "  li a7, 93",
      "  ecall",
      "",
    ].join("\n");
    writeFileSync(join(work, "p.s"), text);
    execFileSync("riscv64-linux-gnu-as", [
      "-march=rv64g",
      join(work, "p.s"),
      "-o",
      join(work, "p.o"),
    ]);
    execFileSync("riscv64-linux-gnu-ld", ["-static", join(work, "p.o"), "-o", join(work, "p")]);
    return execFileSync(QEMU, [join(work, "p")]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe("riscv64 interpreter against qemu-riscv64", () => {
  test.skipIf(!ready)(
    `${ready ? "" : "skipped: qemu-riscv64 not installed; "}random programs end in the same state`,
    () => {
      for (let seed = 1; seed <= 12; seed++) {
        const { items, data } = randomProgram(seed, 120);
        const expected = native(items, data);
        const r = run(items, { [BUFFER]: DATA }, { data: (m) => m.poke(DATA, data) });
        expect(r.stop.kind, `seed ${seed}`).toBe("stopped");
        const actual = Buffer.from(r.cpu.memory.peek(DATA, TOTAL));
        expect(actual.toString("hex"), `seed ${seed}`).toBe(expected.toString("hex"));
      }
    },
    60_000,
  );
});
