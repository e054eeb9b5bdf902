import { describe, expect, test } from "vitest";
import { assemble } from "../../src/arch/assemble.js";
import * as riscv64 from "../../src/arch/riscv64/index.js";
import type { RvImmOp, RvInstruction, RvRegOp } from "../../src/arch/riscv64/instructions.js";
import { IsaError } from "../../src/errors.js";
import { Memory } from "../../src/memory/memory.js";
import { CODE, DATA, GUARD, run, u64 } from "./harness.js";

const MIN = 1n << 63n; // 0x8000_0000_0000_0000
const MAX = MIN - 1n;
const ALL = u64(-1n);

function one(instr: RvInstruction, init: Record<string, bigint> = {}) {
  const r = run([instr], init);
  expect(r.stop).toEqual({ kind: "stopped", pc: r.end });
  return r.cpu;
}

function reg(op: RvRegOp, a: bigint, b: bigint): bigint {
  return one({ op, rd: "a0", rs1: "a1", rs2: "a2" }, { a1: a, a2: b }).get("a0");
}

function imm(op: RvImmOp, a: bigint, value: number): bigint {
  return one({ op, rd: "a0", rs1: "a1", imm: value }, { a1: a }).get("a0");
}

describe("riscv64 interpreter: integer arithmetic", () => {
  test("add and sub wrap around 64 bits", () => {
    expect(reg("add", ALL, 1n)).toBe(0n);
    expect(reg("add", MAX, 1n)).toBe(MIN);
    expect(reg("sub", 0n, 1n)).toBe(ALL);
    expect(reg("sub", MIN, 1n)).toBe(MAX);
  });

  test("and, or, xor", () => {
    expect(reg("and", 0xff00n, 0x0ff0n)).toBe(0x0f00n);
    expect(reg("or", 0xff00n, 0x0ff0n)).toBe(0xfff0n);
    expect(reg("xor", 0xff00n, 0x0ff0n)).toBe(0xf0f0n);
  });

  test("mul keeps the low 64 bits", () => {
    expect(reg("mul", 0x1_0000_0001n, 0x1_0000_0001n)).toBe(0x2_0000_0001n);
    expect(reg("mul", ALL, ALL)).toBe(1n);
    expect(reg("mul", MIN, 2n)).toBe(0n);
    expect(reg("mul", 0x1234_5678_9abc_def0n, 0xfedc_ba98_7654_3210n)).toBe(
      u64(0x1234_5678_9abc_def0n * 0xfedc_ba98_7654_3210n),
    );
  });

  test("shifts use the low 6 bits of the amount", () => {
    expect(reg("sll", 1n, 63n)).toBe(MIN);
    expect(reg("sll", 1n, 64n)).toBe(1n);
    expect(reg("sll", 3n, 65n)).toBe(6n);
    expect(reg("srl", MIN, 63n)).toBe(1n);
    expect(reg("srl", MIN, 64n)).toBe(MIN);
    expect(reg("sra", MIN, 63n)).toBe(ALL);
    expect(reg("sra", MIN, 64n)).toBe(MIN);
    expect(reg("sra", MAX, 62n)).toBe(1n);
  });

  test("slt compares signed, sltu unsigned", () => {
    expect(reg("slt", ALL, 0n)).toBe(1n);
    expect(reg("sltu", ALL, 0n)).toBe(0n);
    expect(reg("slt", MIN, MAX)).toBe(1n);
    expect(reg("sltu", MIN, MAX)).toBe(0n);
    expect(reg("slt", 5n, 5n)).toBe(0n);
  });

  test("immediates are sign-extended 12-bit values", () => {
    expect(imm("addi", 0n, -1)).toBe(ALL);
    expect(imm("addi", 1n, -2048)).toBe(u64(-2047n));
    expect(imm("addi", ALL, 1)).toBe(0n);
    expect(imm("andi", 0x1234_5678n, -16)).toBe(0x1234_5670n);
    expect(imm("ori", 0n, -2048)).toBe(u64(-2048n));
    expect(imm("xori", 0x5555n, -1)).toBe(u64(~0x5555n));
    expect(imm("slti", ALL, 0)).toBe(1n);
    expect(imm("slti", 0n, -1)).toBe(0n);
    // sltiu compares with the sign-extended immediate as an unsigned value.
    expect(imm("sltiu", 5n, -1)).toBe(1n);
    expect(imm("sltiu", ALL, -1)).toBe(0n);
    expect(imm("sltiu", 0n, 1)).toBe(1n);
  });

  test("addiw adds in 32 bits and sign-extends", () => {
    expect(imm("addiw", 0x7fff_ffffn, 1)).toBe(u64(-0x8000_0000n));
    expect(imm("addiw", 0xffff_ffff_0000_0005n, 2)).toBe(7n);
    expect(imm("addiw", 0n, -1)).toBe(ALL);
  });

  test("shift-immediate forms, including 0 and 63", () => {
    expect(one({ op: "slli", rd: "a0", rs1: "a1", shamt: 63 }, { a1: 3n }).get("a0")).toBe(MIN);
    expect(one({ op: "srli", rd: "a0", rs1: "a1", shamt: 63 }, { a1: ALL }).get("a0")).toBe(1n);
    expect(one({ op: "srai", rd: "a0", rs1: "a1", shamt: 63 }, { a1: MIN }).get("a0")).toBe(ALL);
    expect(one({ op: "srai", rd: "a0", rs1: "a1", shamt: 0 }, { a1: MIN }).get("a0")).toBe(MIN);
    expect(one({ op: "srai", rd: "a0", rs1: "a1", shamt: 4 }, { a1: 0x70n }).get("a0")).toBe(7n);
  });

  test("lui sign-extends bit 31; auipc adds to its own address", () => {
    expect(one({ op: "lui", rd: "a0", imm: 0x80000 }).get("a0")).toBe(0xffff_ffff_8000_0000n);
    expect(one({ op: "lui", rd: "a0", imm: 0x7ffff }).get("a0")).toBe(0x7fff_f000n);
    expect(one({ op: "auipc", rd: "a0", imm: 1 }).get("a0")).toBe(CODE + 0x1000n);
    expect(one({ op: "auipc", rd: "a0", imm: 0xfffff }).get("a0")).toBe(CODE - 0x1000n);
  });

  test("x0 reads zero and ignores writes", () => {
    const cpu = one({ op: "addi", rd: "zero", rs1: "zero", imm: 5 });
    expect(cpu.get("zero")).toBe(0n);
    cpu.set("x0", 9n);
    expect(cpu.get("x0")).toBe(0n);
    expect(reg("add", 0n, 0n)).toBe(0n);
    const r = run([{ op: "add", rd: "a0", rs1: "zero", rs2: "a1" }], { a1: 4n, zero: 7n });
    expect(r.cpu.get("a0")).toBe(4n);
  });

  test("nop changes nothing but the pc", () => {
    const cpu = one({ op: "nop" }, { a0: 3n });
    expect(cpu.get("a0")).toBe(3n);
    expect(cpu.steps).toBe(1);
  });

  test("aliases x0-x31, fp and f0-f31 name the same registers", () => {
    const cpu = one({ op: "addi", rd: "x8", rs1: "zero", imm: 11 });
    expect(cpu.get("s0")).toBe(11n);
    expect(cpu.get("fp")).toBe(11n);
    cpu.set("f10", 5n);
    expect(cpu.get("fa0")).toBe(5n);
    cpu.set("t6", -1n);
    expect(cpu.get("x31")).toBe(ALL);
  });
});

