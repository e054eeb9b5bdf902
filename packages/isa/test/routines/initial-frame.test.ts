import { describe, expect, test } from "vitest";
import { abis, getAbi } from "../../src/abi/registry.js";
import { IsaError } from "../../src/errors.js";
import {
  DEFAULT_FLOAT_CONTROL,
  entryStackOffset,
  initialFrame,
  trampolineRegisters,
} from "../../src/routines/initial-frame.js";

const options = {
  stackLow: 0x10000n,
  stackHigh: 0x20000n,
  entry: 0x1000n,
  argument: 0x77n,
  onExit: 0x1100n,
  start: 0x1200n,
  exit: 0x1210n,
};

describe.each(Object.values(abis))("initial frame on $name", (abi) => {
  test("lands in the start trampoline with the entry, argument and handler", () => {
    const frame = initialFrame(abi, options);
    const value = (name: string) => frame.context.find((c) => c.slot.name === name)?.value;
    const regs = trampolineRegisters(abi);
    expect(value("pc")).toBe(options.start);
    expect(value("sp")).toBe(frame.sp);
    expect(value(regs.entry)).toBe(options.entry);
    expect(value(regs.argument)).toBe(options.argument);
    expect(value(regs.onExit)).toBe(options.onExit);
    for (const c of abi.floatControl) {
      if (DEFAULT_FLOAT_CONTROL[c] !== 0n) expect(value(c)).toBe(DEFAULT_FLOAT_CONTROL[c]);
    }
  });

  test("meets the ABI's alignment at entry and keeps its shadow space", () => {
    const frame = initialFrame(abi, { ...options, stackHigh: 0x20000n - 8n });
    expect(Number(frame.sp % 16n)).toBe(entryStackOffset(abi));
    const top = frame.sp + BigInt(entryStackOffset(abi)) + BigInt(abi.shadowSpace);
    expect(top).toBeLessThanOrEqual(0x20000n - 8n);
    if (abi.returnAddress.kind === "stack") {
      expect(frame.stack).toEqual([
        { address: frame.sp, value: options.exit, what: expect.stringContaining("exit routine") },
      ]);
    } else {
      expect(frame.stack).toEqual([]);
    }
  });
});

test("Win64 threads carry their own stack bounds", () => {
  const frame = initialFrame(getAbi("x86_64-win64"), options);
  const value = (name: string) => frame.context.find((c) => c.slot.name === name)?.value;
  expect(value("StackBase")).toBe(options.stackHigh);
  expect(value("StackLimit")).toBe(options.stackLow);
});

test("a stack too small for the frame is an IsaError", () => {
  expect(() => initialFrame(getAbi("x86_64-win64"), { ...options, stackHigh: 0x10010n })).toThrow(
    IsaError,
  );
  expect(() => initialFrame(getAbi("x86_64-sysv"), { ...options, stackHigh: 0x10000n })).toThrow(
    /too small/,
  );
});
