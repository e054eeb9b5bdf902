import { describe, expect, test } from "vitest";
import { assemble } from "../../src/arch/assemble.js";
import * as x86_64 from "../../src/arch/x86_64/index.js";
import type { X86AluKind, X86Instruction } from "../../src/arch/x86_64/instructions.js";
import { X86_CONDITIONS } from "../../src/arch/x86_64/instructions.js";
import { Memory } from "../../src/memory/memory.js";
import { CODE, DATA, EDGES, flags, GUARD, machine, NOEXEC, prng, STACK_TOP } from "./machine.js";

const M64 = (1n << 64n) - 1n;
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const parityEven = (v: bigint) => {
  let n = 0;
  for (let b = Number(v & 0xffn); b; b >>= 1) n += b & 1;
  return n % 2 === 0;
};

/** Flags of add/sub/logic defined from the arithmetic, not from bit tricks. */
function referenceAlu(kind: X86AluKind, a: bigint, b: bigint) {
  let result: bigint;
  let cf = false;
  let of = false;
  switch (kind) {
    case "add": {
      result = u64(a + b);
      cf = a + b > M64;
      const s = s64(a) + s64(b);
      of = s !== s64(s);
      break;
    }
    case "sub":
    case "cmp": {
      result = u64(a - b);
      cf = a < b;
      const s = s64(a) - s64(b);
      of = s !== s64(s);
      break;
    }
    case "and":
      result = a & b;
      break;
    case "or":
      result = a | b;
      break;
    default:
      result = a ^ b;
  }
  return {
    result: kind === "cmp" ? a : result,
    cf,
    of,
    zf: result === 0n,
    sf: result >= 1n << 63n,
    pf: parityEven(result),
  };
}

const ALU_KINDS: X86AluKind[] = ["add", "sub", "and", "or", "xor", "cmp"];

describe("x86_64 interpreter: moves", () => {
  test("mov copies between any registers, including rsp and r15", () => {
    const m = machine([
      { op: "mov", dst: "r15", src: "rax" },
      { op: "mov", dst: "rbx", src: "rsp" },
    ]);
    expect(m.run({ rax: 0xdeadbeefn }).kind).toBe("stopped");
    expect(m.cpu.get("r15")).toBe(0xdeadbeefn);
    expect(m.cpu.get("rbx")).toBe(STACK_TOP);
  });

  test("movi sign-extends imm32 forms and loads full 64-bit values", () => {
    const values = [
      0n,
      -1n,
      0x7fffffffn,
      -0x80000000n,
      0x80000000n,
      0x123456789abcdef0n,
      1n << 63n,
    ];
    const m = machine(
      values.map((imm, k) => ({ op: "movi", dst: x86_64.integerRegisters[k + 8]!, imm })),
    );
    m.run();
    values.forEach((v, k) => {
      expect(m.cpu.get(x86_64.integerRegisters[k + 8]!)).toBe(u64(v));
    });
  });

  test("load and store use base + signed displacement", () => {
    const m = machine([
      { op: "store", src: "rax", base: "rbx", disp: -8 },
      { op: "load", dst: "r12", base: "rbx", disp: -8 },
      { op: "store", src: "rax", base: "rsp", disp: 0 },
      { op: "load", dst: "r13", base: "rsp", disp: 0 },
    ]);
    expect(m.run({ rax: 0x1122334455667788n, rbx: DATA + 0x100n, rsp: STACK_TOP - 16n }).kind).toBe(
      "stopped",
    );
    expect(m.memory.read64(DATA + 0xf8n)).toBe(0x1122334455667788n);
    expect(m.cpu.get("r12")).toBe(0x1122334455667788n);
    expect(m.cpu.get("r13")).toBe(0x1122334455667788n);
    expect(m.memory.read64(STACK_TOP - 16n)).toBe(0x1122334455667788n);
  });

  test("load32 and load16 read 4 and 2 bytes and clear the rest of the register", () => {
    const m = machine([
      { op: "load32", dst: "rax", base: "rbx", disp: 4 },
      { op: "load16", dst: "r15", base: "rbx", disp: 6 },
      { op: "load16", dst: "r8", base: "rsp", disp: 14 },
      { op: "load32", dst: "rsp", base: "rbx", disp: 0 },
    ]);
    m.memory.write64(DATA, 0xfedc_ba98_7654_3210n);
    m.memory.write64(DATA + 8n, 0x1111_2222_3333_4444n);
    const ones = (1n << 64n) - 1n;
    expect(m.run({ rbx: DATA, rsp: DATA, rax: ones, r15: ones, r8: ones }).kind).toBe("stopped");
    expect(m.cpu.get("rax")).toBe(0xfedc_ba98n);
    expect(m.cpu.get("r15")).toBe(0xfedcn);
    expect(m.cpu.get("r8")).toBe(0x1111n);
    expect(m.cpu.get("rsp")).toBe(0x7654_3210n);
  });

  test("a narrow load from the guard page faults and leaves its register as it was", () => {
    for (const op of ["load32", "load16"] as const) {
      const m = machine([{ op, dst: "r9", base: "rbx", disp: 4 }]);
      const stop = m.run({ rbx: GUARD, r9: 0x77n });
      expect(stop).toEqual({
        kind: "fault",
        pc: m.code.instructions[0]!.address,
        address: GUARD + 4n,
        access: "read",
      });
      expect(m.cpu.get("r9")).toBe(0x77n);
    }
  });

  test("lea gives the address of a label before and after it", () => {
    const m = machine([
      { op: "label", name: "here" },
      { op: "lea", dst: "rax", label: "here" },
      { op: "lea", dst: "r15", label: "there" },
      { op: "label", name: "there" },
    ]);
    m.run();
    expect(m.cpu.get("rax")).toBe(m.code.labels.get("here"));
    expect(m.cpu.get("r15")).toBe(m.code.labels.get("there"));
  });
});

