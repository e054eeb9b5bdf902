import { describe, expect, test } from "vitest";
import { assemble } from "../../src/arch/assemble.js";
import * as x86_64 from "../../src/arch/x86_64/index.js";
import { IsaError } from "../../src/errors.js";
import type { LirOp } from "../../src/lir/lir.js";
import { PAGE_SIZE } from "../../src/memory/memory.js";
import { ALU_KINDS, aluReference, CONDS, condHolds } from "../lir-reference.js";
import { DATA, EDGES, machine, prng, STACK_TOP } from "./machine.js";

const u64 = (v: bigint) => BigInt.asUintN(64, v);
const s64 = (v: bigint) => BigInt.asIntN(64, v);

const lir = (ops: LirOp[]) => machine(x86_64.select(ops));

const KINDS = ALU_KINDS;
/** Includes both scratch registers, to check that selection survives them as operands. */
const OPERANDS = ["rax", "rbx", "rcx", "r11"];

describe("x86_64 select: moves and constants", () => {
  test("li loads any 64-bit value and keeps the flags", () => {
    const values = [
      0n,
      -1n,
      0x8000_0000n,
      0x1234_5678_9abc_def0n,
      1n << 63n,
      -(1n << 63n),
      (1n << 64n) - 1n,
      0x7fff_ffffn,
      -0x8000_0000n,
    ];
    for (const imm of values) {
      const m = lir([{ op: "li", dst: "r15", imm }]);
      m.run({ rflags: 0x8c5n });
      expect(m.cpu.get("r15")).toBe(u64(imm));
      expect(m.cpu.get("rflags")).toBe(0x8c5n);
    }
  });

  test("mov copies registers, including the stack pointer both ways", () => {
    const m = lir([
      { op: "mov", dst: "rbp", src: "rsp" },
      { op: "mov", dst: "rsp", src: "rdi" },
      { op: "mov", dst: "r9", src: "r9" },
    ]);
    m.run({ rdi: 0x1234n, r9: 9n });
    expect(m.cpu.get("rbp")).toBe(STACK_TOP);
    expect(m.cpu.get("rsp")).toBe(0x1234n);
    expect(m.cpu.get("r9")).toBe(9n);
  });

  test("la gives a label's address", () => {
    const m = lir([
      { op: "la", dst: "rsi", label: "data" },
      { op: "jmp", target: "__end" },
      { op: "label", name: "data" },
      { op: "trap" },
    ]);
    m.run();
    expect(m.cpu.get("rsi")).toBe(m.code.labels.get("data"));
  });
});

