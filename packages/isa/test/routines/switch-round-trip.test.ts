/**
 * The derived switch routine, start trampoline and exit routine, executed in
 * the interpreter on every ABI: callee-saved state survives a round trip in
 * both directions, a new thread enters with its ABI's alignment, and
 * returning from the entry reaches onExit with the argument and the result.
 */
import { describe, expect, test } from "vitest";
import type { Abi } from "../../src/abi/abi.js";
import { abis } from "../../src/abi/registry.js";
import { assemble } from "../../src/arch/assemble.js";
import { getArch } from "../../src/arch/registry.js";
import type { LirOp } from "../../src/lir/lir.js";
import { Memory } from "../../src/memory/memory.js";
import {
  entryStackOffset,
  initialFrame,
  trampolineRegisters,
} from "../../src/routines/initial-frame.js";
import { scratchRegisters } from "../../src/routines/scratch-registers.js";
import { routineSymbol } from "../../src/routines/symbols.js";
import { threadRoutines } from "../../src/routines/trampolines.js";

const CODE = 0x10_0000n;
const DATA = 0x20_0000n; // test data block D
const HOST_CTX = 0x21_0000n;
const THREAD_CTX = 0x22_0000n;
const STACK_LOW = 0x30_0000n;
const STACK_HIGH = 0x31_0000n;
const HOST_STACK_TOP = 0x41_0000n;
const GS_BASE = 0x50_0000n;
const SENTINEL = 0xdead_0000n;

// Offsets inside the data block D.
const D = {
  entrySp: 0,
  threadCtx: 8,
  hostCtx: 16,
  switchAddr: 24,
  exitArg: 40,
  exitResult: 48,
  exitSp: 56,
  savedCs1: 64,
  savedCs2: 72,
  savedLink: 80,
  threadFloats: 0x100, // values the thread loads into its float registers
  threadControls: 0x300,
  dump: 0x400, // what the thread finds in its registers after being resumed
  dumpFloats: 0x600,
  dumpControls: 0x800,
  dumpTls: 0x900,
};

const CONTROL_VALUES: Record<string, [bigint, bigint]> = {
  // [host value, thread value]: non-default but harmless settings.
  mxcsr: [0x1f80n | (1n << 13n), 0x1f80n | (2n << 13n)], // rounding modes
  x87cw: [0x027fn, 0x037fn],
  fpcr: [1n << 22n, 2n << 22n], // RMode
  fcsr: [0x20n, 0x40n], // frm
};

const hostInt = (i: number) => 0x1111_0000_0000_0000n + BigInt(i) * 0x101n;
const threadInt = (i: number) => 0x2222_0000_0000_0000n + BigInt(i) * 0x303n;
const hostFloat = (i: number, width: number) =>
  (width === 16 ? 0x4444n << 64n : 0n) | (0x3333_0000n + BigInt(i));
const threadFloat = (i: number, width: number) =>
  (width === 16 ? 0x6666n << 64n : 0n) | (0x5555_0000n + BigInt(i));