describe("x86_64 interpreter: arithmetic and flags", () => {
  const regProgram = (kind: X86AluKind) => machine([{ op: "alu", kind, dst: "rax", src: "r15" }]);

  test.each(ALU_KINDS)("%s r64, r64 matches the reference on every edge pair", (kind) => {
    const m = regProgram(kind);
    for (const a of EDGES) {
      for (const b of EDGES) {
        m.run({ rax: a, r15: b });
        const want = referenceAlu(kind, a, b);
        expect({ result: m.cpu.get("rax"), ...flags(m.cpu.get("rflags")) }).toEqual(want);
      }
    }
  });

  test.each(ALU_KINDS)("%s r64, imm32 sign-extends the immediate", (kind) => {
    const imms = [0n, 1n, -1n, 127n, -128n, 0x7fffffffn, -0x80000000n];
    for (const imm of imms) {
      const m = machine([{ op: "alui", kind, dst: "rdx", imm }]);
      for (const a of EDGES) {
        m.run({ rdx: a });
        const want = referenceAlu(kind, a, u64(imm));
        expect({ result: m.cpu.get("rdx"), ...flags(m.cpu.get("rflags")) }).toEqual(want);
      }
    }
  });

  test("random operands agree with the reference model (fixed seed)", () => {
    const next = prng(0x5eedn);
    const programs = ALU_KINDS.map((kind) => ({ kind, m: regProgram(kind) }));
    for (let k = 0; k < 300; k++) {
      const a = next();
      const b = k % 3 === 0 ? a : next();
      for (const { kind, m } of programs) {
        m.run({ rax: a, r15: b });
        expect(m.cpu.get("rax")).toBe(referenceAlu(kind, a, b).result);
        expect(flags(m.cpu.get("rflags"))).toEqual(
          (({ result: _, ...f }) => f)(referenceAlu(kind, a, b)),
        );
      }
    }
  });

  test("imul keeps the low 64 bits and sets CF = OF on signed overflow", () => {
    const m = machine([{ op: "imul", dst: "r9", src: "r10" }]);
    const cases: [bigint, bigint][] = [
      [3n, 5n],
      [u64(-3n), 5n],
      [1n << 32n, 1n << 32n],
      [0x7fffffffffffffffn, 2n],
      [u64(-1n), u64(-1n)],
      [1n << 63n, u64(-1n)],
    ];
    for (const [a, b] of cases) {
      m.run({ r9: a, r10: b });
      const product = s64(a) * s64(b);
      expect(m.cpu.get("r9")).toBe(u64(product));
      const f = flags(m.cpu.get("rflags"));
      expect(f.cf).toBe(product !== s64(product));
      expect(f.of).toBe(product !== s64(product));
    }
  });
});

