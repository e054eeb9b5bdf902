import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { getAbi } from "../../src/abi/registry.js";
import * as aarch64 from "../../src/arch/aarch64/index.js";
import { a64Select } from "../../src/arch/aarch64/select.js";
import { assemble } from "../../src/arch/assemble.js";
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

const AS = "aarch64-linux-gnu-as";
const LD = "aarch64-linux-gnu-ld";
const haveBinutils = hasTool(AS) && hasTool("aarch64-linux-gnu-objcopy");
const haveLinker = hasTool(AS) && hasTool(LD);

function gnuBytes(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "a64-select-"));
  try {
    writeFileSync(join(dir, "t.s"), `${aarch64.asmPrologue}\n.text\n${text}`);
    execFileSync(AS, [join(dir, "t.s"), "-o", join(dir, "t.o")]);
    execFileSync("aarch64-linux-gnu-objcopy", [
      "-O",
      "binary",
      "-j",
      ".text",
      join(dir, "t.o"),
      join(dir, "t.bin"),
    ]);
    return readFileSync(join(dir, "t.bin")).toString("hex");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("aarch64 selected code through GNU as", () => {
  test.skipIf(!haveBinutils)(
    `${haveBinutils ? "" : `skipped: ${AS} not installed; `}a lowered thread program with its return table assembles to the encoder's bytes`,
    () => {
      for (const abi of ["aarch64-aapcs64", "aarch64-apple"]) {
        const lowered = lowerProgram(callsProgram(), getAbi(abi), aarch64, { fuel: true });
        const items = a64Select(lowered.ops);
        expect(Buffer.from(assemble(aarch64, items, 0n).bytes).toString("hex")).toBe(
          gnuBytes(aarch64.format(items)),
        );
      }
    },
  );

  test.skipIf(!haveBinutils)(
    `a selected LIR program assembles to the encoder's bytes${haveBinutils ? "" : ` (skipped: ${AS} not installed)`}`,
    () => {
      const ops: LirOp[] = [
        // Branches aim at a local label: GNU as leaves a relocation (and a zero
        // offset in the bytes) for a branch to a global symbol.
        { op: "label", name: "entry", global: true },
        { op: "label", name: "top" },
        { op: "li", dst: "x0", imm: 0x1234_5678_9abc_def0n },
        { op: "li", dst: "x1", imm: -2n },
        { op: "alui", kind: "sub", dst: "sp", a: "sp", imm: 0x12340n },
        { op: "alui", kind: "add", dst: "sp", a: "sp", imm: 1n << 40n },
        { op: "alui", kind: "xor", dst: "x2", a: "x2", imm: 0xff00n },
        { op: "store", src: "x19", base: "sp", offset: 40000 },
        { op: "loadf", dst: "d8", base: "x3", offset: -16, width: 16 },
        { op: "storectl", control: "fpcr", base: "sp", offset: 8 },
        { op: "loadctl", control: "fpcr", base: "x4", offset: 0x10000 },
        { op: "br", cond: "ltu", a: "x0", b: -5n, target: "top" },
        { op: "br", cond: "ge", a: "x0", b: "x1", target: "out" },
        { op: "la", dst: "x5", label: "out" },
        { op: "call", target: "top" },
        { op: "callr", reg: "x5" },
        { op: "label", name: "out" },
        { op: "jr", reg: "x30" },
        { op: "trap" },
      ];
      const items = a64Select(ops);
      const ours = assemble(aarch64, items, 0n).bytes;
      expect(Buffer.from(ours).toString("hex")).toBe(gnuBytes(aarch64.format(items)));
    },
  );

  test.skipIf(!haveLinker)(
    `the thread routines link into a shared object${haveLinker ? "" : ` (skipped: ${LD} not installed)`}`,
    () => {
      const abi = getAbi("aarch64-aapcs64");
      const text = aarch64.format(aarch64.select(threadRoutines(abi, aarch64)));
      const dir = mkdtempSync(join(tmpdir(), "a64-link-"));
      try {
        writeFileSync(join(dir, "r.s"), `${aarch64.asmPrologue}\n.text\n${text}`);
        execFileSync(AS, [join(dir, "r.s"), "-o", join(dir, "r.o")]);
        execFileSync(LD, ["-shared", join(dir, "r.o"), "-o", join(dir, "r.so")], { stdio: "pipe" });
        const symbols = execFileSync("aarch64-linux-gnu-objdump", ["-t", join(dir, "r.o")], {
          encoding: "utf8",
        });
        expect(symbols).toMatch(/\.hidden gt_switch_aarch64_aapcs64/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
