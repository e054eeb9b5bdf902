import { describe, expect, test } from "vitest";
import * as aarch64 from "../../src/arch/aarch64/index.js";
import { A64_CONDITIONS, type A64Condition } from "../../src/arch/aarch64/instructions.js";
import { assemble } from "../../src/arch/assemble.js";
import { IsaError } from "../../src/errors.js";
import { Memory } from "../../src/memory/memory.js";
import { CODE, DATA, exec, GUARD, MASK, run, STACK_TOP, u } from "./harness.js";

const N = 8n;
const Z = 4n;
const C = 2n;
const V = 1n;
const flags = (cpu: { get(r: string): bigint }): bigint => cpu.get("nzcv") >> 28n;

describe("aarch64 interpreter: moves", () => {
  test("movz/movk/movn at every shift", () => {
    const cpu = run([
      { op: "movz", rd: "x0", imm: 0xabcd, shift: 48 },
      { op: "movk", rd: "x0", imm: 0x1234, shift: 0 },
      { op: "movk", rd: "x0", imm: 0x5678, shift: 16 },
      { op: "movk", rd: "x0", imm: 0x9abc, shift: 32 },
      { op: "movk", rd: "x0", imm: 0xffff, shift: 48 },
      { op: "movn", rd: "x1", imm: 0 },
      { op: "movn", rd: "x2", imm: 0x1234, shift: 32 },
      { op: "movz", rd: "x3", imm: 0xffff, shift: 16 },
      { op: "movz", rd: "xzr", imm: 5 },
    ]);
    expect(cpu.get("x0")).toBe(0xffff_9abc_5678_1234n);
    expect(cpu.get("x1")).toBe(MASK);
    expect(cpu.get("x2")).toBe(u(~(0x1234n << 32n)));
    expect(cpu.get("x3")).toBe(0xffff_0000n);
    expect(cpu.get("xzr")).toBe(0n);
  });

  test("mov between registers, from xzr, and to and from sp", () => {
    const cpu = run(
      [
        { op: "mov", rd: "x0", rn: "x30" },
        { op: "mov", rd: "x1", rn: "xzr" },
        { op: "mov", rd: "x2", rn: "sp" },
        { op: "mov", rd: "sp", rn: "x3" },
      ],
      { x30: 0xdead_beefn, x1: 7n, x3: 0x40010n },
    );
    expect(cpu.get("x0")).toBe(0xdead_beefn);
    expect(cpu.get("x1")).toBe(0n);
    expect(cpu.get("x2")).toBe(STACK_TOP);
    expect(cpu.get("sp")).toBe(0x40010n);
  });
});

