import { describe, expect, test } from "vitest";
import * as riscv64 from "../../src/arch/riscv64/index.js";
import type { RvInstruction, RvItem } from "../../src/arch/riscv64/instructions.js";
import type { Cond, LirOp } from "../../src/lir/lir.js";
import { ALU_KINDS, aluReference, CONDS, condHolds, prng } from "../lir-reference.js";
import { CODE, DATA, run, u64 } from "./harness.js";

const MIN = 1n << 63n;
const MAX = MIN - 1n;
const ALL = u64(-1n);

function runLir(ops: LirOp[], init: Record<string, bigint> = {}, data?: Parameters<typeof run>[2]) {
  const items = riscv64.select(ops) as RvItem[];
  const r = run(items, init, data);
  expect(r.stop).toEqual({ kind: "stopped", pc: r.end });
  return { ...r, items };
}

/** Values that sit at the edges of signed and unsigned ranges and of encodings. */
const EDGES = [
  0n,
  1n,
  2n,
  ALL,
  MIN,
  MAX,
  0x7ffn,
  0x800n,
  u64(-0x800n),
  u64(-0x801n),
  0x7fff_f7ffn,
  0x7fff_f800n,
  0x7fff_ffffn,
  0x8000_0000n,
  0xffff_ffffn,
  0x1_0000_0000n,
  u64(-0x8000_0000n),
  0x1234_5678_9abc_def0n,
  0xfedc_ba98_7654_3210n,
  63n,
  64n,
];

const KINDS = ALU_KINDS;

describe("riscv64 select: li", () => {
  const values = [
    ...EDGES,
    u64(-(2n ** 31n) - 1n),
    0x8000_0000_0000_0001n,
    0x0000_1000_0000_0800n,
    0xffff_f000_0000_0000n,
    0x0000_7fff_ffff_ffffn,
    0xdead_beef_0000_0000n,
  ];
  test.each(values.map((v) => [v.toString(16), v]))("li 0x%s", (_hex, v) => {
    const r = runLir([{ op: "li", dst: "a0", imm: v }]);
    expect(r.cpu.get("a0")).toBe(v);
    expect(r.items.length).toBeLessThanOrEqual(8);
  });

  test("signed immediates down to -2^63 are accepted", () => {
    expect(runLir([{ op: "li", dst: "t6", imm: -(2n ** 63n) }]).cpu.get("t6")).toBe(MIN);
    expect(runLir([{ op: "li", dst: "s11", imm: -1n }]).cpu.get("s11")).toBe(ALL);
  });

  test("small values take one instruction, 32-bit values two", () => {
    expect(riscv64.select([{ op: "li", dst: "a0", imm: -2048n }])).toHaveLength(1);
    expect(riscv64.select([{ op: "li", dst: "a0", imm: 0x7fff_ffffn }])).toHaveLength(2);
    expect(riscv64.select([{ op: "li", dst: "a0", imm: 0x1000n }])).toHaveLength(1);
  });

  test("random 64-bit values (fixed seed)", () => {
    const next = prng(0x9e37_79b9_7f4a_7c15n);
    for (let i = 0; i < 200; i++) {
      let v = next();
      // Vary the magnitude: keep a random number of low bits, sometimes sign-extended.
      const bits = Number(next() % 65n);
      v = i % 2 === 0 ? BigInt.asUintN(bits, v) : u64(BigInt.asIntN(Math.max(bits, 1), v));
      const r = runLir([{ op: "li", dst: "a5", imm: v }]);
      expect(r.cpu.get("a5"), `0x${v.toString(16)}`).toBe(v);
    }
  });
});

