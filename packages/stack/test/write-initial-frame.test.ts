import { type Abi, abis, memory, routines } from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import {
  EmulatedStackAllocator,
  highWaterMark,
  paint,
  type Stack,
  StackError,
  type ThreadStart,
  writeInitialFrame,
} from "../src/index.js";

const { Memory, PAGE_SIZE } = memory;
const { entryStackOffset, trampolineRegisters } = routines;

const CONTEXT = 0x10000n;
const START: ThreadStart = {
  entry: 0x1000n,
  argument: 0x7777n,
  onExit: 0x1100n,
  start: 0x1200n,
  exit: 0x1210n,
};

function setup() {
  const memory = new Memory();
  memory.map(CONTEXT, PAGE_SIZE, "rw");
  const stacks = new EmulatedStackAllocator({ memory, base: 0x100000n, limit: 0x200000n });
  const stack = stacks.allocate(4 * PAGE_SIZE);
  paint(stack);
  // A recycled context: every byte non-zero, so zeroing is observable.
  memory.poke(CONTEXT, new Uint8Array(PAGE_SIZE).fill(0xee));
  return { memory, stack };
}

function readSlot(memory: memory.Memory, offset: number, width: number): bigint {
  const bytes = memory.peek(CONTEXT + BigInt(offset), width);
  let v = 0n;
  for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

describe.each(Object.values(abis).map((abi) => [abi.name, abi] as [string, Abi]))(
  "writeInitialFrame on %s",
  (_name, abi) => {
    test("sp is inside the stack and aligned as at a function's first instruction", () => {
      const { stack, memory } = setup();
      const frame = writeInitialFrame(stack, abi, memory, CONTEXT, START);
      expect(frame.sp).toBeLessThanOrEqual(stack.high);
      expect(frame.sp).toBeGreaterThanOrEqual(stack.low);
      expect((frame.sp + BigInt(entryStackOffset(abi))) % BigInt(abi.stackAlignment)).toBe(0n);
      expect(frame.sp % 16n).toBe(BigInt(entryStackOffset(abi)));
      const expected =
        stack.high - BigInt(abi.shadowSpace) - (abi.returnAddress.kind === "stack" ? 8n : 0n);
      expect(frame.sp).toBe(expected);
    });

    test("the stack words are written; with a pushed return address, it is the exit routine", () => {
      const { stack, memory } = setup();
      const frame = writeInitialFrame(stack, abi, memory, CONTEXT, START);
      for (const word of frame.stack) expect(memory.read64(word.address)).toBe(word.value);
      if (abi.returnAddress.kind === "stack") {
        expect(memory.read64(frame.sp)).toBe(START.exit);
        expect(highWaterMark(stack)).toBe(Number(stack.high - frame.sp));
      } else {
        expect(frame.stack).toEqual([]);
        expect(highWaterMark(stack)).toBe(0);
      }
    });

    test("the context holds pc, sp, the trampoline's registers and defaults; all else is zero", () => {
      const { stack, memory } = setup();
      const frame = writeInitialFrame(stack, abi, memory, CONTEXT, START);
      const regs = trampolineRegisters(abi);
      const slot = (name: string) => abi.context.slot(name);
      expect(readSlot(memory, slot("pc").offset, 8)).toBe(START.start);
      expect(readSlot(memory, slot("sp").offset, 8)).toBe(frame.sp);
      expect(readSlot(memory, slot(regs.entry).offset, 8)).toBe(START.entry);
      expect(readSlot(memory, slot(regs.argument).offset, 8)).toBe(START.argument);
      expect(readSlot(memory, slot(regs.onExit).offset, 8)).toBe(START.onExit);
      const set = new Map(frame.context.map((c) => [c.slot.name, c.value]));
      for (const s of abi.context.slots) {
        expect(readSlot(memory, s.offset, s.width)).toBe(set.get(s.name) ?? 0n);
      }
      for (const s of abi.context.slots.filter((x) => x.kind === "float")) {
        expect(readSlot(memory, s.offset, s.width)).toBe(0n);
      }
      // Bytes past the context are not touched.
      expect(memory.peek(CONTEXT + BigInt(abi.context.size), 16)).toEqual(
        new Uint8Array(16).fill(0xee),
      );
      for (const info of abi.threadInformation) {
        const v = readSlot(memory, slot(info.name).offset, 8);
        if (info.name === "StackBase") expect(v).toBe(stack.high);
        if (info.name === "StackLimit") expect(v).toBe(stack.low);
      }
    });

    test("errors write nothing", () => {
      const { stack, memory } = setup();
      const before = memory.peek(stack.low, stack.size);
      const context = memory.peek(CONTEXT, PAGE_SIZE);
      const tiny: Stack = { ...stack, low: stack.high - 16n, size: 16 };
      const cases: [() => unknown, string][] = [
        [() => writeInitialFrame(stack, abi, memory, CONTEXT + 8n, START), "BAD_ADDRESS"],
        [() => writeInitialFrame(stack, abi, memory, 0x50000n, START), "BAD_ADDRESS"],
        // The context's last bytes fall off the mapped page.
        [() => writeInitialFrame(stack, abi, memory, CONTEXT + 4096n - 16n, START), "BAD_ADDRESS"],
      ];
      const empty: Stack = { ...stack, low: stack.high, size: 0 };
      cases.push([
        () => writeInitialFrame(empty, abi, memory, CONTEXT, START),
        "FRAME_DOES_NOT_FIT",
      ]);
      // Win64's frame (32 bytes of shadow space and a return address) needs more than 16 bytes.
      if (abi.shadowSpace > 16) {
        cases.push([
          () => writeInitialFrame(tiny, abi, memory, CONTEXT, START),
          "FRAME_DOES_NOT_FIT",
        ]);
      }
      for (const [run, code] of cases) {
        let error: unknown;
        try {
          run();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(StackError);
        expect((error as StackError).code).toBe(code);
        expect((error as StackError).message).toContain(`writeInitialFrame(${abi.name}`);
      }
      expect(memory.peek(stack.low, stack.size)).toEqual(before);
      expect(memory.peek(CONTEXT, PAGE_SIZE)).toEqual(context);
    });
  },
);