describe("riscv64 interpreter: memory", () => {
  test("loads sign- or zero-extend each width", () => {
    const data = (m: Memory) => m.write64(DATA + 8n, 0x8081_8283_8485_8687n);
    const load = (op: RvInstruction["op"], offset = 8) =>
      run([{ op, rd: "a0", rs1: "a1", offset } as RvInstruction], { a1: DATA }, { data }).cpu.get(
        "a0",
      );
    expect(load("lb")).toBe(u64(-0x79n));
    expect(load("lbu")).toBe(0x87n);
    expect(load("lh")).toBe(u64(0x8687n - 0x10000n));
    expect(load("lhu")).toBe(0x8687n);
    expect(load("lw")).toBe(u64(0x8485_8687n - 0x1_0000_0000n));
    expect(load("lwu")).toBe(0x8485_8687n);
    expect(load("ld")).toBe(0x8081_8283_8485_8687n);
    expect(load("lb", 15)).toBe(u64(-0x80n));
  });

  test("stores write the low bytes only; negative offsets", () => {
    const r = run(
      [
        { op: "sd", rs2: "a2", rs1: "a1", offset: -8 },
        { op: "sb", rs2: "a3", rs1: "a1", offset: 0 },
        { op: "sh", rs2: "a3", rs1: "a1", offset: 2 },
        { op: "sw", rs2: "a3", rs1: "a1", offset: 4 },
        { op: "sd", rs2: "a3", rs1: "a1", offset: 2047 },
      ],
      { a1: DATA + 16n, a2: 0x1122_3344_5566_7788n, a3: 0xaabb_ccdd_eeff_0102n },
    );
    const m = r.cpu.memory;
    expect(m.read64(DATA + 8n)).toBe(0x1122_3344_5566_7788n);
    expect(m.read64(DATA + 16n)).toBe(0xeeff_0102_0102_0002n);
    expect(m.read64(DATA + 16n + 2047n)).toBe(0xaabb_ccdd_eeff_0102n);
  });

  test("fld and fsd move 64 bits between memory and f registers", () => {
    const r = run(
      [
        { op: "fld", rd: "fs11", rs1: "a1", offset: 0 },
        { op: "fsd", rs2: "fs11", rs1: "a1", offset: 8 },
        { op: "fsd", rs2: "ft0", rs1: "a1", offset: 16 },
      ],
      { a1: DATA, ft0: 0x3ff0_0000_0000_0000n },
      { data: (m) => m.write64(DATA, 0x4009_21fb_5444_2d18n) },
    );
    expect(r.cpu.get("fs11")).toBe(0x4009_21fb_5444_2d18n);
    expect(r.cpu.memory.read64(DATA + 8n)).toBe(0x4009_21fb_5444_2d18n);
    expect(r.cpu.memory.read64(DATA + 16n)).toBe(0x3ff0_0000_0000_0000n);
  });

  test("a load from the guard page faults with the address; the state is kept", () => {
    const r = run(
      [
        { op: "addi", rd: "a2", rs1: "zero", imm: 1 },
        { op: "ld", rd: "a0", rs1: "a1", offset: -8 },
        { op: "addi", rd: "a2", rs1: "zero", imm: 2 },
      ],
      { a1: DATA, a0: 77n },
    );
    expect(r.stop).toEqual({ kind: "fault", pc: CODE + 4n, address: DATA - 8n, access: "read" });
    expect(r.cpu.pc).toBe(CODE + 4n);
    expect(r.cpu.get("a0")).toBe(77n);
    expect(r.cpu.get("a2")).toBe(1n);
    expect(r.cpu.steps).toBe(1);
  });

  test("a store to the guard page faults and writes nothing", () => {
    const r = run([{ op: "sd", rs2: "a0", rs1: "a1", offset: -4 }], { a1: DATA, a0: ALL });
    expect(r.stop).toEqual({ kind: "fault", pc: CODE, address: DATA - 4n, access: "write" });
    expect(r.cpu.memory.read32(DATA)).toBe(0);
  });

  test("fsd to the guard page faults; fld from it too", () => {
    const store = run([{ op: "fsd", rs2: "fa0", rs1: "a1", offset: -2048 }], { a1: DATA });
    expect(store.stop).toMatchObject({ kind: "fault", address: DATA - 2048n, access: "write" });
    const load = run([{ op: "fld", rd: "fa0", rs1: "a1", offset: 0 }], { a1: GUARD });
    expect(load.stop).toMatchObject({ kind: "fault", address: GUARD, access: "read" });
  });

  test("an address that wraps past 2^64 faults instead of throwing", () => {
    const r = run([{ op: "ld", rd: "a0", rs1: "a1", offset: 16 }], { a1: ALL });
    expect(r.stop).toMatchObject({ kind: "fault", address: 15n, access: "read" });
  });
});