describe("riscv64 select: mov, la, alu, alui", () => {
  test("mov copies, including from and to sp; mov to itself emits nothing", () => {
    const r = runLir(
      [
        { op: "mov", dst: "a0", src: "sp" },
        { op: "mov", dst: "sp", src: "a1" },
        { op: "mov", dst: "a2", src: "a2" },
      ],
      { sp: 0x1000n, a1: 0x2000n, a2: 9n },
    );
    expect([r.cpu.get("a0"), r.cpu.get("sp"), r.cpu.get("a2")]).toEqual([0x1000n, 0x2000n, 9n]);
    expect(riscv64.select([{ op: "mov", dst: "s1", src: "x9" }])).toEqual([]);
  });

  test("la gives a label's address, forwards and backwards", () => {
    const r = runLir([
      { op: "label", name: "top" },
      { op: "la", dst: "a0", label: "bottom" },
      { op: "la", dst: "a1", label: "top" },
      { op: "label", name: "bottom", global: true },
    ]);
    expect(r.cpu.get("a0")).toBe(r.labels.get("bottom"));
    expect(r.cpu.get("a1")).toBe(CODE);
  });

  test.each(KINDS.map((k) => [k]))("alu %s with dst == a == b and every aliasing", (kind) => {
    const a = 0x1234_5678_9abc_def0n;
    const b = 0x0fed_cba9_8765_4321n;
    const all = runLir([{ op: "alu", kind, dst: "a0", a: "a0", b: "a0" }], { a0: a });
    expect(all.cpu.get("a0")).toBe(aluReference(kind, a, a));
    const da = runLir([{ op: "alu", kind, dst: "a0", a: "a0", b: "a1" }], { a0: a, a1: b });
    expect(da.cpu.get("a0")).toBe(aluReference(kind, a, b));
    const db = runLir([{ op: "alu", kind, dst: "a1", a: "a0", b: "a1" }], { a0: a, a1: b });
    expect(db.cpu.get("a1")).toBe(aluReference(kind, a, b));
  });

  test.each(KINDS.map((k) => [k]))("alui %s over edge immediates, dst == a", (kind) => {
    for (const imm of [...EDGES, -1n, -2048n, 2047n, -2049n, 2048n, -(2n ** 63n)]) {
      for (const a of [0x1234_5678_9abc_def0n, ALL, MIN]) {
        const r = runLir([{ op: "alui", kind, dst: "s2", a: "s2", imm }], { s2: a });
        expect(r.cpu.get("s2"), `${kind} 0x${a.toString(16)}, ${imm}`).toBe(
          aluReference(kind, a, u64(imm)),
        );
      }
    }
  });

  test("alui with a scratch register as the source", () => {
    const r = runLir([{ op: "alui", kind: "add", dst: "a0", a: "t6", imm: 0x1_0000_0000n }], {
      t6: 5n,
    });
    expect(r.cpu.get("a0")).toBe(0x1_0000_0005n);
    const s = runLir([{ op: "alui", kind: "xor", dst: "t6", a: "t6", imm: ALL }], { t6: 5n });
    expect(s.cpu.get("t6")).toBe(u64(~5n));
  });

  test("alui add/sub move the stack pointer", () => {
    const r = runLir(
      [
        { op: "alui", kind: "sub", dst: "sp", a: "sp", imm: 16n },
        { op: "mov", dst: "a0", src: "sp" },
        { op: "alui", kind: "add", dst: "sp", a: "sp", imm: 0x10000n },
      ],
      { sp: 0x8000n },
    );
    expect(r.cpu.get("a0")).toBe(0x7ff0n);
    expect(r.cpu.get("sp")).toBe(0x17ff0n);
  });

  test("property: alu and alui agree with a BigInt model (fixed seed)", () => {
    const next = prng(0x0123_4567_89ab_cdefn);
    const pick = (): bigint =>
      next() % 3n === 0n ? EDGES[Number(next() % BigInt(EDGES.length))]! : next();
    for (let i = 0; i < 300; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const a = pick();
      const b = pick();
      const r = runLir(
        [
          { op: "alu", kind, dst: "a2", a: "a0", b: "a1" },
          { op: "alui", kind, dst: "a3", a: "a0", imm: b },
        ],
        { a0: a, a1: b },
      );
      const want = aluReference(kind, a, b);
      expect(r.cpu.get("a2"), `${kind} ${a} ${b}`).toBe(want);
      expect(r.cpu.get("a3"), `${kind}i ${a} ${b}`).toBe(want);
    }
  });
});

