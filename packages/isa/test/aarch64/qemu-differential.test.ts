/**
 * The interpreter against a real AArch64 implementation: random straight-line
 * programs (with forward conditional branches and loads/stores) are formatted,
 * assembled with GNU as, linked statically and run under qemu-aarch64, which
 * writes its final registers, flags and data buffer to stdout. The same
 * instruction values run in the interpreter must end in the same state.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import * as aarch64 from "../../src/arch/aarch64/index.js";
import {
  A64_CONDITIONS,
  type A64Instruction,
  type A64Item,
  type A64Shift,
} from "../../src/arch/aarch64/instructions.js";
import { DATA, exec } from "./harness.js";

function hasTool(name: string, arg = "--version"): boolean {
  try {
    execFileSync(name, [arg], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const QEMU = "qemu-aarch64";
const ready = hasTool("aarch64-linux-gnu-as") && hasTool("aarch64-linux-gnu-ld") && hasTool(QEMU);

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

const BUFFER = "x27";
const REGS = 16;

function randomProgram(seed: number, length: number): A64Item[] {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const reg = () => `x${int(REGS)}`;
  const src = () => (int(10) === 0 ? "xzr" : reg());
  const shift = (logical: boolean): { shift: A64Shift; amount: number } => ({
    shift: pick<A64Shift>(logical ? ["lsl", "lsr", "asr", "ror"] : ["lsl", "lsr", "asr"]),
    amount: pick([0, 1, 31, 32, 63, int(64)]),
  });
  const items: A64Item[] = [];
  // Start from interesting values.
  for (let i = 0; i < REGS; i++) {
    const v =
      pick([0n, 1n, -1n, 1n << 63n, (1n << 63n) - 1n, BigInt(int(4096))]) ^
      (BigInt(int(2) ? 0 : int(1 << 30)) << BigInt(int(34)));
    const u = BigInt.asUintN(64, v);
    for (let h = 0; h < 4; h++) {
      items.push({
        op: h === 0 ? "movz" : "movk",
        rd: `x${i}`,
        imm: Number((u >> BigInt(16 * h)) & 0xffffn),
        shift: (16 * h) as 0,
      });
    }
  }
  let labels = 0;
  for (let k = 0; k < length; k++) {
    const choice = int(16);
    let instr: A64Instruction;
    switch (choice) {
      case 0:
        instr = {
          op: pick(["movz", "movk", "movn"] as const),
          rd: reg(),
          imm: int(0x10000),
          shift: pick([0, 16, 32, 48] as const),
        };
        break;
      case 1:
        instr = {
          op: pick(["addi", "subi", "addsi", "subsi"] as const),
          rd: reg(),
          rn: reg(),
          imm: int(4096),
          lsl12: int(2) === 1,
        };
        break;
      case 2:
        instr = {
          op: pick(["cmpi", "cmni"] as const),
          rn: reg(),
          imm: int(4096),
          lsl12: int(3) === 0,
        };
        break;
      case 3:
      case 4:
        instr = {
          op: pick(["add", "sub", "adds", "subs"] as const),
          rd: reg(),
          rn: src(),
          rm: src(),
          ...shift(false),
        };
        break;
      case 5:
        instr = { op: "cmp", rn: src(), rm: src(), ...shift(false) };
        break;
      case 6:
      case 7:
        instr = {
          op: pick(["and", "orr", "eor", "ands"] as const),
          rd: reg(),
          rn: src(),
          rm: src(),
          ...shift(true),
        };
        break;
      case 8:
        instr = {
          op: pick(["mul", "lslv", "lsrv", "asrv"] as const),
          rd: reg(),
          rn: src(),
          rm: src(),
        };
        break;
      case 9:
        instr = {
          op: pick(["lsli", "lsri", "asri"] as const),
          rd: reg(),
          rn: reg(),
          amount: int(64),
        };
        break;
      case 10:
        instr = { op: "mov", rd: reg(), rn: src() };
        break;
      case 11:
        instr = { op: pick(["ldr", "str"] as const), rt: src(), rn: BUFFER, offset: 8 * int(32) };
        break;
      case 12:
        instr = {
          op: pick(["ldur", "stur"] as const),
          rt: src(),
          rn: BUFFER,
          offset: 8 + int(240),
        };
        break;
      default: {
        // A forward conditional branch over one instruction.
        const name = `skip${labels++}`;
        items.push({ op: "bcond", cond: pick(A64_CONDITIONS), target: name });
        items.push({ op: "addi", rd: reg(), rn: reg(), imm: 1 + int(100) });
        items.push({ op: "label", name });
        continue;
      }
    }
    items.push(instr);
  }
  // Make the final flags observable as registers x16..x19 (N, Z, C, V).
  for (const [i, cond] of (["mi", "eq", "hs", "vs"] as const).entries()) {
    const name = `flag${i}`;
    items.push({ op: "movz", rd: `x${16 + i}`, imm: 1 });
    items.push({ op: "bcond", cond, target: name });
    items.push({ op: "movz", rd: `x${16 + i}`, imm: 0 });
    items.push({ op: "label", name });
  }
  return items;
}

/** What the native program prints: x0..x19, then the 256-byte buffer. */
const DUMP_REGS = 20;
const BUFFER_SIZE = 256;