describe("riscv64 interpreter: control flow", () => {
  const conditions: [RvInstruction["op"], bigint, bigint, boolean][] = [
    ["beq", 5n, 5n, true],
    ["beq", 5n, 6n, false],
    ["bne", 5n, 6n, true],
    ["bne", ALL, ALL, false],
    ["blt", ALL, 0n, true],
    ["blt", 0n, ALL, false],
    ["blt", MIN, MAX, true],
    ["bge", 0n, ALL, true],
    ["bge", 3n, 3n, true],
    ["bge", MIN, MAX, false],
    ["bltu", 0n, ALL, true],
    ["bltu", ALL, 0n, false],
    ["bltu", MAX, MIN, true],
    ["bgeu", ALL, 0n, true],
    ["bgeu", 7n, 7n, true],
    ["bgeu", MAX, MIN, false],
  ];
  test.each(conditions)("%s %s, %s taken: %s", (op, a, b, taken) => {
    const r = run(
      [
        { op, rs1: "a1", rs2: "a2", target: "yes" } as RvInstruction,
        { op: "addi", rd: "a0", rs1: "zero", imm: 1 },
        { op: "jal", rd: "zero", target: "end" },
        { op: "label", name: "yes" },
        { op: "addi", rd: "a0", rs1: "zero", imm: 2 },
        { op: "label", name: "end" },
      ],
      { a1: a, a2: b },
    );
    expect(r.stop.kind).toBe("stopped");
    expect(r.cpu.get("a0")).toBe(taken ? 2n : 1n);
  });

  test("numeric branch offsets are relative to the branch", () => {
    const r = run(
      [
        { op: "beq", rs1: "zero", rs2: "zero", target: 8 },
        { op: "addi", rd: "a0", rs1: "zero", imm: 1 },
        { op: "addi", rd: "a1", rs1: "zero", imm: 1 },
      ],
      {},
    );
    expect([r.cpu.get("a0"), r.cpu.get("a1")]).toEqual([0n, 1n]);
  });

  test("a backward branch loops", () => {
    const r = run(
      [
        { op: "label", name: "loop" },
        { op: "addi", rd: "a0", rs1: "a0", imm: 3 },
        { op: "addi", rd: "a1", rs1: "a1", imm: -1 },
        { op: "bne", rs1: "a1", rs2: "zero", target: "loop" },
      ],
      { a1: 10n },
    );
    expect(r.cpu.get("a0")).toBe(30n);
    expect(r.cpu.steps).toBe(30);
  });

  test("jal links the next address; jalr returns and clears bit 0", () => {
    const r = run(
      [
        { op: "jal", rd: "ra", target: "f" },
        { op: "addi", rd: "a1", rs1: "a0", imm: 1 },
        { op: "jal", rd: "zero", target: "end" },
        { op: "label", name: "f" },
        { op: "addi", rd: "a0", rs1: "zero", imm: 41 },
        { op: "addi", rd: "t0", rs1: "ra", imm: 1 },
        { op: "jalr", rd: "zero", rs1: "t0", offset: 0 },
        { op: "label", name: "end" },
      ],
      {},
    );
    expect(r.stop.kind).toBe("stopped");
    expect(r.cpu.get("ra")).toBe(CODE + 4n);
    expect(r.cpu.get("a1")).toBe(42n);
  });

  test("jalr with rd == rs1 jumps to the old value; its offset is added", () => {
    const r = run(
      [
        { op: "jalr", rd: "t0", rs1: "t0", offset: -4 },
        { op: "ebreak" },
        { op: "addi", rd: "a0", rs1: "zero", imm: 7 },
      ],
      { t0: CODE + 12n },
    );
    expect(r.stop.kind).toBe("stopped");
    expect(r.cpu.get("a0")).toBe(7n);
    expect(r.cpu.get("t0")).toBe(CODE + 4n);
  });

  test("la gives the label's address", () => {
    const r = run([
      { op: "la", rd: "a0", target: "there" },
      { op: "nop" },
      { op: "label", name: "there" },
      { op: "la", rd: "a1", target: "start" },
      { op: "label", name: "start" },
    ]);
    expect(r.cpu.get("a0")).toBe(CODE + 12n);
    expect(r.cpu.get("a1")).toBe(CODE + 20n);
  });

  test("ebreak stops with illegal and leaves the pc at it", () => {
    const r = run([{ op: "nop" }, { op: "ebreak" }, { op: "nop" }]);
    expect(r.stop).toMatchObject({ kind: "illegal", pc: CODE + 4n });
    expect(r.cpu.pc).toBe(CODE + 4n);
  });

  test("jumping to an address without an instruction is illegal", () => {
    const r = run([{ op: "jalr", rd: "zero", rs1: "a0", offset: 0 }], { a0: CODE + 0x800n });
    expect(r.stop).toMatchObject({ kind: "illegal", pc: CODE + 0x800n });
  });

  test("fetching from a page without execute permission faults", () => {
    const r = run([{ op: "jalr", rd: "zero", rs1: "a0", offset: 0 }], { a0: DATA });
    expect(r.stop).toEqual({ kind: "fault", pc: DATA, address: DATA, access: "execute" });
  });

  test("an la pair that crosses into a non-executable page faults at the second word", () => {
    const memory = new Memory();
    const base = CODE + 0xffcn;
    const code = assemble(
      riscv64,
      [
        { op: "la", rd: "a0", target: "x" },
        { op: "label", name: "x" },
      ],
      base,
    );
    memory.map(CODE, 4096, "rx");
    memory.map(CODE + 0x1000n, 4096, "rw");
    const cpu = riscv64.createCpu(memory);
    cpu.load(code);
    cpu.pc = base;
    expect(cpu.run({ stopAt: [] })).toEqual({
      kind: "fault",
      pc: base,
      address: CODE + 0x1000n,
      access: "execute",
    });
    expect(cpu.get("a0")).toBe(0n);
  });

  test("stopAt is checked before each fetch, maxSteps bounds the run", () => {
    const loop = [
      { op: "label", name: "l" } as const,
      { op: "jal", rd: "zero", target: "l" } as const,
    ];
    const r = run(loop, {}, { maxSteps: 25 });
    expect(r.stop).toEqual({ kind: "step-limit", pc: CODE });
    expect(r.cpu.steps).toBe(25);
    const again = r.cpu.run({ stopAt: [CODE], maxSteps: 5 });
    expect(again).toEqual({ kind: "stopped", pc: CODE });
    expect(r.cpu.steps).toBe(25);
  });
});