describe("riscv64 select: br", () => {
  function branch(cond: Cond, a: bigint, b: bigint | "reg"): boolean {
    const r = runLir(
      [
        { op: "br", cond, a: "a1", b: b === "reg" ? "a2" : b, target: "yes" },
        { op: "li", dst: "a0", imm: 1n },
        { op: "jmp", target: "end" },
        { op: "label", name: "yes" },
        { op: "li", dst: "a0", imm: 2n },
        { op: "label", name: "end" },
      ],
      { a1: a, a2: typeof b === "bigint" ? 0n : BR_B },
    );
    return r.cpu.get("a0") === 2n;
  }
  let BR_B = 0n;

  test.each(CONDS.map((c) => [c]))(
    "br %s on signed and unsigned edges, register and immediate",
    (cond) => {
      const values = [0n, 1n, ALL, MIN, MAX, 0x8000_0000n, u64(-2n)];
      for (const a of values) {
        for (const b of values) {
          BR_B = b;
          expect(branch(cond, a, "reg"), `${cond} ${a} ${b}`).toBe(condHolds(cond, a, b));
          expect(branch(cond, a, b), `${cond} ${a} #${b}`).toBe(condHolds(cond, a, b));
        }
      }
    },
  );

  test("br against a signed immediate and against a scratch register", () => {
    const r = runLir(
      [
        { op: "br", cond: "lt", a: "t6", b: -5n, target: "yes" },
        { op: "li", dst: "a0", imm: 1n },
        { op: "label", name: "yes" },
      ],
      { t6: u64(-6n) },
    );
    expect(r.cpu.get("a0")).toBe(0n);
    const huge = runLir(
      [
        { op: "br", cond: "eq", a: "a1", b: 2n ** 64n - 1n, target: "yes" },
        { op: "li", dst: "a0", imm: 1n },
        { op: "label", name: "yes" },
      ],
      { a1: ALL },
    );
    expect(huge.cpu.get("a0")).toBe(0n);
  });

  test("br is one 8-byte branch via jal, and reaches beyond a B-type branch's ±4 KiB", () => {
    const far: LirOp[] = [{ op: "br", cond: "ne", a: "a0", b: "zero", target: "far" }];
    for (let i = 0; i < 0x3000; i++) far.push({ op: "trap" });
    far.push({ op: "label", name: "far" }, { op: "li", dst: "a1", imm: 3n });
    const r = runLir(far, { a0: 1n });
    expect(r.cpu.get("a1")).toBe(3n);
    // The branch (bne over jal, executed as one instruction) and the li.
    expect(r.cpu.steps).toBe(2);
    const selected = riscv64.select([far[0]!]);
    expect(selected).toEqual([{ op: "bne", rs1: "a0", rs2: "zero", target: "far", via: "jal" }]);
    expect(riscv64.sizeOf(selected[0] as RvInstruction)).toBe(8);
    const traps: LirOp[] = far.slice(1, 0x3001);
    const back = runLir(
      [
        { op: "jmp", target: "start" },
        { op: "label", name: "back" },
        { op: "li", dst: "a1", imm: 4n },
        { op: "jmp", target: "end" },
        ...traps,
        { op: "label", name: "start" },
        { op: "br", cond: "eq", a: "a0", b: 0n, target: "back" },
        { op: "trap" },
        { op: "label", name: "end" },
      ],
      { a0: 0n },
    );
    expect(back.cpu.get("a1")).toBe(4n);
  });

  test("property: br agrees with a BigInt model (fixed seed)", () => {
    const next = prng(0xfeed_face_cafe_beefn);
    for (let i = 0; i < 200; i++) {
      const cond = CONDS[i % CONDS.length]!;
      const a = next() % 4n === 0n ? EDGES[Number(next() % BigInt(EDGES.length))]! : next();
      const b = next() % 4n === 0n ? a : next() % 2n === 0n ? EDGES[Number(next() % 21n)]! : next();
      BR_B = b;
      expect(branch(cond, a, "reg")).toBe(condHolds(cond, a, b));
      expect(branch(cond, a, b)).toBe(condHolds(cond, a, b));
    }
  });
});

