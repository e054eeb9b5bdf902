import { getAbi, memory } from "@greenthreads/isa";
import { expect, test } from "vitest";
import { dumpStack } from "../src/dump-stack.js";
import { EmulatedStackAllocator } from "../src/emulated-stack-allocator.js";
import { paint } from "../src/paint.js";
import { renderStackSvg } from "../src/stack-picture.js";
import { writeInitialFrame } from "../src/write-initial-frame.js";

const { Memory } = memory;

function newThreadRows() {
  const memory = new Memory();
  memory.map(0x10000n, 4096, "rw");
  const stack = new EmulatedStackAllocator({ memory, base: 0x100000n, limit: 0x200000n }).allocate(
    4096,
  );
  paint(stack);
  const frame = writeInitialFrame(stack, getAbi("x86_64-sysv"), memory, 0x10000n, {
    entry: 0x1000n,
    argument: 7n,
    onExit: 0x1100n,
    start: 0x1200n,
    exit: 0x1210n,
  });
  const rows = dumpStack(stack, {
    sp: frame.sp,
    symbols: new Map([[0x1210n, "gt_exit_x86_64_sysv"]]),
  });
  return { stack, rows, sp: frame.sp };
}

test("a new thread's stack: one box at sp, one folded painted band, the guard below", () => {
  const { stack, rows, sp } = newThreadRows();
  const svg = renderStackSvg(rows, { title: "new thread", guardSize: stack.guardSize });
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  // The word at sp is drawn with its value and what it is, and marked.
  expect(svg).toContain("0x0000000000001210");
  expect(svg).toContain("return address into gt_exit_x86_64_sysv");
  expect(svg).toMatch(/>sp</);
  // 511 painted words fold into a single band rather than 511 boxes.
  expect(svg).toContain(`${rows.length - 1} painted words`);
  expect(svg.match(/<rect x="214"/g)).toHaveLength(2 + 1); // two bands and the guard
  expect(svg).toContain(`guard, ${stack.guardSize} bytes`);
  expect(rows[0]!.address + 8n).toBe(stack.high);
  expect(rows.find((r) => r.atSp)!.address).toBe(sp);
});

test("a highlighted word is never folded away and gets a red outline", () => {
  const { rows } = newThreadRows();
  const target = rows[100]!.address;
  const svg = renderStackSvg(rows, { highlight: target });
  expect(svg).toContain('stroke="#c00000"');
  // The run is split around the highlighted word: two painted bands instead of one.
  expect(svg.match(/painted words/g)).toHaveLength(2);
});

test("labels are escaped, so a symbol name cannot break the document", () => {
  const svg = renderStackSvg([
    { address: 0x1000n, word: 1n, what: "<script>&", kind: "annotated", atSp: true },
  ]);
  expect(svg).toContain("&lt;script&gt;&amp;");
  expect(svg).not.toContain("<script>");
});