describe("aarch64 interpreter: add and subtract", () => {
  test("immediate forms wrap around and reach sp", () => {
    const cpu = run(
      [
        { op: "addi", rd: "x0", rn: "x0", imm: 1 },
        { op: "subi", rd: "x1", rn: "x1", imm: 1 },
        { op: "addi", rd: "x2", rn: "x2", imm: 4095, lsl12: true },
        { op: "subi", rd: "sp", rn: "sp", imm: 32 },
        { op: "addi", rd: "x3", rn: "sp", imm: 0 },
      ],
      { x0: MASK, x1: 0n, x2: 1n },
    );
    expect(cpu.get("x0")).toBe(0n);
    expect(cpu.get("x1")).toBe(MASK);
    expect(cpu.get("x2")).toBe(1n + 4095n * 4096n);
    expect(cpu.get("sp")).toBe(STACK_TOP - 32n);
    expect(cpu.get("x3")).toBe(STACK_TOP - 32n);
  });

  test("shifted-register forms apply lsl/lsr/asr to the last operand", () => {
    const cpu = run(
      [
        { op: "add", rd: "x0", rn: "x10", rm: "x11", shift: "lsl", amount: 4 },
        { op: "add", rd: "x1", rn: "x10", rm: "x12", shift: "lsr", amount: 63 },
        { op: "sub", rd: "x2", rn: "x10", rm: "x12", shift: "asr", amount: 63 },
        { op: "sub", rd: "x3", rn: "xzr", rm: "x10" },
        { op: "add", rd: "x4", rn: "x12", rm: "x12" },
      ],
      { x10: 100n, x11: 3n, x12: 1n << 63n },
    );
    expect(cpu.get("x0")).toBe(148n);
    expect(cpu.get("x1")).toBe(101n);
    expect(cpu.get("x2")).toBe(101n); // 100 - (-1)
    expect(cpu.get("x3")).toBe(u(-100n));
    expect(cpu.get("x4")).toBe(0n);
  });

  test.each([
    // a, b, expected flags of a - b
    [0n, 1n, N],
    [5n, 5n, Z | C],
    [1n << 63n, 1n, C | V],
    [MASK, 0n, N | C],
    [0x7fff_ffff_ffff_ffffn, MASK, N | V],
    [3n, 2n, C],
  ])("subs/cmp flags of 0x%s - 0x%s", (a, b, expected) => {
    const cpu = run([{ op: "subs", rd: "x2", rn: "x0", rm: "x1" }], { x0: a, x1: b });
    expect(cpu.get("x2")).toBe(u(a - b));
    expect(flags(cpu)).toBe(expected);
    const cmp = run([{ op: "cmp", rn: "x0", rm: "x1" }], { x0: a, x1: b });
    expect(flags(cmp)).toBe(expected);
    expect(cmp.get("x0")).toBe(a);
  });

  test.each([
    [MASK, 1n, Z | C],
    [0x7fff_ffff_ffff_ffffn, 1n, N | V],
    [1n << 63n, 1n << 63n, Z | C | V],
    [1n, 2n, 0n],
  ])("adds flags of 0x%s + 0x%s", (a, b, expected) => {
    const cpu = run([{ op: "adds", rd: "x2", rn: "x0", rm: "x1" }], { x0: a, x1: b });
    expect(cpu.get("x2")).toBe(u(a + b));
    expect(flags(cpu)).toBe(expected);
  });

  test("immediate flag-setting forms: addsi, subsi, cmpi, cmni", () => {
    let cpu = run([{ op: "subsi", rd: "x1", rn: "x0", imm: 1 }], { x0: 0n });
    expect(cpu.get("x1")).toBe(MASK);
    expect(flags(cpu)).toBe(N);
    cpu = run([{ op: "addsi", rd: "x1", rn: "x0", imm: 1 }], { x0: MASK });
    expect(cpu.get("x1")).toBe(0n);
    expect(flags(cpu)).toBe(Z | C);
    cpu = run([{ op: "cmpi", rn: "x0", imm: 2, lsl12: true }], { x0: 8192n });
    expect(flags(cpu)).toBe(Z | C);
    cpu = run([{ op: "cmni", rn: "x0", imm: 1 }], { x0: MASK });
    expect(flags(cpu)).toBe(Z | C);
    cpu = run([{ op: "cmpi", rn: "sp", imm: 0 }]);
    expect(flags(cpu)).toBe(C);
    cpu = run([{ op: "addsi", rd: "xzr", rn: "x0", imm: 0 }], { x0: 1n << 63n });
    expect(flags(cpu)).toBe(N);
  });
});