describe("riscv64 select: memory, control state, calls", () => {
  test("load and store at near, far and negative offsets, sp as base", () => {
    const r = runLir(
      [
        { op: "store", src: "a0", base: "a1", offset: 8 },
        { op: "store", src: "a0", base: "a1", offset: 0x3000 },
        { op: "store", src: "a0", base: "sp", offset: -2048 },
        { op: "load", dst: "a2", base: "a1", offset: 0x3000 },
        { op: "load", dst: "a3", base: "a1", offset: 8 },
        { op: "load", dst: "a1", base: "a1", offset: 0x2ff8 },
      ],
      { a0: 0x1122_3344_5566_7788n, a1: DATA, sp: DATA + 0x1000n },
      { data: (m) => m.write64(DATA + 0x2ff8n, 99n) },
    );
    const m = r.cpu.memory;
    expect(m.read64(DATA + 8n)).toBe(0x1122_3344_5566_7788n);
    expect(m.read64(DATA + 0x3000n)).toBe(0x1122_3344_5566_7788n);
    expect(m.read64(DATA + 0x800n)).toBe(0x1122_3344_5566_7788n);
    expect([r.cpu.get("a2"), r.cpu.get("a3"), r.cpu.get("a1")]).toEqual([
      0x1122_3344_5566_7788n,
      0x1122_3344_5566_7788n,
      99n,
    ]);
  });

  test("narrow loads zero-extend (lwu, lhu) at near and far offsets; sp stored and loaded", () => {
    const r = runLir(
      [
        { op: "load", dst: "a2", base: "a1", offset: 4, width: 4 },
        { op: "load", dst: "a3", base: "a1", offset: 6, width: 2 },
        { op: "load", dst: "a4", base: "a1", offset: 0x3004, width: 4 },
        { op: "load", dst: "a5", base: "a1", offset: 0x3006, width: 2 },
        { op: "store", src: "sp", base: "a1", offset: 16 },
        { op: "load", dst: "sp", base: "a1", offset: 24 },
      ],
      { a1: DATA, a2: ALL, a3: ALL, a4: ALL, a5: ALL, sp: DATA + 0x1000n },
      {
        data: (m) => {
          m.write64(DATA, 0xf8f7_f6f5_f4f3_f2f1n);
          m.write64(DATA + 0x3000n, 0x8877_6655_4433_2211n);
          m.write64(DATA + 24n, DATA + 0x2000n);
        },
      },
    );
    expect(r.items.map((i) => i.op)).toContain("lwu");
    expect(r.items.map((i) => i.op)).toContain("lhu");
    expect([r.cpu.get("a2"), r.cpu.get("a3"), r.cpu.get("a4"), r.cpu.get("a5")]).toEqual([
      0xf8f7_f6f5n,
      0xf8f7n,
      0x8877_6655n,
      0x8877n,
    ]);
    expect(r.cpu.memory.read64(DATA + 16n)).toBe(DATA + 0x1000n);
    expect(r.cpu.get("sp")).toBe(DATA + 0x2000n);
    expect(() =>
      riscv64.select([
        { op: "load", dst: "a0", base: "a1", offset: 0, width: 1 } as unknown as LirOp,
      ]),
    ).toThrow(expect.objectContaining({ code: "OPERAND_OUT_OF_RANGE" }));
  });

  test("far offsets with scratch registers as base or source", () => {
    const r = runLir(
      [
        { op: "store", src: "t6", base: "a1", offset: 0x2000 },
        { op: "store", src: "a0", base: "t6", offset: -0x2800 },
        { op: "load", dst: "t5", base: "t6", offset: -0x2800 },
      ],
      { a0: 7n, a1: DATA, t6: DATA + 0x3000n },
    );
    expect(r.cpu.memory.read64(DATA + 0x2000n)).toBe(DATA + 0x3000n);
    expect(r.cpu.memory.read64(DATA + 0x800n)).toBe(7n);
    expect(r.cpu.get("t5")).toBe(7n);
  });

  test("loadf/storef width 8 round trip", () => {
    const r = runLir(
      [
        { op: "loadf", dst: "fs0", base: "a1", offset: 0, width: 8 },
        { op: "storef", src: "fs0", base: "a1", offset: 0x2008, width: 8 },
        { op: "storef", src: "fs11", base: "a1", offset: 16, width: 8 },
      ],
      { a1: DATA, fs11: 0x4000_0000_0000_0000n },
      { data: (m) => m.write64(DATA, 0x3ff8_0000_0000_0000n) },
    );
    expect(r.cpu.get("fs0")).toBe(0x3ff8_0000_0000_0000n);
    expect(r.cpu.memory.read64(DATA + 0x2008n)).toBe(0x3ff8_0000_0000_0000n);
    expect(r.cpu.memory.read64(DATA + 16n)).toBe(0x4000_0000_0000_0000n);
  });

  test("loadctl/storectl fcsr round trip, near and far, any base", () => {
    for (const [base, offset] of [
      ["a1", 0],
      ["a1", 0x2000],
      ["t6", 0x10],
      ["t6", 0x2000],
      ["t5", 0x2000],
    ] as const) {
      const r = runLir(
        [
          { op: "mov", dst: base, src: "a1" },
          { op: "loadctl", control: "fcsr", base, offset },
          { op: "mov", dst: base, src: "a1" },
          { op: "storectl", control: "fcsr", base, offset: offset + 8 },
        ],
        { a1: DATA, fcsr: 0n },
        {
          data: (m) => {
            m.write64(DATA + BigInt(offset), 0x40n);
            m.write64(DATA + BigInt(offset) + 8n, ALL);
          },
        },
      );
      expect(r.cpu.get("fcsr"), `${base} ${offset}`).toBe(0x40n);
      expect(r.cpu.memory.read64(DATA + BigInt(offset) + 8n)).toBe(0x40n);
    }
  });

  test("call and callr set ra and return through jr", () => {
    const r = runLir(
      [
        { op: "call", target: "f" },
        { op: "mov", dst: "s1", src: "a0" },
        { op: "la", dst: "t0", label: "f" },
        { op: "callr", reg: "t0" },
        { op: "jmp", target: "end" },
        { op: "label", name: "f" },
        { op: "alui", kind: "add", dst: "a0", a: "a0", imm: 1n },
        { op: "jr", reg: "ra" },
        { op: "label", name: "end" },
      ],
      { a0: 10n },
    );
    expect(r.cpu.get("s1")).toBe(11n);
    expect(r.cpu.get("a0")).toBe(12n);
  });

  test("trap stops with illegal", () => {
    const items = riscv64.select([{ op: "trap" }]);
    const r = run(items);
    expect(r.stop).toMatchObject({ kind: "illegal", pc: CODE });
  });

  test("selection uses only the subset and base registers", () => {
    const items = riscv64.select([
      { op: "li", dst: "a0", imm: 0x1234_5678_9abc_def0n },
      { op: "br", cond: "gtu", a: "a0", b: 5n, target: "x" },
      { op: "label", name: "x" },
    ]);
    const ops = items.map((i) => i.op);
    // gtu a0, 5 is 5 <u a0: bltu t6, a0 via jal (printed as bgeu t6, a0, . + 8; jal zero, x).
    expect(ops.filter((o) => o === "bltu")).toHaveLength(1);
    const branch = items.find((i) => i.op === "bltu") as RvInstruction & { target: string };
    expect(branch).toMatchObject({ rs1: "t6", rs2: "a0", target: "x", via: "jal" });
    expect(riscv64.format([branch])).toBe("  bgeu t6, a0, . + 8\n  jal zero, x\n");
  });
});
