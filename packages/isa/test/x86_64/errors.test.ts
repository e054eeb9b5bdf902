import { describe, expect, test } from "vitest";
import { assemble } from "../../src/arch/assemble.js";
import { encodeX86, sizeOfX86 } from "../../src/arch/x86_64/encode.js";
import { formatX86Instruction } from "../../src/arch/x86_64/format.js";
import * as x86_64 from "../../src/arch/x86_64/index.js";
import type { X86Instruction } from "../../src/arch/x86_64/instructions.js";
import { x86IntegerNumber, x86XmmNumber } from "../../src/arch/x86_64/registers.js";
import { IsaError } from "../../src/errors.js";
import { Memory } from "../../src/memory/memory.js";

function failure(f: () => unknown): IsaError {
  try {
    f();
  } catch (e) {
    if (e instanceof IsaError) return e;
    throw e;
  }
  throw new Error("expected an IsaError, nothing was thrown");
}

const at = (instruction: X86Instruction) => encodeX86(instruction, 0x1000n, () => 0x1000n);

describe("x86_64 errors", () => {
  test("unknown registers name the register and list the valid ones", () => {
    const e = failure(() => x86IntegerNumber("eax"));
    expect(e.code).toBe("UNKNOWN_REGISTER");
    expect(e.message).toContain('"eax"');
    expect(e.message).toContain("r15");
    expect(failure(() => x86XmmNumber("xmm16")).code).toBe("UNKNOWN_REGISTER");
    expect(failure(() => at({ op: "mov", dst: "rax", src: "x1" })).code).toBe("UNKNOWN_REGISTER");
    expect(failure(() => at({ op: "movqLoad", dst: "rax", base: "rax", disp: 0 })).code).toBe(
      "UNKNOWN_REGISTER",
    );
    expect(failure(() => formatX86Instruction({ op: "push", reg: "rip" })).code).toBe(
      "UNKNOWN_REGISTER",
    );
    const cpu = x86_64.createCpu(new Memory());
    expect(failure(() => cpu.get("fpcr")).code).toBe("UNKNOWN_REGISTER");
    expect(failure(() => cpu.set("sp", 0n)).code).toBe("UNKNOWN_REGISTER");
  });

  test.each<[string, X86Instruction, string]>([
    ["alui imm above imm32", { op: "alui", kind: "add", dst: "rax", imm: 0x8000_0000n }, "imm"],
    ["alui imm below imm32", { op: "alui", kind: "cmp", dst: "rax", imm: -0x8000_0001n }, "imm"],
    ["alui imm beyond 64 bits", { op: "alui", kind: "or", dst: "rax", imm: 1n << 64n }, "imm"],
    ["movi beyond 64 bits", { op: "movi", dst: "rax", imm: -(1n << 63n) - 1n }, "imm"],
    ["shift count 64", { op: "shifti", kind: "shl", dst: "rax", imm: 64 }, "imm"],
    ["negative shift count", { op: "shifti", kind: "sar", dst: "rax", imm: -1 }, "imm"],
    ["disp beyond 32 bits", { op: "load", dst: "rax", base: "rbx", disp: 2 ** 31 }, "disp"],
    ["fractional disp", { op: "store", src: "rax", base: "rbx", disp: 0.5 }, "disp"],
    ["gs disp beyond 32 bits", { op: "loadGs", dst: "rax", disp: -(2 ** 31) - 1 }, "disp"],
  ])("%s is OPERAND_OUT_OF_RANGE naming the operand", (_name, instruction, operand) => {
    for (const f of [() => at(instruction), () => formatX86Instruction(instruction)]) {
      const e = failure(f);
      expect(e.code).toBe("OPERAND_OUT_OF_RANGE");
      expect(e.message).toContain(`x86_64 ${instruction.op}`);
      expect(e.message).toContain(`operand ${operand}`);
    }
  });

  test("a branch target beyond ±2 GiB is OPERAND_OUT_OF_RANGE", () => {
    for (const instruction of [
      { op: "jmp", target: "far" },
      { op: "jcc", cond: "ne", target: "far" },
      { op: "call", target: "far" },
      { op: "lea", dst: "rax", label: "far" },
    ] as X86Instruction[]) {
      const size = BigInt(sizeOfX86(instruction));
      const e = failure(() => encodeX86(instruction, 0n, () => (1n << 31n) + size));
      expect(e.code).toBe("OPERAND_OUT_OF_RANGE");
      expect(e.message).toContain('"far"');
      expect(failure(() => encodeX86(instruction, 0n, () => -(1n << 31n) + size - 1n)).code).toBe(
        "OPERAND_OUT_OF_RANGE",
      );
      // The farthest reachable targets are fine.
      expect(encodeX86(instruction, 0n, () => -(1n << 31n) + size).length).toBe(Number(size));
      expect(encodeX86(instruction, 0n, () => (1n << 31n) - 1n + size).length).toBe(Number(size));
    }
  });

  test("instructions outside the subset are UNSUPPORTED_INSTRUCTION", () => {
    const bogus = { op: "cpuid" } as unknown as X86Instruction;
    expect(failure(() => at(bogus)).code).toBe("UNSUPPORTED_INSTRUCTION");
    expect(failure(() => formatX86Instruction(bogus)).code).toBe("UNSUPPORTED_INSTRUCTION");
    expect(failure(() => sizeOfX86(bogus)).code).toBe("UNSUPPORTED_INSTRUCTION");
    const badCond = { op: "jcc", cond: "always", target: "x" } as unknown as X86Instruction;
    expect(failure(() => at(badCond)).code).toBe("UNSUPPORTED_INSTRUCTION");
  });

  test("loading code of another instruction set or with a bad instruction changes nothing", () => {
    const cpu = x86_64.createCpu(new Memory());
    const good = assemble(x86_64, [{ op: "nop" }], 0x1000n);
    expect(failure(() => cpu.load({ ...good, arch: "riscv64" })).code).toBe("BAD_ARGUMENT");
    const bad = {
      ...good,
      instructions: [
        { address: 0x2000n, size: 1, instruction: { op: "nop" } },
        { address: 0x2001n, size: 5, instruction: { op: "jmp", target: "nowhere" } },
      ],
    };
    expect(failure(() => cpu.load(bad)).code).toBe("UNDEFINED_LABEL");
    const memory = cpu.memory;
    memory.map(0x2000n, 4096, "rx");
    cpu.pc = 0x2000n;
    expect(cpu.run({ stopAt: [] }).kind).toBe("illegal"); // the nop at 0x2000 was not loaded
  });
});
