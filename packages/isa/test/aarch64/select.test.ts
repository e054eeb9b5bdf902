import { describe, expect, test } from "vitest";
import * as aarch64 from "../../src/arch/aarch64/index.js";
import { a64LoadImmediate, a64Select } from "../../src/arch/aarch64/select.js";
import { IsaError } from "../../src/errors.js";
import type { LirOp } from "../../src/lir/lir.js";
import { ALU_KINDS, aluReference, CONDS, condHolds, prng } from "../lir-reference.js";
import { DATA, exec, MASK, STACK_TOP, u } from "./harness.js";

function runLir(ops: LirOp[], regs: Record<string, bigint> = {}) {
  const r = exec(a64Select(ops), regs);
  if (r.stop.kind !== "stopped") {
    throw new Error(`LIR did not reach the end: ${r.stop.kind} at 0x${r.stop.pc.toString(16)}`);
  }
  return r.cpu;
}

const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

const KINDS = ALU_KINDS;
const EDGES = [
  0n,
  1n,
  2n,
  63n,
  64n,
  4095n,
  4096n,
  0x7fff_ffff_ffff_ffffn,
  1n << 63n,
  MASK,
  MASK - 1n,
];

describe("aarch64 select: li", () => {
  test.each([
    [0n, 1],
    [-1n, 1],
    [0x8000_0000n, 1],
    [0x1234_5678_9abc_def0n, 4],
    [1n << 63n, 1],
    [0xffff_ffff_ffff_1234n, 1],
    [0xffff_1234_ffff_ffffn, 1],
    [0x1_0000_ffffn, 2],
    [-0x1_0001_0001n, 2],
    [1n << 64n, 1],
    [(1n << 64n) + 5n, 1],
  ])("li %s takes %i instruction(s)", (imm, count) => {
    expect(a64LoadImmediate("x0", imm)).toHaveLength(count);
    const cpu = runLir([{ op: "li", dst: "x3", imm }], { x3: 0x5555n });
    expect(cpu.get("x3")).toBe(u(imm));
  });
});

describe("aarch64 select: moves and addresses", () => {
  test("mov between registers and to and from sp", () => {
    const cpu = runLir(
      [
        { op: "mov", dst: "x19", src: "sp" },
        { op: "mov", dst: "sp", src: "x1" },
        { op: "mov", dst: "x2", src: "x1" },
      ],
      { x1: DATA + 0x100n },
    );
    expect(cpu.get("x19")).toBe(STACK_TOP);
    expect(cpu.get("sp")).toBe(DATA + 0x100n);
    expect(cpu.get("x2")).toBe(DATA + 0x100n);
  });

  test("la is the label's address", () => {
    const ops: LirOp[] = [
      { op: "la", dst: "x0", label: "later" },
      { op: "label", name: "later", global: true },
      { op: "la", dst: "x1", label: "later" },
    ];
    const r = exec(a64Select(ops));
    expect(r.cpu.get("x0")).toBe(r.labels.get("later"));
    expect(r.cpu.get("x1")).toBe(r.labels.get("later"));
    expect(aarch64.format(a64Select(ops))).toContain(".globl later\n.hidden later\nlater:\n");
  });
});

describe("aarch64 select: alu and alui", () => {
  test.each(KINDS.map((k) => [k]))("alu %s with dst == a == b", (kind) => {
    const v = 0x8000_0000_0000_0043n;
    const cpu = runLir([{ op: "alu", kind, dst: "x5", a: "x5", b: "x5" }], { x5: v });
    expect(cpu.get("x5")).toBe(aluReference(kind, v, v));
  });

  test.each(KINDS.map((k) => [k]))("alui %s over edge immediates, dst == a", (kind) => {
    const a = 0x0123_4567_89ab_cdefn;
    for (const imm of [
      ...EDGES,
      -1n,
      -4095n,
      -4096n,
      -4097n,
      0xfff000n,
      0xfff001n,
      0x1000000n,
      -(1n << 63n),
    ]) {
      const cpu = runLir([{ op: "alui", kind, dst: "x9", a: "x9", imm }], { x9: a });
      expect(cpu.get("x9"), `imm ${imm}`).toBe(aluReference(kind, a, u(imm)));
    }
  });

  test("alui add/sub on sp, small, split and large", () => {
    for (const imm of [16n, 4096n, 0x12340n, 0x10_0000_0000n, -32n, -0x12340n]) {
      for (const kind of ["add", "sub"] as const) {
        const cpu = runLir([{ op: "alui", kind, dst: "sp", a: "sp", imm }]);
        expect(cpu.get("sp"), `${kind} ${imm}`).toBe(aluReference(kind, STACK_TOP, u(imm)));
      }
    }
    const cpu = runLir(
      [
        { op: "alui", kind: "add", dst: "x3", a: "sp", imm: 0x1_0000_0000n },
        { op: "alui", kind: "sub", dst: "sp", a: "x4", imm: 0x1_0000_0000n },
      ],
      { x4: 0x1_0004_0000n },
    );
    expect(cpu.get("x3")).toBe(STACK_TOP + 0x1_0000_0000n);
    expect(cpu.get("sp")).toBe(0x40000n);
  });

  test("alui shifts use the low 6 bits of the immediate", () => {
    const cpu = runLir(
      [
        { op: "alui", kind: "shl", dst: "x1", a: "x0", imm: 65n },
        { op: "alui", kind: "sar", dst: "x2", a: "x0", imm: 63n },
        { op: "alui", kind: "shr", dst: "x3", a: "x0", imm: 64n },
      ],
      { x0: 1n << 63n },
    );
    expect(cpu.get("x1")).toBe(0n);
    expect(cpu.get("x2")).toBe(MASK);
    expect(cpu.get("x3")).toBe(1n << 63n);
  });
});