describe("aarch64 interpreter: logic, multiply, shifts", () => {
  test("and/orr/eor with every shift, ands sets N and Z and clears C and V", () => {
    const a = 0xf0f0_0000_0000_000fn;
    const b = 0x8000_0000_0000_0001n;
    const cpu = run(
      [
        { op: "and", rd: "x2", rn: "x0", rm: "x1" },
        { op: "orr", rd: "x3", rn: "x0", rm: "x1", shift: "lsl", amount: 4 },
        { op: "eor", rd: "x4", rn: "x0", rm: "x1", shift: "asr", amount: 4 },
        { op: "orr", rd: "x5", rn: "xzr", rm: "x1", shift: "ror", amount: 1 },
        { op: "eor", rd: "x6", rn: "xzr", rm: "x1", shift: "lsr", amount: 63 },
        { op: "cmp", rn: "x0", rm: "x0" },
        { op: "ands", rd: "x7", rn: "x0", rm: "x1" },
      ],
      { x0: a, x1: b },
    );
    expect(cpu.get("x2")).toBe(a & b);
    expect(cpu.get("x3")).toBe(a | u(b << 4n));
    expect(cpu.get("x4")).toBe(a ^ u(BigInt.asIntN(64, b) >> 4n));
    expect(cpu.get("x5")).toBe(0xc000_0000_0000_0000n);
    expect(cpu.get("x6")).toBe(1n);
    expect(cpu.get("x7")).toBe(a & b);
    expect(flags(cpu)).toBe(N);
    const zero = run([{ op: "ands", rd: "xzr", rn: "x0", rm: "x1" }], { x0: 1n, x1: 2n });
    expect(flags(zero)).toBe(Z);
  });

  test("mul keeps the low 64 bits", () => {
    const cpu = run(
      [
        { op: "mul", rd: "x2", rn: "x0", rm: "x1" },
        { op: "mul", rd: "x0", rn: "x0", rm: "x0" },
      ],
      { x0: (1n << 63n) + 3n, x1: MASK },
    );
    expect(cpu.get("x2")).toBe(u(((1n << 63n) + 3n) * MASK));
    expect(cpu.get("x0")).toBe(9n);
  });

  test.each([0n, 1n, 63n, 64n, 65n, 127n, MASK])(
    "register shifts by %s use the amount modulo 64",
    (s) => {
      const v = 0x8000_0000_0000_0401n;
      const cpu = run(
        [
          { op: "lslv", rd: "x2", rn: "x0", rm: "x1" },
          { op: "lsrv", rd: "x3", rn: "x0", rm: "x1" },
          { op: "asrv", rd: "x4", rn: "x0", rm: "x1" },
        ],
        { x0: v, x1: s },
      );
      const k = s & 63n;
      expect(cpu.get("x2")).toBe(u(v << k));
      expect(cpu.get("x3")).toBe(v >> k);
      expect(cpu.get("x4")).toBe(u(BigInt.asIntN(64, v) >> k));
    },
  );

  test.each([0, 1, 31, 32, 63])("immediate shifts by %i", (s) => {
    const v = 0x8765_4321_0fed_cba9n;
    const cpu = run(
      [
        { op: "lsli", rd: "x2", rn: "x0", amount: s },
        { op: "lsri", rd: "x3", rn: "x0", amount: s },
        { op: "asri", rd: "x4", rn: "x0", amount: s },
      ],
      { x0: v },
    );
    expect(cpu.get("x2")).toBe(u(v << BigInt(s)));
    expect(cpu.get("x3")).toBe(v >> BigInt(s));
    expect(cpu.get("x4")).toBe(u(BigInt.asIntN(64, v) >> BigInt(s)));
  });
});

