/**
 * The book's first program, a-stack-swap: make a stack by hand, put the
 * address of a function at its top, point the stack pointer there and
 * `ret`, so the CPU "returns" into that function, now running on the new
 * stack. The function prints "I LOVE WAKING UP ON A NEW STACK!" and then
 * loops forever, since there is nothing to return to.
 *
 * Here it happens three times, once for each level of this project:
 *
 * 1. By hand, on x86-64 as in the book: a stack from the emulated allocator,
 *    the book's two-instruction switch (`mov rsp, [rdi]` then `ret`)
 *    encoded by `@greenthreads/isa` and executed by its interpreter.
 *
 * ```
 *   new stack (4 KiB, a guard page below it)
 *   high ─► ┌──────────────────────┐
 *           │ (16 bytes of padding)│
 *           ├──────────────────────┤ ◄─ high - 16: ctx.rsp points here
 *           │ address of hello     │    `ret` pops it into the pc
 *           ├──────────────────────┤
 *           │ free                 │ hello's own frames grow down from here
 *   low  ─► ├──────────────────────┤
 *           │ guard                │
 *           └──────────────────────┘
 * ```
 *
 * 2. As a machine thread: the same "hello" as a thread program, on a stack
 *    that the backend maps (natively: real memory with a guard page), with
 *    the switch routine generated from the host ABI. Its endless loop is
 *    stopped by an instruction budget instead of by killing the process.
 * 3. As a JavaScript thread: a generator has no stack of its own; V8 keeps
 *    its frame in the generator object, and resuming it runs on Node's one
 *    stack. That is why machine threads exist beside it.
 */
import { assemble, type LabelItem, memory, parseProgram, x86_64 } from "@greenthreads/isa";
import { Runtime } from "@greenthreads/scheduler";
import { EmulatedStackAllocator, formatAddress, type Stack } from "@greenthreads/stack";
import { type Backend, loadBackend } from "@greenthreads/switch";

const { Memory } = memory;

/** What the thread prints when it wakes up: the book's line. */
export const WAKE_UP = "I LOVE WAKING UP ON A NEW STACK!";

/** Addresses of the hand-made machine: code, the message, the context, the main stack. */
const CODE = 0x1000n;
const MESSAGE = 0x2000n;
const CONTEXT = 0x3000n;
const MAIN_STACK_TOP = 0x9000n;
/** Where `hello` "calls" to print: the interpreter stops there and JavaScript prints. */
const PRINT = 0x1800n;

/** What part 1 saw, for tests and for b-show-stack. */
export interface HandMadeSwap {
  /** The new stack's usable range. */
  readonly low: bigint;
  readonly high: bigint;
  /** Where `hello` starts. */
  readonly hello: bigint;
  /** Hello's endless loop: the return address its call to print pushes. */
  readonly forever: bigint;
  /** The stack pointer written into the context: `high - 16`, 16-byte aligned. */
  readonly contextRsp: bigint;
  /** The stack pointer when `hello` asked to print: inside the new stack. */
  readonly rspInHello: bigint;
  /** The text `hello` passed to print. */
  readonly printed: string;
  /** Instructions run before hello printed (the switch and hello's first steps). */
  readonly steps: number;
  /** The machine, stopped in hello's endless loop: for dumps. */
  readonly memory: memory.Memory;
  readonly stack: Stack;
}

/**
 * The book's `gt_switch` and `hello`, as x86-64 instructions:
 *
 * ```
 *   gt_switch:  mov rsp, [rdi + 0]    ; the new stack pointer, from ctx.rsp
 *               ret                   ; pops hello's address: now on the new stack
 *   hello:      mov rdi, MESSAGE      ; print(MESSAGE)
 *               call PRINT
 *   forever:    jmp forever           ; loop {}: nothing to return to
 * ```
 */
function bookCode(): (x86_64.Instruction | LabelItem)[] {
  return [
    { op: "label", name: "gt_switch" },
    { op: "load", dst: "rsp", base: "rdi", disp: 0 },
    { op: "ret" },
    { op: "label", name: "hello" },
    { op: "movi", dst: "rdi", imm: MESSAGE },
    { op: "movi", dst: "rax", imm: PRINT },
    { op: "callr", reg: "rax" },
    { op: "label", name: "forever" },
    { op: "jmp", target: "forever" },
  ];
}

/**
 * Part 1: prepares a new stack by hand in the interpreter's memory and
 * switches to it with the book's two instructions. `setUp` is called after
 * the stack is prepared and before the switch (b-show-stack prints it there).
 */
