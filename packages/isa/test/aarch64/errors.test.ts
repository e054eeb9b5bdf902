import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  type A64Instruction,
  a64Encode,
  a64Select,
  a64SizeOf,
  aarch64,
} from "../../src/arch/aarch64/index.js";
import { assemble } from "../../src/arch/assemble.js";
import { IsaError, type IsaErrorCode } from "../../src/errors.js";
import type { LirOp } from "../../src/machine/lir.js";

function codeOf(f: () => unknown): { code: IsaErrorCode; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof IsaError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected an IsaError");
}

const at = 0x1000n;
const labels = (t: bigint) => () => t;
const encode = (i: A64Instruction, target = at) => a64Encode(i, at, labels(target));

describe("aarch64 errors", () => {
  test.each<[string, A64Instruction]>([
    ["x31", { op: "mov", rd: "x31", rn: "x0" }],
    ["rax", { op: "add", rd: "x0", rn: "rax", rm: "x1" }],
    ["sp in an xzr slot", { op: "add", rd: "x0", rn: "sp", rm: "x1" }],
    ["xzr in an sp slot", { op: "addi", rd: "x0", rn: "xzr", imm: 1 }],
    ["xzr as a load base", { op: "ldr", rt: "x0", rn: "xzr", offset: 0 }],
    ["d32", { op: "ldr", rt: "d32", rn: "x0", offset: 0 }],
    ["sp as a branch register", { op: "br", rn: "sp" }],
  ])("unknown register: %s", (_what, instr) => {
    const e = codeOf(() => encode(instr));
    expect(e.code).toBe("UNKNOWN_REGISTER");
    expect(e.message).toContain(instr.op);
  });

  test.each<[string, A64Instruction, bigint?]>([
    ["imm", { op: "addi", rd: "x0", rn: "x1", imm: 4096 }],
    ["imm", { op: "subi", rd: "x0", rn: "x1", imm: -1 }],
    ["imm", { op: "cmpi", rn: "x0", imm: 4096 }],
    ["imm", { op: "movz", rd: "x0", imm: 0x10000 }],
    ["shift", { op: "movk", rd: "x0", imm: 1, shift: 8 as 0 }],
    ["amount", { op: "lsli", rd: "x0", rn: "x1", amount: 64 }],
    ["amount", { op: "add", rd: "x0", rn: "x1", rm: "x2", amount: 64 }],
    ["shift", { op: "add", rd: "x0", rn: "x1", rm: "x2", shift: "ror", amount: 1 }],
    ["offset", { op: "ldr", rt: "x0", rn: "x1", offset: 4 }],
    ["offset", { op: "ldr", rt: "x0", rn: "x1", offset: 32768 }],
    ["offset", { op: "str", rt: "q0", rn: "x1", offset: 8 }],
    ["offset", { op: "str", rt: "x0", rn: "x1", offset: -8 }],
    ["offset", { op: "ldur", rt: "x0", rn: "x1", offset: 256 }],
    ["offset", { op: "stur", rt: "d0", rn: "x1", offset: -257 }],
    ["imm", { op: "brk", imm: 0x10000 }],
    ["target", { op: "b", target: "t" }, at + (1n << 27n)],
    ["target", { op: "bl", target: "t" }, at - (1n << 27n) - 4n],
    ["target", { op: "b", target: "t" }, at + 2n],
    ["target", { op: "bcond", cond: "eq", target: "t" }, at + (1n << 20n)],
    ["target", { op: "adr", rd: "x0", target: "t" }, at - (1n << 20n) - 1n],
  ])("operand %s out of range", (operand, instr, target) => {
    const e = codeOf(() => encode(instr, target));
    expect(e.code).toBe("OPERAND_OUT_OF_RANGE");
    expect(e.message).toContain(`operand ${operand}`);
    expect(e.message).toContain(instr.op);
  });

  test("instructions outside the subset are UNSUPPORTED_INSTRUCTION", () => {
    const fmadd = { op: "fmadd" } as unknown as A64Instruction;
    expect(codeOf(() => encode(fmadd)).code).toBe("UNSUPPORTED_INSTRUCTION");
    expect(codeOf(() => a64SizeOf(fmadd)).code).toBe("UNSUPPORTED_INSTRUCTION");
    const inherited = { op: "toString" } as unknown as A64Instruction;
    expect(codeOf(() => a64SizeOf(inherited)).code).toBe("UNSUPPORTED_INSTRUCTION");
    const tpidr = { op: "mrs", rt: "x0", sysreg: "tpidr_el0" } as unknown as A64Instruction;
    expect(codeOf(() => encode(tpidr)).code).toBe("UNSUPPORTED_INSTRUCTION");
    expect(codeOf(() => a64Select([{ op: "frob" } as unknown as LirOp])).code).toBe(
      "UNSUPPORTED_INSTRUCTION",
    );
  });

  test("selection rejects widths and registers AArch64 cannot load", () => {
    const width = codeOf(() =>
      a64Select([{ op: "loadf", dst: "d0", base: "x0", offset: 0, width: 4 as 8 }]),
    );
    expect(width.code).toBe("OPERAND_OUT_OF_RANGE");
    expect(
      codeOf(() => a64Select([{ op: "loadf", dst: "x0", base: "x0", offset: 0, width: 8 }])).code,
    ).toBe("UNKNOWN_REGISTER");
    expect(
      codeOf(() => assemble(aarch64, a64Select([{ op: "li", dst: "rax", imm: 1n }]), 0n)).code,
    ).toBe("UNKNOWN_REGISTER");
  });

  test("a label beyond adr's reach fails at assembly, naming the operand", () => {
    const items = a64Select([
      { op: "la", dst: "x0", label: "far" },
      ...Array.from({ length: (1 << 20) / 4 }, () => ({ op: "trap" }) as const),
      { op: "label", name: "far" },
    ]);
    const e = codeOf(() => assemble(aarch64, items, 0x1000n));
    expect(e.code).toBe("OPERAND_OUT_OF_RANGE");
    expect(e.message).toContain("adr");
  });
});

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const AS = "aarch64-linux-gnu-as";
const haveBinutils = hasTool(AS) && hasTool("aarch64-linux-gnu-objcopy");

describe("aarch64 selected code through GNU as", () => {
  test.skipIf(!haveBinutils)(
    `a selected LIR program assembles to the encoder's bytes (skipped: ${AS} not installed)`,
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
      const dir = mkdtempSync(join(tmpdir(), "a64-select-"));
      try {
        writeFileSync(join(dir, "t.s"), `${aarch64.asmPrologue}\n.text\n${aarch64.format(items)}`);
        execFileSync(AS, [join(dir, "t.s"), "-o", join(dir, "t.o")]);
        execFileSync("aarch64-linux-gnu-objcopy", [
          "-O",
          "binary",
          "-j",
          ".text",
          join(dir, "t.o"),
          join(dir, "t.bin"),
        ]);
        const gnu = readFileSync(join(dir, "t.bin"));
        const ours = assemble(aarch64, items, 0n).bytes;
        expect(Buffer.from(ours).toString("hex")).toBe(gnu.toString("hex"));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