describe("aarch64 select: memory", () => {
  test.each([0, 8, 32760, 32768, 3, -8, -256, -264, 1 << 20, -(1 << 20)])(
    "load/store at offset %i from a register and from sp",
    (offset) => {
      const base = DATA + 0x2000n;
      const sp = DATA + 0x2000n;
      const inRange = offset >= -0x2000 && offset < 0x2000;
      if (!inRange) {
        // Out of the mapped region: the access must fault exactly at base + offset.
        const r = exec(a64Select([{ op: "load", dst: "x1", base: "x9", offset }]), { x9: base });
        expect(r.stop).toMatchObject({
          kind: "fault",
          address: u(base + BigInt(offset)),
          access: "read",
        });
        return;
      }
      const cpu = runLir(
        [
          { op: "store", src: "x0", base: "x9", offset },
          { op: "load", dst: "x1", base: "x9", offset },
          { op: "mov", dst: "sp", src: "x10" },
          { op: "load", dst: "x2", base: "sp", offset },
          { op: "store", src: "x3", base: "sp", offset },
        ],
        { x0: 0xfeed_face_cafe_beefn, x9: base, x10: sp, x3: 77n },
      );
      expect(cpu.get("x1")).toBe(0xfeed_face_cafe_beefn);
      expect(cpu.get("x2")).toBe(0xfeed_face_cafe_beefn);
      expect(cpu.memory.read64(base + BigInt(offset))).toBe(77n);
    },
  );

  test.each([0, 4, 6, 72, -2, -6, 255, 16380, 16382, 40000, -40000])(
    "narrow loads at offset %i zero-extend 4 and 2 bytes, from a register and from sp",
    (offset) => {
      // A 16-byte aligned base (sp must be) that puts base + offset inside the data region.
      const base = (DATA + 0x2000n - BigInt(offset)) & ~15n;
      const address = base + BigInt(offset);
      const r = exec(
        a64Select([
          { op: "load", dst: "x1", base: "x9", offset, width: 4 },
          { op: "load", dst: "x2", base: "x9", offset, width: 2 },
          { op: "mov", dst: "sp", src: "x9" },
          { op: "load", dst: "x3", base: "sp", offset, width: 4 },
          { op: "load", dst: "x4", base: "sp", offset, width: 2 },
          { op: "load", dst: "x5", base: "sp", offset },
        ]),
        { x1: MASK, x2: MASK, x3: MASK, x4: MASK, x9: base },
        { setup: (cpu) => cpu.memory.write64(address, 0xf8f7_f6f5_f4f3_f2f1n) },
      );
      expect(r.stop.kind).toBe("stopped");
      expect(r.cpu.get("x1")).toBe(0xf4f3_f2f1n);
      expect(r.cpu.get("x2")).toBe(0xf2f1n);
      expect(r.cpu.get("x3")).toBe(0xf4f3_f2f1n);
      expect(r.cpu.get("x4")).toBe(0xf2f1n);
      expect(r.cpu.get("x5")).toBe(0xf8f7_f6f5_f4f3_f2f1n);
    },
  );

  test("narrow loads select ldr w / ldur w and ldrh / ldurh by offset", () => {
    const ops = (offset: number, width: 4 | 2) =>
      a64Select([{ op: "load", dst: "x7", base: "x1", offset, width }]);
    expect(ops(8, 4)).toEqual([{ op: "ldr", rt: "w7", rn: "x1", offset: 8 }]);
    expect(ops(6, 4)).toEqual([{ op: "ldur", rt: "w7", rn: "x1", offset: 6 }]);
    expect(ops(72, 2)).toEqual([{ op: "ldrh", rt: "w7", rn: "x1", offset: 72 }]);
    expect(ops(-2, 2)).toEqual([{ op: "ldurh", rt: "w7", rn: "x1", offset: -2 }]);
  });

  test("the stack pointer may be the value of a store and the destination of a load", () => {
    const r = exec(
      a64Select([
        { op: "store", src: "sp", base: "x9", offset: 8 },
        { op: "store", src: "sp", base: "sp", offset: 40000 },
        { op: "load", dst: "sp", base: "x9", offset: 16 },
      ]),
      { x9: DATA + 0x100n },
      {
        setup: (cpu) => {
          cpu.set("sp", DATA + 0x200n - 40000n);
          cpu.memory.write64(DATA + 0x110n, DATA + 0x3000n);
        },
      },
    );
    expect(r.stop.kind).toBe("stopped");
    expect(r.cpu.memory.read64(DATA + 0x108n)).toBe(DATA + 0x200n - 40000n);
    expect(r.cpu.memory.read64(DATA + 0x200n)).toBe(DATA + 0x200n - 40000n);
    expect(r.cpu.get("sp")).toBe(DATA + 0x3000n);
  });

  test("loadf/storef width 8 and 16, both offset forms and a computed address", () => {
    const cpu = runLir(
      [
        { op: "storef", src: "d8", base: "x9", offset: 8, width: 8 },
        { op: "loadf", dst: "d15", base: "x9", offset: 8, width: 8 },
        { op: "storef", src: "d9", base: "x9", offset: -32, width: 16 },
        { op: "loadf", dst: "d16", base: "x9", offset: -32, width: 16 },
        { op: "storef", src: "d9", base: "x10", offset: 40000, width: 8 },
        { op: "loadf", dst: "d17", base: "x10", offset: 40000, width: 8 },
      ],
      {
        d8: 0x4009_21fb_5444_2d18n,
        q9: (7n << 64n) | 9n,
        x9: DATA + 0x100n,
        x10: DATA + 0x200n - 40000n,
      },
    );
    expect(cpu.get("d15")).toBe(0x4009_21fb_5444_2d18n);
    expect(cpu.get("q16")).toBe((7n << 64n) | 9n);
    expect(cpu.get("q17")).toBe(9n);
    expect(cpu.memory.read64(DATA + 0x200n)).toBe(9n);
  });

  test("loadctl/storectl fpcr round trip, including a computed address off sp", () => {
    const r = exec(
      a64Select([
        { op: "loadctl", control: "fpcr", base: "x9", offset: 0 },
        { op: "storectl", control: "fpcr", base: "x9", offset: 16 },
        { op: "mov", dst: "sp", src: "x9" },
        { op: "storectl", control: "fpcr", base: "sp", offset: 0x1008 },
        { op: "loadctl", control: "fpcr", base: "sp", offset: 40 },
      ]),
      { x9: DATA + 0x100n },
      {
        setup: (cpu) => {
          cpu.memory.write64(DATA + 0x100n, 0x03c0_0000n);
          cpu.memory.write64(DATA + 0x128n, 0x0040_0000n);
        },
      },
    );
    expect(r.stop.kind).toBe("stopped");
    expect(r.cpu.memory.read64(DATA + 0x110n)).toBe(0x03c0_0000n);
    expect(r.cpu.memory.read64(DATA + 0x1108n)).toBe(0x03c0_0000n);
    expect(r.cpu.get("fpcr")).toBe(0x0040_0000n);
  });
});