export function swapByHand(setUp?: (machine: HandMadeSwap) => void): HandMadeSwap {
  const memory = new Memory();
  const code = assemble(x86_64, bookCode(), CODE);
  memory.map(CODE, 0x1000, "rx");
  memory.poke(CODE, code.bytes);
  memory.map(MESSAGE, 0x1000, "r");
  memory.poke(MESSAGE, new TextEncoder().encode(`${WAKE_UP}\0`));
  memory.map(CONTEXT, 0x1000, "rw");
  memory.map(MAIN_STACK_TOP - 0x1000n, 0x1000, "rw");
  const stacks = new EmulatedStackAllocator({ memory, base: 0x10_0000n, limit: 0x20_0000n });
  const stack = stacks.allocate(4096);

  // The book: align the bottom of the stack to 16, write hello's address
  // 16 bytes below it, and make that the context's stack pointer.
  const hello = code.labels.get("hello")!;
  const aligned = stack.high & ~15n;
  const contextRsp = aligned - 16n;
  memory.write64(contextRsp, hello);
  memory.write64(CONTEXT, contextRsp);

  const cpu = x86_64.createCpu(memory);
  cpu.load(code);
  const base = {
    low: stack.low,
    high: stack.high,
    hello,
    forever: code.labels.get("forever")!,
    contextRsp,
    memory,
    stack,
  };
  setUp?.({ ...base, rspInHello: 0n, printed: "", steps: 0 });

  // gt_switch(&ctx), called from main's stack.
  cpu.set("rsp", MAIN_STACK_TOP);
  cpu.set("rdi", CONTEXT);
  cpu.pc = code.labels.get("gt_switch")!;
  const stop = cpu.run({ stopAt: [PRINT], maxSteps: 100 });
  if (stop.kind !== "stopped") throw new Error(`hello did not print: ${JSON.stringify(stop)}`);
  const printed = readCString(memory, cpu.get("rdi"));
  const rspInHello = cpu.get("rsp");
  const steps = cpu.steps;
  // Return from print and let hello loop forever; stop it after a while.
  cpu.pc = memory.read64(rspInHello);
  cpu.set("rsp", rspInHello + 8n);
  cpu.run({ stopAt: [], maxSteps: 1000 });
  return { ...base, rspInHello, printed, steps };
}

function readCString(memory: memory.Memory, address: bigint): string {
  const bytes: number[] = [];
  for (let a = address; ; a++) {
    const byte = memory.peek(a, 1)[0]!;
    if (byte === 0) break;
    bytes.push(byte);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Part 2's thread program: hello, then an endless loop. */
export const HELLO_PROGRAM = parseProgram(`
    hostcall hello()
  forever:
    jmp forever`);

/** Part 2: hello as a machine thread, on a stack the backend maps; the budget stops its loop. */
export function swapAsMachineThread(
  print: (line: string) => void,
  backend: Backend = loadBackend(),
): { readonly budgetTraps: number } {
  const thread = backend.spawn(backend.load(HELLO_PROGRAM, { fuel: true }), { budget: 1000n });
  let budgetTraps = 0;
  try {
    print(
      `  stack ${formatAddress(thread.stack.low)}` +
        `..${formatAddress(thread.stack.high)} (${thread.stack.size} bytes, guard ${thread.stack.guardSize})`,
    );
    for (;;) {
      const trap = backend.resume(thread);
      if (trap.kind === "hostcall") print(`  ${WAKE_UP}`);
      else if (trap.kind === "budget") {
        budgetTraps++;
        if (budgetTraps === 3) break;
      } else throw new Error(`unexpected trap ${trap.kind}`);
    }
    print(`  then it loops forever: stopped after ${budgetTraps} budgets of 1,000 instructions`);
  } finally {
    backend.release(thread);
  }
  return { budgetTraps };
}

/** Runs all three parts, printing what happens. */
export function stackSwap(
  print: (line: string) => void,
  backend: Backend = loadBackend(),
): HandMadeSwap {
  print("1. by hand, x86-64 in the interpreter (the book's gt_switch: mov rsp, [rdi]; ret)");
  const swap = swapByHand();
  print(`  new stack ${formatAddress(swap.low)}..${formatAddress(swap.high)}, a guard page below`);
  print(
    `  wrote hello's address ${formatAddress(swap.hello)} at ${formatAddress(swap.contextRsp)}`,
  );
  print(`  hello runs with rsp = ${formatAddress(swap.rspInHello)}, inside the new stack:`);
  print(`  ${swap.printed}`);
  print("");
  print(`2. as a machine thread (${backend.kind}, ${backend.abi.name})`);
  swapAsMachineThread(print, backend);
  print("");
  print("3. as a JavaScript thread");
  const rt = new Runtime();
  rt.spawn(function* () {
    print(`  ${WAKE_UP}`);
    print("  (no new stack here: V8 keeps a generator's frame in the generator object,");
    print("  and every resume runs on Node's own stack)");
    yield;
  });
  rt.run();
  return swap;
}