describe("x86_64 select: alu and alui", () => {
  test.each(KINDS)(
    "alu %s is right for every aliasing of dst, a and b (scratch included)",
    (kind) => {
      const next = prng(BigInt(KINDS.indexOf(kind)) + 1n);
      for (const dst of OPERANDS) {
        for (const a of OPERANDS) {
          for (const b of OPERANDS) {
            const m = lir([{ op: "alu", kind, dst, a, b }]);
            for (let k = 0; k < 4; k++) {
              const regs: Record<string, bigint> = {
                rax: next(),
                rbx: next(),
                rcx: k === 0 ? 63n : k === 1 ? 64n : next(),
                r11: next(),
                rdx: next(),
              };
              m.run(regs);
              const label = `${kind} ${dst}, ${a}, ${b}`;
              expect([label, m.cpu.get(dst)]).toEqual([
                label,
                aluReference(kind, regs[a]!, regs[b]!),
              ]);
              expect([label, m.cpu.get("rdx")]).toEqual([label, regs.rdx]);
              if (dst !== "rax") expect([label, m.cpu.get("rax")]).toEqual([label, regs.rax]);
              if (dst !== "rbx") expect([label, m.cpu.get("rbx")]).toEqual([label, regs.rbx]);
            }
          }
        }
      }
    },
  );

  test.each(KINDS)(
    "alui %s takes any 64-bit immediate, with dst and a aliasing scratch",
    (kind) => {
      const imms = [
        0n,
        1n,
        -1n,
        63n,
        64n,
        65n,
        0x7fff_ffffn,
        -0x8000_0000n,
        0x8000_0000n,
        -0x8000_0001n,
        0x1234_5678_9abc_def0n,
        1n << 63n,
        (1n << 64n) - 1n,
      ];
      for (const dst of OPERANDS) {
        for (const a of OPERANDS) {
          for (const imm of imms) {
            const m = lir([{ op: "alui", kind, dst, a, imm }]);
            for (const value of [0x0123_4567_89ab_cdefn, 1n << 63n, 5n]) {
              const regs = { rax: value, rbx: value, rcx: value, r11: value, rdx: 0xd0d0n };
              m.run(regs);
              const label = `${kind} ${dst}, ${a}, ${imm}`;
              expect([label, m.cpu.get(dst)]).toEqual([label, aluReference(kind, value, u64(imm))]);
              expect(m.cpu.get("rdx")).toBe(0xd0d0n);
            }
          }
        }
      }
    },
  );

  test("alui add/sub move the stack pointer", () => {
    const m = lir([
      { op: "alui", kind: "sub", dst: "rsp", a: "rsp", imm: 4096n },
      { op: "mov", dst: "rax", src: "rsp" },
      { op: "alui", kind: "add", dst: "rsp", a: "rsp", imm: 0x1_0000_0000n },
    ]);
    m.run();
    expect(m.cpu.get("rax")).toBe(STACK_TOP - 4096n);
    expect(m.cpu.get("rsp")).toBe(STACK_TOP - 4096n + 0x1_0000_0000n);
  });

  test("random alu, alui and br agree with a BigInt model (fixed seed)", () => {
    const next = prng(0xc0ffeen);
    const pick = <T>(xs: readonly T[]) => xs[Number(next() % BigInt(xs.length))]!;
    // Scratch registers as operands are covered above; here values must survive several ops.
    const regs = ["rax", "rbx", "rdx", "rsi", "r8", "r15"];
    for (let k = 0; k < 250; k++) {
      const kind = pick(KINDS);
      const cond = pick(CONDS);
      const [dst, a, b] = [pick(regs), pick(regs), pick(regs)];
      const wide = next() % 3n === 0n;
      const imm = wide ? next() : s64(next()) >> 40n;
      const start: Record<string, bigint> = {};
      for (const r of regs) start[r] = next() % 4n === 0n ? pick(EDGES) : next();
      const m = lir([
        { op: "alu", kind, dst: "r9", a, b },
        { op: "alui", kind, dst: "r10", a, imm },
        { op: "br", cond, a: "r9", b: "r10", target: "t1" },
        { op: "li", dst: "r12", imm: 1n },
        { op: "label", name: "t1" },
        { op: "br", cond, a: dst, b: imm, target: "t2" },
        { op: "li", dst: "r13", imm: 1n },
        { op: "label", name: "t2" },
      ]);
      m.run(start);
      const r9 = aluReference(kind, start[a]!, start[b]!);
      const r10 = aluReference(kind, start[a]!, u64(imm));
      const label = `#${k} ${kind} ${cond} ${dst} ${a} ${b} ${imm}`;
      expect([label, m.cpu.get("r9"), m.cpu.get("r10")]).toEqual([label, r9, r10]);
      expect([label, m.cpu.get("r12")]).toEqual([label, condHolds(cond, r9, r10) ? 0n : 1n]);
      expect([label, m.cpu.get("r13")]).toEqual([
        label,
        condHolds(cond, start[dst]!, imm) ? 0n : 1n,
      ]);
    }
  });
});