describe("aarch64 select: control flow", () => {
  test.each(CONDS.map((c) => [c]))(
    "br %s on signed and unsigned edge values, register and immediate",
    (cond) => {
      const values = [0n, 1n, MASK, 1n << 63n, 0x7fff_ffff_ffff_ffffn, 4095n, 4096n, 0x123000n];
      for (const a of values) {
        for (const b of values) {
          for (const useImm of [false, true]) {
            const ops: LirOp[] = [
              { op: "li", dst: "x0", imm: 1n },
              { op: "br", cond, a: "x1", b: useImm ? b : "x2", target: "taken" },
              { op: "li", dst: "x0", imm: 2n },
              { op: "label", name: "taken" },
            ];
            const cpu = runLir(ops, { x1: a, x2: b });
            expect(cpu.get("x0"), `${a} ${cond} ${b} imm=${useImm}`).toBe(
              condHolds(cond, a, b) ? 1n : 2n,
            );
          }
        }
      }
    },
  );

  test("br with immediates of any size, negative ones included", () => {
    for (const b of [-1n, -4095n, -4096n, -(1n << 63n), 1n << 64n, (1n << 80n) + 3n, 1n << 12n]) {
      const cpu = runLir(
        [
          { op: "br", cond: "eq", a: "x1", b, target: "yes" },
          { op: "li", dst: "x0", imm: 2n },
          { op: "jmp", target: "end" },
          { op: "label", name: "yes" },
          { op: "li", dst: "x0", imm: 1n },
        ],
        { x1: u(b) },
      );
      expect(cpu.get("x0"), `b = ${b}`).toBe(1n);
    }
  });

  test("call/callr set the link register; jr x30 returns", () => {
    const cpu = runLir([
      { op: "call", target: "f" },
      { op: "la", dst: "x9", label: "g" },
      { op: "callr", reg: "x9" },
      { op: "jmp", target: "end" },
      { op: "label", name: "f" },
      { op: "alui", kind: "add", dst: "x0", a: "x0", imm: 1n },
      { op: "jr", reg: "x30" },
      { op: "label", name: "g" },
      { op: "alui", kind: "add", dst: "x0", a: "x0", imm: 10n },
      { op: "jr", reg: "x30" },
    ]);
    expect(cpu.get("x0")).toBe(11n);
  });

  test("trap stops the machine with illegal", () => {
    const r = exec(a64Select([{ op: "trap" }]));
    expect(r.stop).toMatchObject({ kind: "illegal", reason: expect.stringContaining("brk") });
  });

  test("a load width other than 8, 4 or 2 is OPERAND_OUT_OF_RANGE", () => {
    for (const width of [1, 3, 16]) {
      expect(() =>
        a64Select([{ op: "load", dst: "x0", base: "x1", offset: 0, width } as LirOp]),
      ).toThrow(expect.objectContaining({ code: "OPERAND_OUT_OF_RANGE" }));
    }
  });

  test("operations that AArch64 lacks are UNSUPPORTED_INSTRUCTION", () => {
    const bad: LirOp[] = [
      { op: "loadtls", dst: "x0", offset: 8 },
      { op: "storetls", src: "x0", offset: 8 },
      { op: "pop", dst: "x0" },
      { op: "loadctl", control: "mxcsr", base: "x0", offset: 0 },
      { op: "storectl", control: "fcsr", base: "x0", offset: 0 },
    ];
    for (const op of bad) {
      try {
        a64Select([op]);
        expect.unreachable(`${op.op} should throw`);
      } catch (e) {
        expect(e).toBeInstanceOf(IsaError);
        expect((e as IsaError).code).toBe("UNSUPPORTED_INSTRUCTION");
      }
    }
  });
});