describe("aarch64 interpreter: loads and stores", () => {
  test("x registers: scaled and unscaled offsets, base sp, xzr stores zero", () => {
    const cpu = run(
      [
        { op: "str", rt: "x0", rn: "x9", offset: 8 },
        { op: "stur", rt: "x1", rn: "x9", offset: -8 },
        { op: "ldr", rt: "x2", rn: "x9", offset: 8 },
        { op: "ldur", rt: "x3", rn: "x9", offset: -8 },
        { op: "ldur", rt: "x4", rn: "x9", offset: -5 },
        { op: "subi", rd: "sp", rn: "sp", imm: 16 },
        { op: "str", rt: "x0", rn: "sp", offset: 0 },
        { op: "ldur", rt: "x5", rn: "sp", offset: 0 },
        { op: "str", rt: "xzr", rn: "x9", offset: 8 },
        { op: "ldr", rt: "x6", rn: "x9", offset: 8 },
      ],
      { x0: 0x1122_3344_5566_7788n, x1: 0x99aa_bbcc_ddee_ff00n, x9: DATA + 0x100n },
    );
    expect(cpu.get("x2")).toBe(0x1122_3344_5566_7788n);
    expect(cpu.get("x3")).toBe(0x99aa_bbcc_ddee_ff00n);
    expect(cpu.get("x4")).toBe(0x99_aabb_ccddn);
    expect(cpu.get("x5")).toBe(0x1122_3344_5566_7788n);
    expect(cpu.get("x6")).toBe(0n);
    expect(cpu.memory.read64(STACK_TOP - 16n)).toBe(0x1122_3344_5566_7788n);
  });

  test("w registers and ldrh: narrow loads clear the upper bits, str w writes 4 bytes", () => {
    const ones = MASK;
    const { cpu, stop } = exec(
      [
        { op: "ldr", rt: "w0", rn: "x9", offset: 4 },
        { op: "ldur", rt: "w1", rn: "x9", offset: -4 },
        { op: "ldrh", rt: "w2", rn: "x9", offset: 6 },
        { op: "ldurh", rt: "w3", rn: "x9", offset: -3 },
        { op: "str", rt: "w4", rn: "x9", offset: 16 },
        { op: "stur", rt: "w4", rn: "x9", offset: 25 },
        { op: "ldr", rt: "wzr", rn: "x9", offset: 0 },
        { op: "ldrh", rt: "w30", rn: "sp", offset: 0 },
      ],
      {
        x0: ones,
        x1: ones,
        x2: ones,
        x3: ones,
        x4: 0xdead_beef_0bad_f00dn,
        x30: ones,
        x9: DATA + 0x100n,
      },
      {
        setup: (c) => {
          c.memory.write64(DATA + 0x100n, 0x1122_3344_5566_7788n);
          c.memory.write64(DATA + 0xf8n, 0x99aa_bbcc_ddee_ff00n);
          c.memory.write64(DATA + 0x110n, MASK);
          c.memory.write64(DATA + 0x118n, MASK);
          c.memory.write16(STACK_TOP - 16n, 0xabcd);
          c.set("sp", STACK_TOP - 16n);
        },
      },
    );
    expect(stop.kind).toBe("stopped");
    expect(cpu.get("x0")).toBe(0x1122_3344n);
    expect(cpu.get("x1")).toBe(0x99aa_bbccn);
    expect(cpu.get("x2")).toBe(0x1122n);
    expect(cpu.get("x3")).toBe(0xaabbn);
    expect(cpu.memory.read64(DATA + 0x110n)).toBe(0xffff_ffff_0bad_f00dn);
    expect(cpu.memory.read64(DATA + 0x118n)).toBe(0xffff_ff0b_adf0_0dffn);
    expect(cpu.get("xzr")).toBe(0n);
    expect(cpu.get("x30")).toBe(0xabcdn);
  });

  test("d registers hold 64 bits; loading d clears the upper half of q", () => {
    const cpu = run(
      [
        { op: "str", rt: "q31", rn: "x9", offset: 16 },
        { op: "ldr", rt: "q0", rn: "x9", offset: 16 },
        { op: "ldr", rt: "d31", rn: "x9", offset: 16 },
        { op: "stur", rt: "d0", rn: "x9", offset: -16 },
        { op: "ldur", rt: "q1", rn: "x9", offset: -16 },
      ],
      { q31: (0xaaaan << 64n) | 0x1234n, x9: DATA + 0x200n },
    );
    expect(cpu.get("q0")).toBe((0xaaaan << 64n) | 0x1234n);
    expect(cpu.get("d0")).toBe(0x1234n);
    expect(cpu.get("q31")).toBe(0x1234n);
    expect(cpu.get("d31")).toBe(0x1234n);
    expect(cpu.memory.read64(DATA + 0x1f0n)).toBe(0x1234n);
    expect(cpu.get("q1")).toBe(cpu.memory.read128(DATA + 0x1f0n));
  });
});