describe("x86_64 select: branches", () => {
  test.each(CONDS)("br %s on signed and unsigned edge values, register and integer b", (cond) => {
    const bImms = [
      0n,
      -1n,
      1n,
      0x7fff_ffffn,
      0x8000_0000n,
      -0x8000_0000n,
      -0x8000_0001n,
      1n << 63n,
      (1n << 64n) - 1n,
    ];
    const reg = lir([
      { op: "br", cond, a: "rax", b: "rbx", target: "yes" },
      { op: "jmp", target: "__end" },
      { op: "label", name: "yes" },
      { op: "li", dst: "rdx", imm: 1n },
    ]);
    for (const a of EDGES) {
      for (const b of EDGES) {
        reg.run({ rax: a, rbx: b });
        expect([a, b, reg.cpu.get("rdx")]).toEqual([a, b, condHolds(cond, a, b) ? 1n : 0n]);
      }
    }
    for (const b of bImms) {
      for (const aReg of ["rax", "r11"]) {
        const m = lir([
          { op: "br", cond, a: aReg, b, target: "yes" },
          { op: "jmp", target: "__end" },
          { op: "label", name: "yes" },
          { op: "li", dst: "rdx", imm: 1n },
        ]);
        for (const a of EDGES) {
          m.run({ [aReg]: a });
          expect([aReg, a, b, m.cpu.get("rdx")]).toEqual([
            aReg,
            a,
            b,
            condHolds(cond, a, b) ? 1n : 0n,
          ]);
        }
      }
    }
  });

  test("jmp, jr, and a trap that stops the machine", () => {
    const m = lir([
      { op: "jmp", target: "a" },
      { op: "trap" },
      { op: "label", name: "a" },
      { op: "la", dst: "rcx", label: "b" },
      { op: "jr", reg: "rcx" },
      { op: "trap" },
      { op: "label", name: "b" },
      { op: "li", dst: "rax", imm: 3n },
      { op: "trap" },
    ]);
    const stop = m.run();
    expect(stop.kind).toBe("illegal");
    expect(m.cpu.get("rax")).toBe(3n);
    expect(stop.pc).toBe(m.code.instructions.at(-2)!.address);
  });

  test("call and callr push the return address; pop + jr returns", () => {
    const m = lir([
      { op: "call", target: "f" },
      { op: "la", dst: "r8", label: "f" },
      { op: "callr", reg: "r8" },
      { op: "jmp", target: "__end" },
      { op: "label", name: "f", global: true },
      { op: "alui", kind: "add", dst: "rax", a: "rax", imm: 1n },
      { op: "pop", dst: "rcx" },
      { op: "jr", reg: "rcx" },
    ]);
    expect(m.run().kind).toBe("stopped");
    expect(m.cpu.get("rax")).toBe(2n);
    expect(m.cpu.get("rsp")).toBe(STACK_TOP);
    expect(x86_64.format(x86_64.select([{ op: "label", name: "f", global: true }]))).toBe(
      ".globl f\nf:\n",
    );
  });
});

