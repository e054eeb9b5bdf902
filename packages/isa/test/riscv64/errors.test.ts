import { describe, expect, test } from "vitest";
import { assemble } from "../../src/arch/assemble.js";
import { rvEncode, rvSizeOf } from "../../src/arch/riscv64/encode.js";
import * as riscv64 from "../../src/arch/riscv64/index.js";
import type { RvInstruction } from "../../src/arch/riscv64/instructions.js";
import { rvFloatNumber, rvIntegerNumber } from "../../src/arch/riscv64/registers.js";
import { IsaError, type IsaErrorCode } from "../../src/errors.js";
import type { LirOp } from "../../src/lir/lir.js";

function codeOf(f: () => unknown): { code: IsaErrorCode; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IsaError);
    return { code: (e as IsaError).code, message: (e as IsaError).message };
  }
  throw new Error("expected an IsaError");
}

const none = (name: string): bigint => {
  throw new Error(`no label ${name}`);
};

describe("riscv64 errors", () => {
  test("unknown registers", () => {
    expect(codeOf(() => rvIntegerNumber("x32")).code).toBe("UNKNOWN_REGISTER");
    expect(codeOf(() => rvIntegerNumber("ft0")).code).toBe("UNKNOWN_REGISTER");
    expect(codeOf(() => rvFloatNumber("a0")).code).toBe("UNKNOWN_REGISTER");
    const e = codeOf(() => rvEncode({ op: "add", rd: "a0", rs1: "a1", rs2: "r9" }, 0n, none));
    expect(e.code).toBe("UNKNOWN_REGISTER");
    expect(e.message).toContain('"r9"');
    expect(codeOf(() => riscv64.select([{ op: "mov", dst: "rax", src: "a0" }])).code).toBe(
      "UNKNOWN_REGISTER",
    );
    expect(
      codeOf(() => riscv64.select([{ op: "loadf", dst: "a0", base: "sp", offset: 0, width: 8 }]))
        .code,
    ).toBe("UNKNOWN_REGISTER");
  });

  const outOfRange: [RvInstruction, string][] = [
    [{ op: "addi", rd: "a0", rs1: "a0", imm: 2048 }, "imm"],
    [{ op: "andi", rd: "a0", rs1: "a0", imm: -2049 }, "imm"],
    [{ op: "addi", rd: "a0", rs1: "a0", imm: 1.5 }, "imm"],
    [{ op: "lui", rd: "a0", imm: 0x100000 }, "imm"],
    [{ op: "auipc", rd: "a0", imm: -1 }, "imm"],
    [{ op: "slli", rd: "a0", rs1: "a0", shamt: 64 }, "shamt"],
    [{ op: "srai", rd: "a0", rs1: "a0", shamt: -1 }, "shamt"],
    [{ op: "ld", rd: "a0", rs1: "sp", offset: 2048 }, "offset"],
    [{ op: "sd", rs2: "a0", rs1: "sp", offset: -2049 }, "offset"],
    [{ op: "fld", rd: "fa0", rs1: "sp", offset: 4096 }, "offset"],
    [{ op: "jalr", rd: "ra", rs1: "t6", offset: 2048 }, "offset"],
    [{ op: "csrrs", rd: "a0", csr: 0x1000, rs1: "zero" }, "csr"],
    [{ op: "beq", rs1: "a0", rs2: "a1", target: 4096 }, "target"],
    [{ op: "bne", rs1: "a0", rs2: "a1", target: -4098 }, "target"],
    [{ op: "blt", rs1: "a0", rs2: "a1", target: 3 }, "target"],
    [{ op: "jal", rd: "zero", target: 1 << 20 }, "target"],
    [{ op: "jal", rd: "zero", target: -(1 << 20) - 2 }, "target"],
  ];
  test.each(outOfRange)("%j: operand %s out of range", (instr, operand) => {
    const e = codeOf(() => rvEncode(instr, 0x1000n, none));
    expect(e.code).toBe("OPERAND_OUT_OF_RANGE");
    expect(e.message).toContain(instr.op);
    expect(e.message).toContain(operand);
  });

  test("label targets out of reach name the label", () => {
    const far = () => 0x1000n + 0x2000n;
    const e = codeOf(() =>
      rvEncode({ op: "bgeu", rs1: "a0", rs2: "a1", target: "exit" }, 0x1000n, far),
    );
    expect(e.code).toBe("OPERAND_OUT_OF_RANGE");
    expect(e.message).toContain('"exit"');
    const la = codeOf(() => rvEncode({ op: "la", rd: "a0", target: "x" }, 0n, () => 1n << 40n));
    expect(la.code).toBe("OPERAND_OUT_OF_RANGE");
    const jal = codeOf(() => assemble(riscv64, [{ op: "jal", rd: "zero", target: "l" }], 0n).bytes);
    expect(jal.code).toBe("UNDEFINED_LABEL");
  });

  test("unsupported instructions", () => {
    const bogus = { op: "fmadd.d" } as unknown as RvInstruction;
    expect(codeOf(() => rvSizeOf(bogus)).code).toBe("UNSUPPORTED_INSTRUCTION");
    expect(codeOf(() => rvEncode(bogus, 0n, none)).code).toBe("UNSUPPORTED_INSTRUCTION");
  });

  const unsupported: LirOp[] = [
    { op: "loadtls", dst: "a0", offset: 8 },
    { op: "storetls", src: "a0", offset: 8 },
    { op: "pop", dst: "a0" },
    { op: "loadctl", control: "mxcsr", base: "sp", offset: 0 },
    { op: "storectl", control: "fpcr", base: "sp", offset: 0 },
    { op: "bogus" } as unknown as LirOp,
  ];
  test.each(unsupported.map((op) => [op.op, op]))("select %s is unsupported", (_name, op) => {
    expect(codeOf(() => riscv64.select([op])).code).toBe("UNSUPPORTED_INSTRUCTION");
  });

  test("select rejects values outside 64 bits, width 16 and unusable scratch", () => {
    expect(codeOf(() => riscv64.select([{ op: "li", dst: "a0", imm: 1n << 64n }])).code).toBe(
      "OPERAND_OUT_OF_RANGE",
    );
    expect(
      codeOf(() =>
        riscv64.select([{ op: "alui", kind: "add", dst: "a0", a: "a0", imm: -(1n << 63n) - 1n }]),
      ).code,
    ).toBe("OPERAND_OUT_OF_RANGE");
    expect(
      codeOf(() => riscv64.select([{ op: "storef", src: "fa0", base: "sp", offset: 0, width: 16 }]))
        .code,
    ).toBe("OPERAND_OUT_OF_RANGE");
    const both = codeOf(() =>
      riscv64.select([{ op: "store", src: "t6", base: "t5", offset: 0x10000 }]),
    );
    expect(both.code).toBe("OPERAND_OUT_OF_RANGE");
    expect(both.message).toContain("scratch");
  });
});