describe("aarch64 select: random operands against a BigInt reference", () => {
  const next = prng(0x9e37_79b9_7f4a_7c15n);
  const operand = (): bigint => {
    const r = next();
    switch (Number(r & 7n)) {
      case 0:
        return EDGES[Number((r >> 8n) % BigInt(EDGES.length))]!;
      case 1:
        return (r >> 3n) & 0xfffn;
      case 2:
        return u(-((r >> 3n) & 0xfffn));
      case 3:
        return (r >> 3n) & 0xff_ffffn;
      default:
        return r;
    }
  };

  test("alu, alui and br over 300 random cases", () => {
    for (let i = 0; i < 300; i++) {
      const kind = KINDS[Number(next() % BigInt(KINDS.length))]!;
      const cond = CONDS[Number(next() % BigInt(CONDS.length))]!;
      const a = operand();
      const b = operand();
      const cpu = runLir(
        [
          { op: "alu", kind, dst: "x3", a: "x1", b: "x2" },
          { op: "alui", kind, dst: "x4", a: "x1", imm: s64(b) },
          { op: "li", dst: "x5", imm: 1n },
          { op: "br", cond, a: "x1", b: s64(b), target: "t1" },
          { op: "li", dst: "x5", imm: 0n },
          { op: "label", name: "t1" },
          { op: "li", dst: "x6", imm: 1n },
          { op: "br", cond, a: "x1", b: "x2", target: "t2" },
          { op: "li", dst: "x6", imm: 0n },
          { op: "label", name: "t2" },
        ],
        { x1: a, x2: b },
      );
      const what = `${kind}/${cond} a=0x${a.toString(16)} b=0x${b.toString(16)}`;
      expect(cpu.get("x3"), what).toBe(aluReference(kind, a, b));
      expect(cpu.get("x4"), what).toBe(aluReference(kind, a, b));
      expect(cpu.get("x5"), what).toBe(condHolds(cond, a, b) ? 1n : 0n);
      expect(cpu.get("x6"), what).toBe(condHolds(cond, a, b) ? 1n : 0n);
      expect(cpu.get("x1")).toBe(a);
    }
  });
});