describe("x86_64 select: memory", () => {
  test("load and store at small, negative and beyond-32-bit offsets", () => {
    const far = 1n << 32n;
    const m = lir([
      { op: "store", src: "rax", base: "rbx", offset: 8 },
      { op: "load", dst: "rsi", base: "rbx", offset: 8 },
      { op: "store", src: "rax", base: "rsp", offset: -8 },
      { op: "load", dst: "rdx", base: "rsp", offset: -8 },
      { op: "store", src: "rdi", base: "rbx", offset: Number(far) + 16 },
      { op: "load", dst: "r8", base: "rbx", offset: Number(far) + 16 },
      // The scratch registers as base and value: selection picks the other one.
      { op: "mov", dst: "r11", src: "rbx" },
      { op: "store", src: "rax", base: "r11", offset: Number(far) + 24 },
      { op: "mov", dst: "rcx", src: "rbx" },
      { op: "store", src: "rcx", base: "rbx", offset: Number(far) + 32 },
      { op: "load", dst: "r11", base: "rcx", offset: Number(far) + 24 },
    ]);
    m.memory.map(DATA + far, PAGE_SIZE, "rw");
    expect(m.run({ rax: 0xabcn, rbx: DATA, rdi: 0x77n, rsp: STACK_TOP - 64n }).kind).toBe(
      "stopped",
    );
    expect(m.cpu.get("rsi")).toBe(0xabcn);
    expect(m.cpu.get("rdx")).toBe(0xabcn);
    expect(m.memory.read64(STACK_TOP - 72n)).toBe(0xabcn);
    expect(m.memory.read64(DATA + far + 16n)).toBe(0x77n);
    expect(m.cpu.get("r8")).toBe(0x77n);
    expect(m.memory.read64(DATA + far + 24n)).toBe(0xabcn);
    expect(m.memory.read64(DATA + far + 32n)).toBe(DATA);
    expect(m.cpu.get("r11")).toBe(0xabcn);
  });

  test("narrow loads zero-extend 4 and 2 bytes, also at far offsets and into rcx/r11", () => {
    const far = 1n << 32n;
    const m = lir([
      { op: "load", dst: "rax", base: "rbx", offset: 0, width: 4 },
      { op: "load", dst: "rsi", base: "rbx", offset: 2, width: 2 },
      { op: "load", dst: "rdi", base: "rbx", offset: 0, width: 8 },
      // The far offsets go through r11: its own load comes last.
      { op: "load", dst: "rcx", base: "rbx", offset: Number(far) + 6, width: 2 },
      { op: "load", dst: "r11", base: "rbx", offset: Number(far) + 4, width: 4 },
    ]);
    m.memory.map(DATA + far, PAGE_SIZE, "rw");
    m.memory.write64(DATA, 0x8899_aabb_ccdd_eeffn);
    m.memory.write64(DATA + far, 0xf1f2_f3f4_f5f6_f7f8n);
    const ones = (1n << 64n) - 1n;
    expect(m.run({ rbx: DATA, rax: ones, rsi: ones, r11: ones, rcx: ones }).kind).toBe("stopped");
    expect(m.cpu.get("rax")).toBe(0xccdd_eeffn);
    expect(m.cpu.get("rsi")).toBe(0xccddn);
    expect(m.cpu.get("rdi")).toBe(0x8899_aabb_ccdd_eeffn);
    expect(m.cpu.get("r11")).toBe(0xf1f2_f3f4n);
    expect(m.cpu.get("rcx")).toBe(0xf1f2n);
    const ops = x86_64.select([
      { op: "load", dst: "rax", base: "rbx", offset: 8, width: 4 },
      { op: "load", dst: "rax", base: "rbx", offset: 8, width: 2 },
    ]);
    expect(ops.map((i) => i.op)).toEqual(["load32", "load16"]);
  });

  test("the stack pointer may be stored and loaded directly", () => {
    const m = lir([
      { op: "store", src: "rsp", base: "rdi", offset: 8 },
      { op: "load", dst: "rsp", base: "rdi", offset: 16 },
    ]);
    m.memory.write64(DATA + 16n, STACK_TOP - 256n);
    m.run({ rdi: DATA, rsp: STACK_TOP - 64n });
    expect(m.memory.read64(DATA + 8n)).toBe(STACK_TOP - 64n);
    expect(m.cpu.get("rsp")).toBe(STACK_TOP - 256n);
  });

  test("loadf/storef move 8 bytes (movq) or 16 bytes (movdqu)", () => {
    const m = lir([
      { op: "loadf", dst: "xmm15", base: "rax", offset: 0, width: 16 },
      { op: "storef", src: "xmm15", base: "rax", offset: 32, width: 16 },
      { op: "loadf", dst: "xmm8", base: "rax", offset: 0, width: 8 },
      { op: "storef", src: "xmm8", base: "rax", offset: 64, width: 8 },
    ]);
    m.memory.write128(DATA, 0xaaaa_bbbb_cccc_dddd_1111_2222_3333_4444n);
    m.memory.write64(DATA + 72n, 0x99n);
    m.run({ rax: DATA });
    expect(m.memory.read128(DATA + 32n)).toBe(0xaaaa_bbbb_cccc_dddd_1111_2222_3333_4444n);
    expect(m.cpu.get("xmm8")).toBe(0x1111_2222_3333_4444n);
    expect(m.memory.read64(DATA + 64n)).toBe(0x1111_2222_3333_4444n);
    expect(m.memory.read64(DATA + 72n)).toBe(0x99n);
  });

  test("loadctl/storectl round-trip mxcsr (4 bytes) and x87cw (2 bytes)", () => {
    const m = lir([
      { op: "loadctl", control: "mxcsr", base: "rdi", offset: 0 },
      { op: "loadctl", control: "x87cw", base: "rdi", offset: 8 },
      { op: "storectl", control: "mxcsr", base: "rdi", offset: 16 },
      { op: "storectl", control: "x87cw", base: "rdi", offset: 24 },
    ]);
    m.memory.write64(DATA, 0x9fc0n);
    m.memory.write64(DATA + 8n, 0x027fn);
    m.run({ rdi: DATA });
    expect(m.cpu.get("mxcsr")).toBe(0x9fc0n);
    expect(m.cpu.get("x87cw")).toBe(0x027fn);
    expect(m.memory.read64(DATA + 16n)).toBe(0x9fc0n);
    expect(m.memory.read64(DATA + 24n)).toBe(0x027fn);
  });

  test("loadtls/storetls address gs_base + offset", () => {
    const m = lir([
      { op: "loadtls", dst: "rax", offset: 0x08 },
      { op: "storetls", src: "rax", offset: 0x10 },
      { op: "storetls", src: "rsp", offset: 0x1478 },
    ]);
    m.memory.write64(DATA + 8n, 0x5000n);
    m.run({ gs_base: DATA });
    expect(m.cpu.get("rax")).toBe(0x5000n);
    expect(m.memory.read64(DATA + 0x10n)).toBe(0x5000n);
    expect(m.memory.read64(DATA + 0x1478n)).toBe(STACK_TOP);
  });

  test("pop takes the word at rsp", () => {
    const m = lir([{ op: "pop", dst: "r14" }]);
    m.memory.write64(STACK_TOP - 16n, 0xbeefn);
    m.run({ rsp: STACK_TOP - 16n });
    expect(m.cpu.get("r14")).toBe(0xbeefn);
    expect(m.cpu.get("rsp")).toBe(STACK_TOP - 8n);
  });
});