describe("aarch64 interpreter: branches", () => {
  const HOLDS: Record<A64Condition, (n: boolean, z: boolean, c: boolean, v: boolean) => boolean> = {
    eq: (_n, z) => z,
    ne: (_n, z) => !z,
    hs: (_n, _z, c) => c,
    lo: (_n, _z, c) => !c,
    mi: (n) => n,
    pl: (n) => !n,
    vs: (_n, _z, _c, v) => v,
    vc: (_n, _z, _c, v) => !v,
    hi: (_n, z, c) => c && !z,
    ls: (_n, z, c) => !(c && !z),
    ge: (n, _z, _c, v) => n === v,
    lt: (n, _z, _c, v) => n !== v,
    gt: (n, z, _c, v) => !z && n === v,
    le: (n, z, _c, v) => z || n !== v,
    al: () => true,
    nv: () => true,
  };

  test.each(A64_CONDITIONS.map((c) => [c]))("b.%s against all 16 flag combinations", (cond) => {
    for (let f = 0n; f < 16n; f++) {
      const cpu = run(
        [
          { op: "movz", rd: "x0", imm: 1 },
          { op: "bcond", cond, target: "taken" },
          { op: "movz", rd: "x0", imm: 2 },
          { op: "label", name: "taken" },
        ],
        { nzcv: f << 28n },
      );
      const expected = HOLDS[cond]((f & N) !== 0n, (f & Z) !== 0n, (f & C) !== 0n, (f & V) !== 0n);
      expect(cpu.get("x0"), `flags ${f}`).toBe(expected ? 1n : 2n);
    }
  });

  test("b forward and backward, bl sets x30", () => {
    const r = exec([
      { op: "b", target: "fwd" },
      { op: "label", name: "back" },
      { op: "bl", target: "end" },
      { op: "label", name: "fwd" },
      { op: "addi", rd: "x0", rn: "x0", imm: 1 },
      { op: "b", target: "back" },
    ]);
    expect(r.stop).toEqual({ kind: "stopped", pc: r.end });
    expect(r.cpu.get("x0")).toBe(1n);
    expect(r.cpu.get("x30")).toBe(r.labels.get("back")! + 4n);
  });

  test("br, blr and ret through registers; blr x30 jumps to the old x30", () => {
    const r = exec([
      { op: "adr", rd: "x5", target: "f" },
      { op: "blr", rn: "x5" },
      { op: "label", name: "after" },
      { op: "adr", rd: "x30", target: "g" },
      { op: "blr", rn: "x30" },
      { op: "label", name: "after2" },
      { op: "adr", rd: "x6", target: "end" },
      { op: "br", rn: "x6" },
      { op: "label", name: "f" },
      { op: "addi", rd: "x0", rn: "x0", imm: 1 },
      { op: "ret" },
      { op: "label", name: "g" },
      { op: "mov", rd: "x7", rn: "x30" },
      { op: "addi", rd: "x0", rn: "x0", imm: 10 },
      { op: "ret", rn: "x7" },
    ]);
    expect(r.stop.kind).toBe("stopped");
    expect(r.cpu.get("x0")).toBe(11n);
    expect(r.cpu.get("x30")).toBe(r.labels.get("after2"));
  });

  test("adr gives the label's address, forward and backward", () => {
    const r = exec([
      { op: "label", name: "here" },
      { op: "adr", rd: "x0", target: "here" },
      { op: "adr", rd: "x1", target: "end" },
    ]);
    expect(r.cpu.get("x0")).toBe(CODE);
    expect(r.cpu.get("x1")).toBe(r.end);
  });
});