describe("x86_64 interpreter: shifts", () => {
  const reference = (kind: "shl" | "shr" | "sar", a: bigint, count: number) => {
    const c = BigInt(count & 63);
    if (kind === "shl") return u64(a << c);
    if (kind === "shr") return a >> c;
    return u64(s64(a) >> c);
  };

  test.each(["shl", "shr", "sar"] as const)("%s r64, cl masks the count to 6 bits", (kind) => {
    const m = machine([{ op: "shift", kind, dst: "rax" }]);
    for (const a of EDGES) {
      for (const count of [0, 1, 2, 31, 32, 63, 64, 65, 127, 255]) {
        m.run({ rax: a, rcx: BigInt(count) });
        expect(m.cpu.get("rax")).toBe(reference(kind, a, count));
      }
    }
  });

  test.each(["shl", "shr", "sar"] as const)("%s r64, imm8 for counts 0 to 63", (kind) => {
    for (const count of [0, 1, 7, 32, 62, 63]) {
      const m = machine([{ op: "shifti", kind, dst: "r14", imm: count }]);
      for (const a of EDGES) {
        m.run({ r14: a });
        expect(m.cpu.get("r14")).toBe(reference(kind, a, count));
      }
    }
  });

  test("CF is the last bit shifted out; a zero count keeps every flag", () => {
    const m = machine([{ op: "shift", kind: "shl", dst: "rax" }]);
    m.run({ rax: 1n << 63n, rcx: 1n });
    expect(flags(m.cpu.get("rflags"))).toMatchObject({ cf: true, zf: true });
    m.run({ rax: 1n, rcx: 64n, rflags: 0x8c1n }); // count 64 masks to 0
    expect(m.cpu.get("rax")).toBe(1n);
    expect(m.cpu.get("rflags")).toBe(0x8c1n);
    const r = machine([{ op: "shifti", kind: "shr", dst: "rax", imm: 4 }]);
    r.run({ rax: 0x18n });
    expect(flags(r.cpu.get("rflags"))).toMatchObject({ cf: true, zf: false });
    const s = machine([{ op: "shifti", kind: "sar", dst: "rax", imm: 63 }]);
    s.run({ rax: 1n << 63n });
    expect(s.cpu.get("rax")).toBe(M64);
    expect(flags(s.cpu.get("rflags"))).toMatchObject({ cf: false, sf: true });
  });
});