describe("x86_64 select: rejected input", () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(IsaError);
      return (e as IsaError).code;
    }
    return "no error";
  };

  test("a load width other than 8, 4 or 2 is out of range", () => {
    for (const width of [1, 16, 3]) {
      expect(
        code(() =>
          x86_64.select([{ op: "load", dst: "rax", base: "rbx", offset: 0, width } as LirOp]),
        ),
      ).toBe("OPERAND_OUT_OF_RANGE");
    }
  });

  test("control registers of other instruction sets are unsupported", () => {
    expect(
      code(() => x86_64.select([{ op: "loadctl", control: "fpcr", base: "rax", offset: 0 }])),
    ).toBe("UNSUPPORTED_INSTRUCTION");
    expect(
      code(() => x86_64.select([{ op: "storectl", control: "fcsr", base: "rax", offset: 0 }])),
    ).toBe("UNSUPPORTED_INSTRUCTION");
  });

  test("unknown registers, immediates beyond 64 bits and unknown operations", () => {
    expect(code(() => x86_64.select([{ op: "li", dst: "x0", imm: 1n }]))).toBe("UNKNOWN_REGISTER");
    expect(
      code(() => x86_64.select([{ op: "loadf", dst: "rax", base: "rax", offset: 0, width: 8 }])),
    ).toBe("UNKNOWN_REGISTER");
    expect(code(() => x86_64.select([{ op: "li", dst: "rax", imm: 1n << 64n }]))).toBe(
      "OPERAND_OUT_OF_RANGE",
    );
    expect(
      code(() =>
        x86_64.select([{ op: "br", cond: "eq", a: "rax", b: -(1n << 63n) - 1n, target: "x" }]),
      ),
    ).toBe("OPERAND_OUT_OF_RANGE");
    expect(code(() => x86_64.select([{ op: "loadtls", dst: "rax", offset: 2 ** 31 }]))).toBe(
      "OPERAND_OUT_OF_RANGE",
    );
    expect(code(() => x86_64.select([{ op: "frobnicate" } as unknown as LirOp]))).toBe(
      "UNSUPPORTED_INSTRUCTION",
    );
  });

  test("selected code assembles at any base", () => {
    const items = x86_64.select([
      { op: "label", name: "x" },
      { op: "jmp", target: "x" },
    ]);
    expect([...assemble(x86_64, items, 0x7000n).bytes]).toEqual([0xe9, 0xfb, 0xff, 0xff, 0xff]);
  });
});