function nativeRun(items: A64Item[], dir: string): Buffer {
  let epilogue = "  adrp x28, dump\n  add x28, x28, :lo12:dump\n";
  for (let i = 0; i < DUMP_REGS; i++) epilogue += `  str x${i}, [x28, #${8 * i}]\n`;
  epilogue += `  mov x0, #1\n  mov x1, x28\n  mov x2, #${8 * DUMP_REGS}\n  mov x8, #64\n  svc #0\n`;
  epilogue += `  mov x0, #1\n  mov x1, x27\n  mov x2, #${BUFFER_SIZE}\n  mov x8, #64\n  svc #0\n`;
  epilogue += "  mov x0, #0\n  mov x8, #93\n  svc #0\n";
  const text = [
    aarch64.asmPrologue,
    ".data",
    ".balign 16",
    `buffer: .space ${BUFFER_SIZE}`,
    `dump: .space ${8 * DUMP_REGS}`,
    ".text",
    ".globl _start",
    "_start:",
    "  adrp x27, buffer",
    "  add x27, x27, :lo12:buffer",
    aarch64.format(items),
    epilogue,
  ].join("\n");
  writeFileSync(join(dir, "p.s"), text);
  execFileSync("aarch64-linux-gnu-as", [join(dir, "p.s"), "-o", join(dir, "p.o")]);
  execFileSync("aarch64-linux-gnu-ld", ["-static", join(dir, "p.o"), "-o", join(dir, "p")]);
  return execFileSync(QEMU, [join(dir, "p")]);
}

describe("aarch64 interpreter against qemu-aarch64", () => {
  test.skipIf(!ready)(
    `random programs end in the same registers, flags and memory${ready ? "" : ` (skipped: ${QEMU} or aarch64 binutils not installed)`}`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), "a64-qemu-"));
      try {
        for (let seed = 1; seed <= 12; seed++) {
          const items = randomProgram(seed, 120);
          const native = nativeRun(items, dir);
          expect(native.length).toBe(8 * DUMP_REGS + BUFFER_SIZE);
          const r = exec(items, { [BUFFER]: DATA });
          expect(r.stop.kind, `seed ${seed}`).toBe("stopped");
          for (let i = 0; i < DUMP_REGS; i++) {
            expect(r.cpu.get(`x${i}`), `seed ${seed} x${i}`).toBe(native.readBigUInt64LE(8 * i));
          }
          const memory = Buffer.from(r.cpu.memory.readBytes(DATA, BUFFER_SIZE));
          expect(memory.toString("hex"), `seed ${seed} buffer`).toBe(
            native.subarray(8 * DUMP_REGS).toString("hex"),
          );
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