/** LIR for the thread's entry function and its onExit handler. */
function threadCode(abi: Abi, scratch: string): LirOp[] {
  const [arg0, arg1, arg2] = abi.argumentRegisters as [string, string, string];
  const cs = abi.calleeSavedInteger;
  const ops: LirOp[] = [{ op: "label", name: "entry" }];
  const base = scratch;
  const d = (): LirOp => ({ op: "li", dst: base, imm: DATA });
  ops.push({ op: "mov", dst: arg1, src: abi.stackPointer }, d());
  ops.push({ op: "store", src: arg1, base, offset: D.entrySp });
  // The exit routine needs the trampoline's argument and handler registers back.
  const { argument, onExit } = trampolineRegisters(abi);
  ops.push({ op: "store", src: argument, base, offset: D.savedCs1 });
  ops.push({ op: "store", src: onExit, base, offset: D.savedCs2 });
  // Like any function that makes a call, keep the link register's return address.
  if (abi.returnAddress.kind === "register") {
    ops.push({ op: "store", src: abi.returnAddress.reg, base, offset: D.savedLink });
  }
  // Clobber every piece of callee-saved state with the thread's values.
  for (const [i, { reg, width }] of abi.calleeSavedFloat.entries())
    ops.push({ op: "loadf", dst: reg, base, offset: D.threadFloats + 16 * i, width });
  for (const [i, control] of abi.floatControl.entries())
    ops.push({ op: "loadctl", control, base, offset: D.threadControls + 8 * i });
  for (const [i, info] of abi.threadInformation.entries()) {
    ops.push({ op: "li", dst: arg2, imm: threadInt(100 + i) });
    ops.push({ op: "storetls", src: arg2, offset: info.offset });
  }
  // switch(threadCtx, hostCtx, 0)
  ops.push(
    { op: "load", dst: arg0, base, offset: D.threadCtx },
    { op: "load", dst: arg1, base, offset: D.hostCtx },
    { op: "load", dst: base, base, offset: D.switchAddr },
  );
  for (const [i, reg] of cs.entries()) ops.push({ op: "li", dst: reg, imm: threadInt(i) });
  ops.push({ op: "li", dst: arg2, imm: 0n }, { op: "callr", reg: base });
  // Resumed: dump what the registers hold now.
  ops.push(d());
  for (const [i, reg] of cs.entries())
    ops.push({ op: "store", src: reg, base, offset: D.dump + 8 * i });
  for (const [i, { reg, width }] of abi.calleeSavedFloat.entries())
    ops.push({ op: "storef", src: reg, base, offset: D.dumpFloats + 16 * i, width });
  for (const [i, control] of abi.floatControl.entries())
    ops.push({ op: "storectl", control, base, offset: D.dumpControls + 8 * i });
  for (const [i, info] of abi.threadInformation.entries()) {
    ops.push({ op: "loadtls", dst: arg2, offset: info.offset });
    ops.push({ op: "store", src: arg2, base, offset: D.dumpTls + 8 * i });
  }
  // Give back what the caller (the trampoline's exit path) relies on, and return 42.
  ops.push({ op: "load", dst: argument, base, offset: D.savedCs1 });
  ops.push({ op: "load", dst: onExit, base, offset: D.savedCs2 });
  ops.push({ op: "li", dst: abi.returnRegisters[0]!, imm: 42n });
  if (abi.returnAddress.kind === "stack")
    ops.push({ op: "pop", dst: base }, { op: "jr", reg: base });
  else {
    ops.push({ op: "load", dst: abi.returnAddress.reg, base, offset: D.savedLink });
    ops.push({ op: "jr", reg: abi.returnAddress.reg });
  }

  // onExit(argument, result): record them and the stack pointer, then switch to the host for good.
  ops.push({ op: "label", name: "onexit" }, { op: "mov", dst: arg2, src: abi.stackPointer }, d());
  ops.push({ op: "store", src: arg0, base, offset: D.exitArg });
  ops.push({ op: "store", src: arg1, base, offset: D.exitResult });
  ops.push({ op: "store", src: arg2, base, offset: D.exitSp });
  ops.push(
    { op: "load", dst: arg0, base, offset: D.threadCtx },
    { op: "load", dst: arg1, base, offset: D.hostCtx },
    { op: "load", dst: base, base, offset: D.switchAddr },
    { op: "li", dst: arg2, imm: 0n },
    { op: "callr", reg: base },
    { op: "trap" },
  );
  return ops;
}

