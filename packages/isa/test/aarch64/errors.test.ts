import { describe, expect, test } from "vitest";
import { a64Encode, a64SizeOf } from "../../src/arch/aarch64/encode.js";
import * as aarch64 from "../../src/arch/aarch64/index.js";
import type { A64Instruction } from "../../src/arch/aarch64/instructions.js";
import { a64Select } from "../../src/arch/aarch64/select.js";
import { assemble } from "../../src/arch/assemble.js";
import { IsaError, type IsaErrorCode } from "../../src/errors.js";
import type { LirOp } from "../../src/lir/lir.js";

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

  test("a label beyond the long adr's ±2 GiB fails at encoding, naming the operand", () => {
    const far = { op: "adr", rd: "x0", target: "far", far: true } as const;
    const e = codeOf(() => aarch64.encode(far, 0n, () => (1n << 31n) + 8n));
    expect(e.code).toBe("OPERAND_OUT_OF_RANGE");
    expect(e.message).toContain("adr");
    expect(e.message).toContain("±2 GiB");
    // Out of reach just ahead (above) and behind; in reach at the far end ahead (the adr is the third word).
    expect(codeOf(() => aarch64.encode(far, 0n, () => -(1n << 31n) + 7n)).code).toBe(
      "OPERAND_OUT_OF_RANGE",
    );
    expect(aarch64.encode(far, 0n, () => (1n << 31n) + 7n)).toHaveLength(16);
  });
});
