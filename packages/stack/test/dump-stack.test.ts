import { readFileSync } from "node:fs";
import { getAbi, memory, routines } from "@greenthreads/isa";
import { describe, expect, test } from "vitest";
import {
  dumpStack,
  EmulatedStackAllocator,
  formatAddress,
  formatStackDump,
  paint,
  type StackDumpRow,
  StackError,
  writeInitialFrame,
} from "../src/index.js";

const { Memory, PAGE_SIZE } = memory;
const { routineSymbol } = routines;

const CONTEXT = 0x10000n;
const START = { entry: 0x1000n, argument: 7n, onExit: 0x1100n, start: 0x1200n, exit: 0x1210n };

function golden(name: string): string {
  return readFileSync(new URL(`golden/${name}`, import.meta.url), "utf8");
}

/** A painted one-page stack with a new thread's initial frame for `abiName`. */
function newThread(abiName: string) {
  const abi = getAbi(abiName);
  const memory = new Memory();
  memory.map(CONTEXT, PAGE_SIZE, "rw");
  const stacks = new EmulatedStackAllocator({ memory, base: 0x100000n, limit: 0x200000n });
  const stack = stacks.allocate(PAGE_SIZE);
  paint(stack);
  const frame = writeInitialFrame(stack, abi, memory, CONTEXT, START);
  const symbols = new Map([
    [START.exit, routineSymbol("exit", abi.name)],
    [START.start, routineSymbol("start", abi.name)],
  ]);
  return { abi, memory, stack, frame, symbols };
}

describe("dumpStack", () => {
  test("a new x86-64 thread: the return address into the exit routine, then paint", () => {
    const { stack, frame, symbols } = newThread("x86_64-sysv");
    const rows = dumpStack(stack, { sp: frame.sp, symbols });
    expect(rows).toHaveLength(stack.size / 8);
    expect(rows[0]).toEqual({
      address: stack.high - 8n,
      word: START.exit,
      what: "return address into gt_exit_x86_64_sysv",
      kind: "return-address",
      atSp: true,
    });
    expect(rows.slice(1).every((r) => r.kind === "painted" && r.what === "painted")).toBe(true);
    const lines = formatStackDump(rows);
    expect(lines).toEqual([
      `${formatAddress(stack.high - 8n)}  0x0000000000001210  return address into gt_exit_x86_64_sysv  <- sp`,
      `${formatAddress(stack.high - 16n)}  …                   511 painted words, down to ${formatAddress(stack.low)}`,
    ]);
  });

  test("annotations name words and keep the symbol; a changed word loses its note", () => {
    const { stack, frame, symbols, memory } = newThread("x86_64-sysv");
    const rows = dumpStack(stack, { sp: frame.sp, symbols, annotations: frame.stack });
    expect(rows[0]!.what).toBe("return address of the entry: exit routine (gt_exit_x86_64_sysv)");
    expect(rows[0]!.kind).toBe("annotated");
    memory.write64(frame.sp, 0x99n);
    const changed = dumpStack(stack, { sp: frame.sp, symbols, annotations: frame.stack });
    expect(changed[0]!.kind).toBe("data");
    expect(changed[0]!.what).toBe("");
    // An annotation without a value applies whatever the word holds.
    const loose = dumpStack(stack, {
      sp: frame.sp,
      annotations: [{ address: frame.sp, what: "saved register rbx" }],
    });
    expect(loose[0]!.what).toBe("saved register rbx");
  });

  test("a running thread: saved register, locals, sp, stale words below sp, paint", () => {
    const { stack, frame, symbols, memory } = newThread("x86_64-sysv");
    // The entry pushed rbp, stored a local, called a helper that returned.
    memory.write64(frame.sp - 8n, 0n); // saved rbp
    memory.write64(frame.sp - 16n, 42n); // a local
    memory.write64(frame.sp - 24n, 0x1010n); // the helper's return address (now stale)
    memory.write64(frame.sp - 32n, 0x5n); // the helper's local (now stale)
    const sp = frame.sp - 16n;
    const lookup = (address: bigint) =>
      address >= START.entry && address < START.entry + 0x100n
        ? `entry+0x${(address - START.entry).toString(16)}`
        : symbols.get(address);
    const rows = dumpStack(stack, {
      sp,
      symbols: lookup,
      annotations: [...frame.stack, { address: frame.sp - 8n, what: "saved register rbp" }],
    });
    const text = `${formatStackDump(rows).join("\n")}\n`;
    expect(text).toBe(golden("running-thread-x86_64-sysv.txt"));
    expect(rows.filter((r) => r.atSp).map((r) => r.address)).toEqual([sp]);
    expect(rows[3]).toMatchObject({
      kind: "unused",
      what: "unused (stale return address into entry+0x10)",
      word: 0x1010n,
    });
    expect(rows[4]).toMatchObject({ kind: "unused", what: "unused", word: 5n });
  });

  test("Win64: the shadow space above the return address is in use but still painted", () => {
    const { stack, frame, symbols } = newThread("x86_64-win64");
    const rows = dumpStack(stack, { sp: frame.sp, symbols, annotations: frame.stack });
    const text = `${formatStackDump(rows).join("\n")}\n`;
    expect(text).toBe(golden("new-thread-x86_64-win64.txt"));
    expect(rows.slice(0, 4).every((r) => r.kind === "painted" && r.address > frame.sp)).toBe(true);
    expect(rows[4]!.atSp).toBe(true);
  });

  test("AArch64: nothing on the stack, sp at the top", () => {
    const { stack, frame, symbols } = newThread("aarch64-aapcs64");
    expect(frame.sp).toBe(stack.high);
    const rows = dumpStack(stack, { sp: frame.sp, symbols });
    expect(rows.some((r) => r.atSp)).toBe(false);
    expect(formatStackDump(rows)).toEqual([
      `${formatAddress(stack.high - 8n)}  …                   512 painted words, down to ${formatAddress(stack.low)}`,
    ]);
  });

  test("free words that are not the pattern are unused (an unpainted stack)", () => {
    const memory = new Memory();
    const stacks = new EmulatedStackAllocator({ memory, base: 0x100000n, limit: 0x200000n });
    const stack = stacks.allocate(PAGE_SIZE);
    memory.write64(stack.high - 8n, 1n);
    const rows = dumpStack(stack, { sp: stack.high - 8n });
    expect(rows[0]!.kind).toBe("data");
    expect(formatStackDump(rows)).toEqual([
      `${formatAddress(stack.high - 8n)}  0x0000000000000001  <- sp`,
      `${formatAddress(stack.high - 16n)}  …                   511 unused words, down to ${formatAddress(stack.low)}`,
    ]);
  });

  test("from and to select a window, highest address first", () => {
    const { stack, frame } = newThread("x86_64-sysv");
    const rows = dumpStack(stack, { sp: frame.sp, from: stack.high - 32n, to: stack.high - 8n });
    expect(rows.map((r) => r.address)).toEqual([
      stack.high - 16n,
      stack.high - 24n,
      stack.high - 32n,
    ]);
    expect(dumpStack(stack, { sp: frame.sp, from: stack.high, to: stack.high })).toEqual([]);
  });

  test("a custom pattern is what counts as painted", () => {
    const { stack, frame, memory } = newThread("x86_64-sysv");
    const rows = dumpStack(stack, { sp: frame.sp - 8n, pattern: 0n });
    memory.write64(frame.sp - 16n, 0n);
    expect(rows[1]!.kind).toBe("data"); // 0xa5a5… is data when the pattern is 0
    expect(rows.some((r) => r.kind === "painted")).toBe(false);
    const again = dumpStack(stack, { sp: frame.sp - 8n, pattern: 0n });
    expect(again[2]!.kind).toBe("painted");
  });

  test("bad sp, from or to → BAD_ADDRESS", () => {
    const { stack, frame } = newThread("x86_64-sysv");
    const bad = [
      { sp: stack.high + 8n },
      { sp: stack.low - BigInt(stack.guardSize) - 8n },
      { sp: frame.sp, from: stack.low + 4n },
      { sp: frame.sp, from: stack.low - 8n },
      { sp: frame.sp, to: stack.high + 8n },
      { sp: frame.sp, from: stack.high - 8n, to: stack.high - 16n },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        dumpStack(stack, options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StackError);
      expect((error as StackError).code).toBe("BAD_ADDRESS");
    }
    // An sp in the guard (an overflowed thread) is accepted: everything is in use.
    const overflowed = dumpStack(stack, { sp: stack.low - 8n });
    expect(overflowed.some((r) => r.kind === "unused")).toBe(false);
  });
});