describe.each(Object.values(abis))("switch round trip on $name", (abi) => {
  test("callee-saved state, alignment and exit survive two round trips", () => {
    const arch = getArch(abi);
    const scratch = scratchRegisters(abi, arch)[0]!;
    const code = assemble(
      arch,
      arch.select([...threadRoutines(abi, arch), ...threadCode(abi, scratch)]),
      CODE,
    );
    const memory = new Memory();
    memory.map(CODE, 0x1_0000, "rx");
    memory.poke(CODE, code.bytes);
    for (const [at, size] of [
      [DATA, 0x1_0000],
      [HOST_CTX, 0x1000],
      [THREAD_CTX, 0x1000],
      [STACK_LOW, 0x1_0000],
      [HOST_STACK_TOP - 0x1000n, 0x1000],
      [GS_BASE, 0x2000],
    ] as const) {
      memory.map(at, size, "rw");
    }
    const cpu = arch.createCpu(memory);
    cpu.load(code);
    const label = (name: string) => code.labels.get(name)!;

    // The thread's new frame and the data block.
    const frame = initialFrame(abi, {
      stackLow: STACK_LOW,
      stackHigh: STACK_HIGH,
      entry: label("entry"),
      argument: 0x7777n,
      onExit: label("onexit"),
      start: label(routineSymbol("start", abi.name)),
      exit: label(routineSymbol("exit", abi.name)),
    });
    for (const w of frame.stack) memory.write64(w.address, w.value);
    for (const { slot, value } of frame.context)
      memory.write64(THREAD_CTX + BigInt(slot.offset), value);
    memory.write64(DATA + BigInt(D.threadCtx), THREAD_CTX);
    memory.write64(DATA + BigInt(D.hostCtx), HOST_CTX);
    memory.write64(DATA + BigInt(D.switchAddr), label(routineSymbol("switch", abi.name)));
    for (const [i, { width }] of abi.calleeSavedFloat.entries())
      memory.write128(DATA + BigInt(D.threadFloats + 16 * i), threadFloat(i, width));
    for (const [i, c] of abi.floatControl.entries())
      memory.write64(DATA + BigInt(D.threadControls + 8 * i), CONTROL_VALUES[c]![1]);

    // The host's state before it switches.
    const setHost = () => {
      for (const [i, r] of abi.calleeSavedInteger.entries()) cpu.set(r, hostInt(i));
      for (const [i, { reg, width }] of abi.calleeSavedFloat.entries())
        cpu.set(reg, hostFloat(i, width));
      for (const c of abi.floatControl) cpu.set(c, CONTROL_VALUES[c]![0]);
      if (abi.threadInformation.length > 0) cpu.set("gs_base", GS_BASE);
      for (const [i, info] of abi.threadInformation.entries())
        memory.write64(GS_BASE + BigInt(info.offset), hostInt(50 + i));
    };
    const callSwitch = (): bigint => {
      const [a0, a1, a2] = abi.argumentRegisters as [string, string, string];
      cpu.set(a0, HOST_CTX);
      cpu.set(a1, THREAD_CTX);
      cpu.set(a2, 0n);
      let sp = HOST_STACK_TOP;
      if (abi.returnAddress.kind === "stack") {
        sp -= 8n;
        memory.write64(sp, SENTINEL);
      } else {
        cpu.set(abi.returnAddress.reg, SENTINEL);
      }
      cpu.set(abi.stackPointer, sp);
      cpu.pc = label(routineSymbol("switch", abi.name));
      const stop = cpu.run({ stopAt: [SENTINEL], maxSteps: 100_000 });
      expect(stop).toEqual({ kind: "stopped", pc: SENTINEL });
      return HOST_STACK_TOP; // where sp must be after the "return"
    };
    const expectHostRestored = (spAfter: bigint) => {
      for (const [i, r] of abi.calleeSavedInteger.entries()) expect(cpu.get(r), r).toBe(hostInt(i));
      for (const [i, { reg, width }] of abi.calleeSavedFloat.entries())
        expect(cpu.get(reg) & ((1n << BigInt(8 * width)) - 1n), reg).toBe(hostFloat(i, width));
      for (const c of abi.floatControl) expect(cpu.get(c), c).toBe(CONTROL_VALUES[c]![0]);
      for (const [i, info] of abi.threadInformation.entries())
        expect(memory.read64(GS_BASE + BigInt(info.offset)), info.name).toBe(hostInt(50 + i));
      expect(cpu.get(abi.stackPointer)).toBe(spAfter);
    };

    // First switch: into the new thread, which clobbers everything and switches back.
    setHost();
    expectHostRestored(callSwitch());
    const entrySp = memory.read64(DATA + BigInt(D.entrySp));
    expect(Number(entrySp % BigInt(abi.stackAlignment))).toBe(entryStackOffset(abi));
    expect(entrySp).toBe(frame.sp);

    // Second switch: the thread finds its own state, dumps it, returns 42 into the exit routine.
    setHost();
    expectHostRestored(callSwitch());
    for (const [i, r] of abi.calleeSavedInteger.entries())
      expect(memory.read64(DATA + BigInt(D.dump + 8 * i)), r).toBe(threadInt(i));
    for (const [i, { reg, width }] of abi.calleeSavedFloat.entries()) {
      const dumped = memory.read128(DATA + BigInt(D.dumpFloats + 16 * i));
      expect(dumped & ((1n << BigInt(8 * width)) - 1n), reg).toBe(threadFloat(i, width));
    }
    for (const [i, c] of abi.floatControl.entries())
      expect(memory.read64(DATA + BigInt(D.dumpControls + 8 * i)) & 0xffff_ffffn, c).toBe(
        CONTROL_VALUES[c]![1],
      );
    for (const [i, info] of abi.threadInformation.entries())
      expect(memory.read64(DATA + BigInt(D.dumpTls + 8 * i)), info.name).toBe(threadInt(100 + i));
    expect(memory.read64(DATA + BigInt(D.exitArg))).toBe(0x7777n);
    expect(memory.read64(DATA + BigInt(D.exitResult))).toBe(42n);
    const exitSp = memory.read64(DATA + BigInt(D.exitSp));
    expect(Number(exitSp % BigInt(abi.stackAlignment))).toBe(entryStackOffset(abi));
  });
});
