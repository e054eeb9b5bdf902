/**
 * The book's b-show-stack: a-stack-swap again, but the new stack's memory is
 * printed before the switch, with addresses, so you can see the function's
 * address sitting where `ret` will find it. Here the top of the stack is
 * printed word by word, each word explained, before the switch and again
 * while `hello` runs (now its call to print has pushed a return address),
 * and each picture is also drawn as an SVG.
 *
 * The same is then shown for a machine thread: a counting thread stopped at
 * its third yield, with the words it pushed and the return address of its
 * exit routine at the top of its stack.
 */
import {
  dumpStack,
  formatStackDump,
  renderStackSvg,
  type StackAnnotation,
  type StackDumpRow,
} from "@greenthreads/stack";
import { type Backend, loadBackend } from "@greenthreads/switch";
import { type HandMadeSwap, swapByHand } from "./a-stack-swap.js";
import { stackfulCounterStack } from "./machine-fibers.js";

/** Bytes at the top of the hand-made stack that the book prints: its SSIZE. */
export const SHOWN_BYTES = 48n;

/** One picture of a stack: the text lines and the same as an SVG document. */
export interface StackView {
  readonly title: string;
  readonly rows: readonly StackDumpRow[];
  readonly lines: readonly string[];
  readonly svg: string;
}

function view(
  title: string,
  machine: HandMadeSwap,
  sp: bigint,
  annotations: StackAnnotation[],
): StackView {
  const rows = dumpStack(machine.stack, {
    sp,
    from: machine.stack.high - SHOWN_BYTES,
    annotations,
    symbols: new Map([[machine.hello, "hello"]]),
  });
  return {
    title,
    rows,
    lines: formatStackDump(rows, { collapseAt: 8 }),
    svg: renderStackSvg(rows, { title, collapseAt: 8 }),
  };
}

/** The hand-made stack before the switch and while hello runs. */
export function handMadeStackViews(): { before: StackView; during: StackView } {
  let before: StackView | undefined;
  const notes = (m: HandMadeSwap): StackAnnotation[] => [
    { address: m.contextRsp + 8n, what: "padding: the book leaves 16 bytes above ctx.rsp" },
    { address: m.contextRsp, value: m.hello, what: "hello's address: `ret` pops it into the pc" },
  ];
  const machine = swapByHand((m) => {
    before = view(
      "before the switch: ctx.rsp points at hello's address",
      m,
      m.contextRsp,
      notes(m),
    );
  });
  const during = view(
    "while hello runs: its call to print pushed a return address",
    machine,
    machine.rspInHello,
    [
      ...notes(machine),
      {
        address: machine.rspInHello,
        what: "return address of hello's call to print",
      },
    ],
  );
  return { before: before!, during };
}

/** The counting machine thread's stack at its third yield. */
export function machineThreadStackView(backend: Backend = loadBackend()): StackView {
  const { rows, guardSize } = stackfulCounterStack(backend);
  const title = `a machine thread at its third yield (${backend.kind}, ${backend.abi.name})`;
  return {
    title,
    rows,
    lines: formatStackDump(rows),
    svg: renderStackSvg(rows, { title, guardSize }),
  };
}

/**
 * Prints the three stacks; `save(name, svg)` receives each picture (the CLI
 * writes them to files).
 */
export function showStacks(
  print: (line: string) => void,
  save?: (name: string, svg: string) => void,
  backend?: Backend,
): void {
  const { before, during } = handMadeStackViews();
  const machine = machineThreadStackView(backend);
  for (const [name, v] of [
    ["b-show-stack-before", before],
    ["b-show-stack-during", during],
    ["b-show-stack-machine-thread", machine],
  ] as const) {
    print(`${v.title}:`);
    for (const line of v.lines) print(`  ${line}`);
    print("");
    save?.(`${name}.svg`, v.svg);
  }
}