describe("riscv64 interpreter: fcsr", () => {
  test("csrrw swaps, csrrs sets, csrrc clears; rd gets the old value", () => {
    const r = run(
      [
        { op: "csrrw", rd: "a0", csr: 3, rs1: "a1" },
        { op: "csrrs", rd: "a2", csr: 3, rs1: "a3" },
        { op: "csrrc", rd: "a4", csr: 3, rs1: "a5" },
        { op: "csrrs", rd: "a6", csr: 3, rs1: "zero" },
      ],
      { fcsr: 0x21n, a1: 0x40n, a3: 0x03n, a5: 0x41n },
    );
    expect(r.cpu.get("a0")).toBe(0x21n);
    expect(r.cpu.get("a2")).toBe(0x40n);
    expect(r.cpu.get("a4")).toBe(0x43n);
    expect(r.cpu.get("a6")).toBe(0x02n);
    expect(r.cpu.get("fcsr")).toBe(0x02n);
  });

  test("fflags and frm are views of fcsr; reserved bits are not written", () => {
    const r = run(
      [
        { op: "csrrw", rd: "zero", csr: 3, rs1: "a1" },
        { op: "csrrs", rd: "a0", csr: 1, rs1: "zero" },
        { op: "csrrs", rd: "a2", csr: 2, rs1: "zero" },
        { op: "csrrw", rd: "zero", csr: 2, rs1: "a3" },
      ],
      { a1: 0xffff_ffffn, a3: 1n },
    );
    expect(r.cpu.get("a0")).toBe(0x1fn);
    expect(r.cpu.get("a2")).toBe(7n);
    expect(r.cpu.get("fcsr")).toBe(0x3fn);
    expect(r.cpu.get("frm")).toBe(1n);
    expect(r.cpu.get("fflags")).toBe(0x1fn);
  });

  test("an unknown CSR is illegal", () => {
    const r = run([{ op: "csrrs", rd: "a0", csr: 0xc00, rs1: "zero" }]);
    expect(r.stop).toMatchObject({ kind: "illegal", pc: CODE });
  });
});