describe("x86_64 interpreter: control flow and the stack", () => {
  test("push and pop move rsp by 8 and use stack memory", () => {
    const m = machine([
      { op: "push", reg: "rax" },
      { op: "push", reg: "r15" },
      { op: "pop", reg: "rbx" },
      { op: "pop", reg: "r12" },
    ]);
    m.run({ rax: 11n, r15: 22n });
    expect(m.cpu.get("rbx")).toBe(22n);
    expect(m.cpu.get("r12")).toBe(11n);
    expect(m.cpu.get("rsp")).toBe(STACK_TOP);
    expect(m.memory.read64(STACK_TOP - 8n)).toBe(11n);
    expect(m.memory.read64(STACK_TOP - 16n)).toBe(22n);
  });

  test("push rsp stores the value before the decrement", () => {
    const m = machine([{ op: "push", reg: "rsp" }]);
    m.run();
    expect(m.memory.read64(STACK_TOP - 8n)).toBe(STACK_TOP);
  });

  test("jmp skips code; jmpr jumps to a register", () => {
    const m = machine([
      { op: "jmp", target: "over" },
      { op: "movi", dst: "rax", imm: 1n },
      { op: "label", name: "over" },
      { op: "lea", dst: "rbx", label: "done" },
      { op: "jmpr", reg: "rbx" },
      { op: "movi", dst: "rcx", imm: 1n },
      { op: "label", name: "done" },
    ]);
    m.run();
    expect(m.cpu.get("rax")).toBe(0n);
    expect(m.cpu.get("rcx")).toBe(0n);
  });

  test("call pushes the return address, ret pops it; callr calls a register", () => {
    const m = machine([
      { op: "call", target: "f" },
      { op: "lea", dst: "r13", label: "f" },
      { op: "callr", reg: "r13" },
      { op: "jmp", target: "__end" },
      { op: "label", name: "f" },
      { op: "load", dst: "r8", base: "rsp", disp: 0 },
      { op: "alui", kind: "add", dst: "rax", imm: 1n },
      { op: "ret" },
    ]);
    expect(m.run().kind).toBe("stopped");
    expect(m.cpu.get("rax")).toBe(2n);
    expect(m.cpu.get("rsp")).toBe(STACK_TOP);
    const sizes = m.code.instructions;
    expect(m.cpu.get("r8")).toBe(sizes[2]!.address + BigInt(sizes[2]!.size)); // after callr
    expect(m.memory.read64(STACK_TOP - 8n)).toBe(m.cpu.get("r8"));
  });

  test("every jcc condition follows cmp like hardware on edge values", () => {
    const cases = X86_CONDITIONS.map((cond) => ({
      cond,
      m: machine([
        { op: "alu", kind: "cmp", dst: "rax", src: "rbx" },
        { op: "jcc", cond, target: "taken" },
        { op: "jmp", target: "__end" },
        { op: "label", name: "taken" },
        { op: "movi", dst: "rdx", imm: 1n },
      ]),
    }));
    for (const a of EDGES) {
      for (const b of EDGES) {
        const r = u64(a - b);
        const ovf = s64(a) - s64(b) !== s64(s64(a) - s64(b));
        const sr = r >= 1n << 63n;
        const pe = parityEven(r);
        const [lt, le] = [s64(a) < s64(b), s64(a) <= s64(b)];
        const expected: Record<(typeof X86_CONDITIONS)[number], boolean> = {
          o: ovf,
          no: !ovf,
          b: a < b,
          ae: a >= b,
          e: a === b,
          ne: a !== b,
          be: a <= b,
          a: a > b,
          s: sr,
          ns: !sr,
          p: pe,
          np: !pe,
          l: lt,
          ge: !lt,
          le,
          g: !le,
        };
        for (const { cond, m } of cases) {
          m.run({ rax: a, rbx: b });
          const want = expected[cond];
          expect([cond, a, b, m.cpu.get("rdx")]).toEqual([cond, a, b, want ? 1n : 0n]);
        }
      }
    }
  });

  test("nop only advances the program counter", () => {
    const m = machine([{ op: "nop" }]);
    expect(m.run({ rax: 5n })).toEqual({ kind: "stopped", pc: m.end });
    expect(m.cpu.get("rax")).toBe(5n);
    expect(m.cpu.steps).toBe(1);
  });

  test("ud2 stops with illegal at its address", () => {
    const m = machine([{ op: "movi", dst: "rax", imm: 1n }, { op: "ud2" }]);
    const stop = m.run();
    expect(stop.kind).toBe("illegal");
    expect(stop.pc).toBe(m.code.instructions[1]!.address);
    expect(m.cpu.pc).toBe(stop.pc);
  });
});

