/**
 * Checks the encoder against GNU `as` directly, when binutils are installed:
 * the corpus (so the committed golden file cannot go stale unnoticed) and the
 * routines that the runtime really generates for both x86-64 ABIs.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { getAbi } from "../../src/abi/registry.js";
import type { LabelItem } from "../../src/arch/arch.js";
import { assemble } from "../../src/arch/assemble.js";
import * as x86_64 from "../../src/arch/x86_64/index.js";
import type { X86Instruction } from "../../src/arch/x86_64/instructions.js";
import type { LirOp } from "../../src/lir/lir.js";
import { lowerProgram } from "../../src/lowering/lower.js";
import { switchRoutine } from "../../src/routines/switch-routine.js";
import { callsProgram } from "../lowering/calls-program.js";
import { x86CorpusItems } from "./corpus.js";

function has(tool: string): boolean {
  try {
    execFileSync(tool, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const tools = has("as") && has("objcopy");
const work = tools ? mkdtempSync(join(tmpdir(), "x86_64-as-")) : "";
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function gnuBytes(items: readonly (X86Instruction | LabelItem)[], name: string): Uint8Array {
  const source = join(work, `${name}.s`);
  writeFileSync(source, `${x86_64.asmPrologue}\n${x86_64.format(items)}`);
  execFileSync("as", ["-o", join(work, `${name}.o`), source]);
  execFileSync("objcopy", [
    "-O",
    "binary",
    "-j",
    ".text",
    join(work, `${name}.o`),
    join(work, `${name}.bin`),
  ]);
  return new Uint8Array(readFileSync(join(work, `${name}.bin`)));
}

describe("x86_64 encoder against GNU as", () => {
  test.skipIf(!tools)(
    `the corpus assembles to the encoder's bytes${tools ? "" : " (skipped: as not installed)"}`,
    () => {
      const items = x86CorpusItems();
      expect(gnuBytes(items, "corpus")).toEqual(assemble(x86_64, items, 0n).bytes);
    },
  );

  test.skipIf(!tools)(
    `the generated switch routines and a selected program match${tools ? "" : " (skipped: as not installed)"}`,
    () => {
      for (const abi of ["x86_64-sysv", "x86_64-win64"]) {
        const items = x86_64.select(switchRoutine(getAbi(abi), x86_64));
        expect(gnuBytes(items, abi)).toEqual(assemble(x86_64, items, 0n).bytes);
      }
      const ops: LirOp[] = [
        { op: "label", name: "start", global: true },
        { op: "li", dst: "rax", imm: 0x1234_5678_9abc_def0n },
        { op: "alu", kind: "sub", dst: "rbx", a: "rax", b: "rbx" },
        { op: "alu", kind: "shl", dst: "rcx", a: "rax", b: "rcx" },
        { op: "alui", kind: "mul", dst: "rdx", a: "r11", imm: 3n },
        { op: "br", cond: "geu", a: "rax", b: 1n << 40n, target: "start" },
        { op: "la", dst: "rsi", label: "end" },
        { op: "call", target: "end" },
        { op: "callr", reg: "rsi" },
        { op: "loadf", dst: "xmm3", base: "rsp", offset: 16, width: 16 },
        { op: "storef", src: "xmm3", base: "r12", offset: -8, width: 8 },
        { op: "store", src: "rax", base: "rbp", offset: 2 ** 33 },
        { op: "trap" },
        { op: "label", name: "end" },
        { op: "pop", dst: "rcx" },
        { op: "jr", reg: "rcx" },
      ];
      const items = x86_64.select(ops);
      expect(gnuBytes(items, "program")).toEqual(assemble(x86_64, items, 0n).bytes);
    },
  );

  test.skipIf(!tools)(
    `${tools ? "" : "skipped: as not installed; "}a lowered thread program with its return table matches`,
    () => {
      for (const abi of ["x86_64-sysv", "x86_64-win64"]) {
        const lowered = lowerProgram(callsProgram(), getAbi(abi), x86_64, { fuel: true });
        const items = x86_64.select(lowered.ops);
        expect(gnuBytes(items, `lowered-${abi}`)).toEqual(assemble(x86_64, items, 0n).bytes);
      }
    },
  );
});