describe("formatStackDump", () => {
  const row = (i: number, kind: StackDumpRow["kind"], atSp = false): StackDumpRow => ({
    address: 0x2000n - BigInt(8 * (i + 1)),
    word: kind === "painted" ? 0xa5a5a5a5a5a5a5a5n : BigInt(i),
    what: kind === "painted" || kind === "unused" ? kind : "",
    kind,
    atSp,
  });

  test("runs shorter than collapseAt print word by word", () => {
    const rows = [row(0, "data"), row(1, "painted"), row(2, "painted"), row(3, "data")];
    const lines = formatStackDump(rows);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe("0x0000000000001ff0  0xa5a5a5a5a5a5a5a5  painted");
    expect(lines[0]).toBe("0x0000000000001ff8  0x0000000000000000");
  });

  test("runs of collapseAt or more fold into one line; kinds do not mix; sp is never folded", () => {
    const rows = [
      row(0, "painted"),
      row(1, "painted"),
      row(2, "painted", true),
      row(3, "painted"),
      row(4, "unused"),
      row(5, "unused"),
      row(6, "unused"),
    ];
    rows.push(
      { ...row(7, "unused"), what: "unused (stale return address into f)" },
      row(8, "unused"),
    );
    expect(formatStackDump(rows, { collapseAt: 2 })).toEqual([
      "0x0000000000001ff8  …                   2 painted words, down to 0x0000000000001ff0",
      "0x0000000000001fe8  0xa5a5a5a5a5a5a5a5  painted  <- sp",
      "0x0000000000001fe0  0xa5a5a5a5a5a5a5a5  painted",
      "0x0000000000001fd8  …                   3 unused words, down to 0x0000000000001fc8",
      "0x0000000000001fc0  0x0000000000000007  unused (stale return address into f)",
      "0x0000000000001fb8  0x0000000000000008  unused",
    ]);
  });
});