describe("x86_64 interpreter: SSE, x87 and gs state", () => {
  test("movdqu moves 16 bytes, movq 8 bytes and zeroes the upper half on load", () => {
    const m = machine([
      { op: "movdquLoad", dst: "xmm15", base: "rax", disp: 16 },
      { op: "movdquStore", src: "xmm15", base: "rax", disp: 48 },
      { op: "movqLoad", dst: "xmm3", base: "rax", disp: 16 },
      { op: "movqStore", src: "xmm15", base: "rax", disp: 80 },
    ]);
    m.memory.write128(DATA + 16n, 0x0123456789abcdeffedcba9876543210n);
    m.memory.write64(DATA + 88n, 0x5555n);
    m.cpu.set("xmm3", -1n);
    m.run({ rax: DATA });
    expect(m.cpu.get("xmm15")).toBe(0x0123456789abcdeffedcba9876543210n);
    expect(m.memory.read128(DATA + 48n)).toBe(0x0123456789abcdeffedcba9876543210n);
    expect(m.cpu.get("xmm3")).toBe(0xfedcba9876543210n);
    expect(m.memory.read64(DATA + 80n)).toBe(0xfedcba9876543210n);
    expect(m.memory.read64(DATA + 88n)).toBe(0x5555n);
  });

  test("ldmxcsr/stmxcsr move 4 bytes, fldcw/fnstcw 2 bytes", () => {
    const m = machine([
      { op: "ldmxcsr", base: "rbp", disp: 0 },
      { op: "fldcw", base: "rbp", disp: 8 },
      { op: "stmxcsr", base: "rbp", disp: 16 },
      { op: "fnstcw", base: "rbp", disp: 24 },
    ]);
    m.memory.write64(DATA, 0xaaaa_bbbb_0000_1f80n);
    m.memory.write64(DATA + 8n, 0xcccc_037fn);
    m.memory.write64(DATA + 16n, M64);
    m.memory.write64(DATA + 24n, M64);
    m.run({ rbp: DATA });
    expect(m.cpu.get("mxcsr")).toBe(0x1f80n);
    expect(m.cpu.get("x87cw")).toBe(0x037fn);
    expect(m.memory.read64(DATA + 16n)).toBe(0xffff_ffff_0000_1f80n);
    expect(m.memory.read64(DATA + 24n)).toBe(0xffff_ffff_ffff_037fn);
  });

  test("mov to and from gs:[disp] addresses gs_base + disp", () => {
    const m = machine([
      { op: "loadGs", dst: "r8", disp: 0x30 },
      { op: "storeGs", src: "rax", disp: -8 },
    ]);
    m.memory.write64(DATA + 0x130n, 0xfeedn);
    m.run({ gs_base: DATA + 0x100n, rax: 77n });
    expect(m.cpu.get("r8")).toBe(0xfeedn);
    expect(m.memory.read64(DATA + 0xf8n)).toBe(77n);
  });
});