describe("aarch64 interpreter: system, traps, stopping", () => {
  test("msr/mrs fpcr round-trip keeps 32 bits", () => {
    const cpu = run(
      [
        { op: "msr", sysreg: "fpcr", rt: "x0" },
        { op: "mrs", rt: "x1", sysreg: "fpcr" },
      ],
      { x0: 0xffff_ffff_03c0_0000n },
    );
    expect(cpu.get("x1")).toBe(0x03c0_0000n);
    expect(cpu.get("fpcr")).toBe(0x03c0_0000n);
  });

  test("brk stops with illegal at the brk; nop does nothing", () => {
    const r = exec([{ op: "nop" }, { op: "brk", imm: 0x3e8 }, { op: "movz", rd: "x0", imm: 1 }]);
    expect(r.stop).toEqual({
      kind: "illegal",
      pc: CODE + 4n,
      reason: "brk #1000: breakpoint trap",
    });
    expect(r.cpu.pc).toBe(CODE + 4n);
    expect(r.cpu.steps).toBe(1);
    expect(r.cpu.get("x0")).toBe(0n);
  });

  test("a load from the guard page faults with the address; state is kept", () => {
    const r = exec(
      [
        { op: "movz", rd: "x0", imm: 5 },
        { op: "ldr", rt: "x0", rn: "x9", offset: 8 },
        { op: "movz", rd: "x0", imm: 6 },
      ],
      { x9: GUARD },
    );
    expect(r.stop).toEqual({ kind: "fault", pc: CODE + 4n, address: GUARD + 8n, access: "read" });
    expect(r.cpu.pc).toBe(CODE + 4n);
    expect(r.cpu.get("x0")).toBe(5n);
    expect(r.cpu.steps).toBe(1);
  });

  test("a store below the stack faults as a write; stur with negative offset too", () => {
    const r = exec([{ op: "stur", rt: "x1", rn: "x9", offset: -8 }], { x9: DATA });
    expect(r.stop).toEqual({ kind: "fault", pc: CODE, address: DATA - 8n, access: "write" });
    const q = exec([{ op: "str", rt: "q1", rn: "x9", offset: 0 }], { x9: DATA - 16n });
    expect(q.stop).toMatchObject({ kind: "fault", access: "write" });
  });

  test("an access based on a misaligned sp faults", () => {
    const r = exec([
      { op: "subi", rd: "sp", rn: "sp", imm: 8 },
      { op: "str", rt: "x0", rn: "sp", offset: 0 },
    ]);
    expect(r.stop).toEqual({
      kind: "fault",
      pc: CODE + 4n,
      address: STACK_TOP - 8n,
      access: "write",
    });
  });

  test("fetching from a non-executable page faults with access execute", () => {
    const r = exec([{ op: "br", rn: "x9" }], { x9: DATA + 0x40n });
    expect(r.stop).toEqual({
      kind: "fault",
      pc: DATA + 0x40n,
      address: DATA + 0x40n,
      access: "execute",
    });
    const unmapped = exec([{ op: "br", rn: "x9" }], { x9: 0x7000_0000n });
    expect(unmapped.stop).toMatchObject({
      kind: "fault",
      access: "execute",
      address: 0x7000_0000n,
    });
  });

  test("an executable address with no loaded instruction is illegal", () => {
    const r = exec([{ op: "br", rn: "x9" }], { x9: CODE + 0x800n });
    expect(r.stop).toMatchObject({ kind: "illegal", pc: CODE + 0x800n });
  });

  test("stopAt is checked before every fetch, including the first", () => {
    const r = exec([{ op: "movz", rd: "x0", imm: 1 }]);
    expect(r.stop.kind).toBe("stopped");
    const cpu = r.cpu;
    cpu.set("x0", 0n);
    cpu.pc = CODE;
    expect(cpu.run({ stopAt: [CODE] })).toEqual({ kind: "stopped", pc: CODE });
    expect(cpu.get("x0")).toBe(0n);
    expect(cpu.run({ stopAt: [CODE + 4n] })).toEqual({ kind: "stopped", pc: CODE + 4n });
    expect(cpu.get("x0")).toBe(1n);
  });

  test("maxSteps stops an endless loop with step-limit; steps counts", () => {
    const r = exec(
      [
        { op: "label", name: "loop" },
        { op: "addi", rd: "x0", rn: "x0", imm: 1 },
        { op: "b", target: "loop" },
      ],
      {},
      { maxSteps: 1001 },
    );
    expect(r.stop).toEqual({ kind: "step-limit", pc: CODE + 4n });
    expect(r.cpu.get("x0")).toBe(501n);
    expect(r.cpu.steps).toBe(1001);
  });
});

describe("aarch64 interpreter: registers", () => {
  test("set truncates to the register's width; xzr reads zero; aliases", () => {
    const cpu = aarch64.createCpu(new Memory());
    cpu.set("x0", -1n);
    expect(cpu.get("x0")).toBe(MASK);
    cpu.set("lr", 5n);
    expect(cpu.get("x30")).toBe(5n);
    cpu.set("fp", 6n);
    expect(cpu.get("x29")).toBe(6n);
    cpu.set("xzr", 9n);
    expect(cpu.get("xzr")).toBe(0n);
    cpu.set("q3", -1n);
    expect(cpu.get("q3")).toBe((1n << 128n) - 1n);
    expect(cpu.get("d3")).toBe(MASK);
    cpu.set("d3", 1n);
    expect(cpu.get("q3")).toBe(1n);
    cpu.set("fpcr", -1n);
    expect(cpu.get("fpcr")).toBe(0xffff_ffffn);
    expect(cpu.arch).toBe("aarch64");
  });

  test("unknown register names throw UNKNOWN_REGISTER", () => {
    const cpu = aarch64.createCpu(new Memory());
    for (const name of ["rax", "x31", "w0", "d32", "q", "mxcsr"]) {
      expect(() => cpu.get(name)).toThrow(IsaError);
      try {
        cpu.set(name, 1n);
      } catch (e) {
        expect((e as IsaError).code).toBe("UNKNOWN_REGISTER");
      }
    }
  });

  test("loading code of another instruction set is rejected", () => {
    const cpu = aarch64.createCpu(new Memory());
    const code = assemble(aarch64, [{ op: "nop" }], 0x1000n);
    expect(() => cpu.load({ ...code, arch: "riscv64" })).toThrow(/riscv64/);
  });
});