describe("riscv64 interpreter: registers by name", () => {
  test("unknown names throw UNKNOWN_REGISTER", () => {
    const cpu = riscv64.createCpu(new Memory());
    for (const name of ["rax", "x32", "f32", "mxcsr", ""]) {
      expect(() => cpu.get(name)).toThrow(IsaError);
      try {
        cpu.set(name, 1n);
      } catch (e) {
        expect((e as IsaError).code).toBe("UNKNOWN_REGISTER");
      }
    }
  });

  test("values are truncated to the register's width", () => {
    const cpu = riscv64.createCpu(new Memory());
    cpu.set("a0", (1n << 64n) + 5n);
    cpu.set("fa0", -1n);
    cpu.set("fcsr", (1n << 40n) | 0x12n);
    expect(cpu.get("a0")).toBe(5n);
    expect(cpu.get("fa0")).toBe(ALL);
    expect(cpu.get("fcsr")).toBe(0x12n);
  });

  test("code for another instruction set is refused", () => {
    const cpu = riscv64.createCpu(new Memory());
    expect(() =>
      cpu.load({
        arch: "x86_64",
        base: 0n,
        bytes: new Uint8Array(),
        instructions: [],
        labels: new Map(),
      }),
    ).toThrow(/x86_64/);
  });
});