describe("x86_64 interpreter: faults, stopAt and maxSteps", () => {
  test("a load from the guard page faults with its address and keeps the state", () => {
    const m = machine([
      { op: "movi", dst: "rax", imm: 1n },
      { op: "load", dst: "rax", base: "rbx", disp: 8 },
    ]);
    const stop = m.run({ rbx: GUARD });
    expect(stop).toEqual({
      kind: "fault",
      pc: m.code.instructions[1]!.address,
      address: GUARD + 8n,
      access: "read",
    });
    expect(m.cpu.get("rax")).toBe(1n);
    expect(m.cpu.pc).toBe(stop.pc);
  });

  test("push into the guard page faults on write and leaves rsp unchanged", () => {
    const m = machine([{ op: "push", reg: "rax" }]);
    const stop = m.run({ rsp: GUARD + 0x1000n });
    expect(stop).toMatchObject({ kind: "fault", address: GUARD + 0xff8n, access: "write" });
    expect(m.cpu.get("rsp")).toBe(GUARD + 0x1000n);
  });

  test("call with a full stack faults before jumping; ret from unmapped faults before popping", () => {
    const m = machine([{ op: "call", target: "__end" }]);
    expect(m.run({ rsp: GUARD + 0x1000n })).toMatchObject({ kind: "fault", access: "write" });
    expect(m.cpu.pc).toBe(CODE);
    const r = machine([{ op: "ret" }]);
    expect(r.run({ rsp: 0x900000n })).toMatchObject({ kind: "fault", address: 0x900000n });
    expect(r.cpu.get("rsp")).toBe(0x900000n);
  });

  test("a 16-byte store straddling into the guard page writes nothing", () => {
    const m = machine([{ op: "movdquStore", src: "xmm1", base: "rax", disp: 0 }]);
    m.cpu.set("xmm1", (1n << 128n) - 1n);
    const below = GUARD - 8n; // 8 bytes in unmapped memory below the guard, 8 in it
    expect(m.run({ rax: below, xmm1: (1n << 128n) - 1n })).toMatchObject({ kind: "fault" });
    const top = machine([{ op: "movdquStore", src: "xmm1", base: "rax", disp: 0 }]);
    const stop = top.run({ rax: STACK_TOP - 8n, xmm1: (1n << 128n) - 1n });
    expect(stop).toMatchObject({ kind: "fault", access: "write" });
    expect(top.memory.peek(STACK_TOP - 8n, 8)).toEqual(new Uint8Array(8));
  });

  test("jumping into a non-executable page faults with access execute", () => {
    const m = machine([{ op: "jmpr", reg: "rax" }]);
    expect(m.run({ rax: NOEXEC + 4n })).toEqual({
      kind: "fault",
      pc: NOEXEC + 4n,
      address: NOEXEC + 4n,
      access: "execute",
    });
  });

  test("loaded code on a page that is not executable faults, also after a permission change", () => {
    const m = machine([{ op: "nop" }, { op: "nop" }]);
    expect(m.run().kind).toBe("stopped");
    m.memory.protect(CODE, 4096, "rw");
    expect(m.run()).toEqual({ kind: "fault", pc: CODE, address: CODE, access: "execute" });
    expect(m.cpu.steps).toBe(2);
  });

  test("an executable address without a loaded instruction is illegal", () => {
    const m = machine([{ op: "jmpr", reg: "rax" }]);
    expect(m.run({ rax: m.end + 1n })).toMatchObject({ kind: "illegal", pc: m.end + 1n });
  });

  test("an instruction whose last byte lies on a non-executable page faults", () => {
    const memory = new Memory();
    const base = 0x1000n - 4n; // a 10-byte movabs crossing into the next page
    memory.map(0n, 0x1000, "rx");
    memory.map(0x1000n, 0x1000, "rw");
    const code = assemble(x86_64, [{ op: "movi", dst: "rax", imm: 1n << 40n }], base);
    memory.poke(base, code.bytes);
    const cpu = x86_64.createCpu(memory);
    cpu.load(code);
    cpu.pc = base;
    expect(cpu.run({ stopAt: [] })).toMatchObject({ kind: "fault", access: "execute" });
    expect(cpu.get("rax")).toBe(0n);
  });

  test("stopAt is checked before each fetch, maxSteps bounds a run", () => {
    const loop: X86Instruction[] = [];
    const m = machine([
      { op: "label", name: "top" },
      { op: "alui", kind: "add", dst: "rax", imm: 1n },
      { op: "jmp", target: "top" },
      ...loop,
    ]);
    m.reset();
    expect(m.cpu.run({ stopAt: [CODE] })).toEqual({ kind: "stopped", pc: CODE });
    expect(m.cpu.steps).toBe(0);
    expect(m.cpu.run({ stopAt: [], maxSteps: 7 })).toEqual({
      kind: "step-limit",
      pc: m.code.instructions[1]!.address,
    });
    expect(m.cpu.get("rax")).toBe(4n);
    expect(m.cpu.steps).toBe(7);
    expect(m.cpu.run({ stopAt: [CODE], maxSteps: 100 })).toEqual({ kind: "stopped", pc: CODE });
    expect(m.cpu.steps).toBe(8);
  });

  test("registers wrap to their width", () => {
    const cpu = x86_64.createCpu(new Memory());
    cpu.set("rax", -1n);
    cpu.set("xmm0", -1n);
    cpu.set("mxcsr", 0x1_0000_1f80n);
    cpu.set("x87cw", 0x1_037fn);
    expect(cpu.get("rax")).toBe(M64);
    expect(cpu.get("xmm0")).toBe((1n << 128n) - 1n);
    expect(cpu.get("mxcsr")).toBe(0x1f80n);
    expect(cpu.get("x87cw")).toBe(0x037fn);
    expect(cpu.get("gs_base")).toBe(0n);
  });
});
