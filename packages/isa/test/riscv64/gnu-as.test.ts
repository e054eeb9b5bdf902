/**
 * Whole selected routines, formatted with the prologue, assembled by GNU `as`
 * and linked by `ld` at the same base, must give the assembler's bytes: this
 * checks what the per-instruction golden test cannot, that labels, several
 * `la` pairs sharing the local label `1:`, and `. + 8` branch skips resolve
 * the same way in running text.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { getAbi } from "../../src/abi/registry.js";
import { assemble } from "../../src/arch/assemble.js";
import * as riscv64 from "../../src/arch/riscv64/index.js";
import type { LirOp } from "../../src/lir/lir.js";
import { lowerProgram } from "../../src/lowering/lower.js";
import { threadRoutines } from "../../src/routines/trampolines.js";
import { callsProgram } from "../lowering/calls-program.js";

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const TOOLS = hasTool("riscv64-linux-gnu-as") && hasTool("riscv64-linux-gnu-ld");
const GCC = hasTool("riscv64-linux-gnu-gcc");
const BASE = 0x40_0000n;

function gnuBytes(text: string): Buffer {
  const work = mkdtempSync(join(tmpdir(), "rv-gnu-"));
  try {
    const s = join(work, "a.s");
    writeFileSync(s, `${riscv64.asmPrologue}\n.text\n${text}`);
    execFileSync("riscv64-linux-gnu-as", ["-march=rv64g", s, "-o", join(work, "a.o")]);
    execFileSync("riscv64-linux-gnu-ld", [
      "-e",
      "0",
      `-Ttext=0x${BASE.toString(16)}`,
      join(work, "a.o"),
      "-o",
      join(work, "a.elf"),
    ]);
    execFileSync("riscv64-linux-gnu-objcopy", [
      "-O",
      "binary",
      "-j",
      ".text",
      join(work, "a.elf"),
      join(work, "a.bin"),
    ]);
    return readFileSync(join(work, "a.bin"));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const sample: LirOp[] = [
  { op: "label", name: "start", global: true },
  { op: "la", dst: "a0", label: "end" },
  { op: "la", dst: "a1", label: "start" },
  { op: "li", dst: "a2", imm: 0x1234_5678_9abc_def0n },
  { op: "li", dst: "a3", imm: -(1n << 63n) },
  { op: "alui", kind: "mul", dst: "a4", a: "a2", imm: 0x7fff_ffffn },
  { op: "br", cond: "gtu", a: "a2", b: 0x1_0000_0000n, target: "end" },
  { op: "br", cond: "le", a: "a2", b: "a3", target: "start" },
  { op: "load", dst: "s0", base: "sp", offset: 0x12345 },
  { op: "storectl", control: "fcsr", base: "t6", offset: 0x4000 },
  { op: "loadctl", control: "fcsr", base: "sp", offset: 16 },
  { op: "storef", src: "fs11", base: "sp", offset: -2048, width: 8 },
  { op: "call", target: "end" },
  { op: "callr", reg: "a0" },
  { op: "la", dst: "t6", label: "end" },
  { op: "jr", reg: "t6" },
  { op: "trap" },
  { op: "label", name: "end" },
  { op: "jmp", target: "start" },
];

describe("riscv64 whole routines against GNU as", () => {
  test.skipIf(!TOOLS)(
    `${TOOLS ? "" : "skipped: riscv64-linux-gnu-as not installed; "}a lowered thread program with its return table assembles to the same bytes`,
    () => {
      const lowered = lowerProgram(callsProgram(), getAbi("riscv64-lp64d"), riscv64, {
        fuel: true,
      });
      const items = riscv64.select(lowered.ops);
      expect(gnuBytes(riscv64.format(items)).toString("hex")).toBe(
        Buffer.from(assemble(riscv64, items, BASE).bytes).toString("hex"),
      );
    },
  );

  test.skipIf(!TOOLS)(
    `${TOOLS ? "" : "skipped: riscv64-linux-gnu-as not installed; "}a sample of every LIR op assembles to the same bytes`,
    () => {
      const items = riscv64.select(sample);
      expect(gnuBytes(riscv64.format(items)).toString("hex")).toBe(
        Buffer.from(assemble(riscv64, items, BASE).bytes).toString("hex"),
      );
    },
  );

  test.skipIf(!TOOLS)(
    `${TOOLS ? "" : "skipped: riscv64-linux-gnu-as not installed; "}the thread routines of riscv64-lp64d assemble to the same bytes`,
    () => {
      const items = riscv64.select(threadRoutines(getAbi("riscv64-lp64d"), riscv64));
      expect(gnuBytes(riscv64.format(items)).toString("hex")).toBe(
        Buffer.from(assemble(riscv64, items, BASE).bytes).toString("hex"),
      );
    },
  );

  test.skipIf(!GCC)(
    `${GCC ? "" : "skipped: riscv64-linux-gnu-gcc not installed; "}global labels are hidden, so calls and la to them link into a shared object`,
    () => {
      const items = riscv64.select([
        ...threadRoutines(getAbi("riscv64-lp64d"), riscv64),
        { op: "label", name: "g", global: true },
        { op: "la", dst: "a0", label: "g" },
        { op: "call", target: "g" },
      ]);
      const text = riscv64.format(items);
      expect(text).toContain(".globl g\n.hidden g\ng:\n");
      const work = mkdtempSync(join(tmpdir(), "rv-so-"));
      try {
        writeFileSync(join(work, "r.S"), `${riscv64.asmPrologue}\n.text\n${text}`);
        execFileSync("riscv64-linux-gnu-gcc", [
          "-march=rv64g",
          "-shared",
          "-nostdlib",
          join(work, "r.S"),
          "-o",
          join(work, "r.so"),
        ]);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  );
});
