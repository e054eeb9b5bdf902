/**
 * The native backend: lowered thread programs executed by the CPU.
 *
 * Per program, the isa lowers it for the host ABI, selects and assembles it
 * at address 0 (the code is position independent: every branch and `la` is
 * PC-relative), and the addon copies the bytes into fresh pages and flips
 * them from read-write to read-execute. Per thread, the addon maps a stack
 * with signal headroom and a guard page below it, and gives the thread a
 * slot whose block (control block and context) is a window of a shared
 * ArrayBuffer (thread-blocks.ts):
 *
 * ```
 *   block (a slot of a chunk, native heap)      stack (mmap)
 *   0    ┌──────────────────────────┐           high ┌──────────────────────┐
 *        │ thread control block     │◄─ r/w as      │ initial frame        │
 *        │ (TCB.size bytes)         │   BigUint64   │ program's words …    │
 *   ctx  ├──────────────────────────┤   Array       │                      │
 *        │ saved context (ABI size) │           low ├──────────────────────┤
 *        └──────────────────────────┘               │ signal headroom rw-p │
 *                                                   │ guard ---p           │
 *                                                   └──────────────────────┘
 * ```
 *
 * Memory comes back synchronously: `release` frees the slot and unmaps the
 * stack before it returns, with no finalizer involved, so a long run that
 * never yields to the event loop stays flat. A thread dropped without
 * `release` is released when the garbage collector finds it (a
 * FinalizationRegistry), and so is its stack.
 *
 * A resume writes the resume value (and refilled fuel) into the block and the
 * thread's id into the addon's selection buffer, makes one addon call (no
 * arguments) that switches to the thread and returns when it traps, and
 * decodes the trap from the block with the isa's `decodeTrap`, exactly as the
 * interpreter's host does. JavaScript never runs on the thread's stack.
 *
 * @module
 */
import {
  type Abi,
  assemble,
  decodeTrap,
  FRAME_RESERVE,
  getAbi,
  getArch,
  lowerProgram,
  type Program,
  resumeValueOffset,
  routineSymbol,
  stackCapacityWords,
  TCB,
  TRAP_KIND,
  type Trap,
} from "@greenthreads/isa";
import { inGuard, type Stack, writeInitialFrame } from "@greenthreads/stack";
import { BackendBase, instructionAt, type ProgramRecord, ThreadRecord } from "../backend-base.js";
import { SwitchError } from "../errors.js";
import { type AddonInfo, loadAddon, type NativeAddon, type RegionHandle } from "./addon.js";
import { BufferMemory } from "./buffer-memory.js";
import { NativeStackAllocator } from "./native-stack-allocator.js";
import { coverSignalsIfDue, watchSignalListeners } from "./signal-coverage.js";
import { threadBlock } from "./thread-blocks.js";

/** Offset of the saved context in a thread block: the control block, rounded up to a cache line. */
const CONTEXT_OFFSET = Math.ceil(TCB.size / 64) * 64;
const PREFIX = "gtp_";
/** The fuel of a thread of a fuel-counting program spawned without a budget: 2^64 - 1 instructions. */
const UNLIMITED_FUEL = (1n << 64n) - 1n;

/** Small yield values, shared: reading a BigUint64Array element allocates a BigInt. */
const SMALL_VALUES: readonly bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));

/** Frees the slot of a thread dropped without release. */
const droppedThreads = new FinalizationRegistry<{ addon: NativeAddon; id: number }>(
  ({ addon, id }) => addon.threadRelease(id),
);

/** Every budget trap is the same value, so the hot path allocates none. */
const BUDGET: Trap = Object.freeze({ kind: "budget" });

interface NativeProgram extends ProgramRecord {
  readonly handle: RegionHandle;
  readonly address: bigint;
  readonly entry: bigint;
  readonly labels: ReadonlyMap<string, bigint>;
  /** Per instruction: where its resume value goes in the control block, or -1. */
  readonly resumeOffsets: Int32Array;
}

/**
 * A native thread. Its last trap is kept as the trap kind and instruction
 * only (a yield trap as an object would have to be kept alive, and the hot
 * path allocates it only to return it): `lastTrap` decodes a yield again
 * from the control block, where it stays until the next resume.
 */
class NativeThread extends ThreadRecord {
  declare readonly program: NativeProgram;
  /** TRAP_KIND of the last trap (or the addon's machine-fault kind); 0 before the first. */
  lastKind = 0;
  lastInstruction = -1;
  readonly words: BigUint64Array;
  readonly small: Int32Array;

  constructor(
    owner: object,
    program: NativeProgram,
    stack: Stack,
    capacityWords: number,
    budget: bigint | undefined,
    readonly id: number,
    readonly blockMemory: BufferMemory,
    blockBuffer: ArrayBuffer,
    blockOffset: number,
  ) {
    super(owner, program, stack, capacityWords, budget);
    this.words = new BigUint64Array(blockBuffer, blockOffset, TCB.size / 8);
    this.small = new Int32Array(blockBuffer, blockOffset, TCB.size / 4);
  }

  override get lastTrap(): Trap | undefined {
    if (this.trap === undefined && this.lastKind === TRAP_KIND.yield) {
      this.trap = { kind: "yield", value: this.words[TCB.trapA >> 3]! };
    }
    return this.trap;
  }
}

/**
 * Runs machine threads on the CPU through the Node-API addon. Normally made
 * by {@link loadBackend}; constructing it directly throws
 * {@link SwitchError} `NATIVE_UNAVAILABLE` when the addon cannot be loaded.
 *
 * @example
 * ```ts
 * import { parseProgram } from "@greenthreads/isa";
 * import { NativeBackend } from "@greenthreads/switch";
 * const backend = new NativeBackend();
 * const thread = backend.spawn(backend.load(parseProgram("yield 1\nexit 2")));
 * console.log(backend.resume(thread), backend.resume(thread)); // { kind: "yield", value: 1n } { kind: "exit", code: 2n }
 * backend.release(thread);
 * ```
 */
export class NativeBackend extends BackendBase<NativeProgram, NativeThread> {
  readonly kind = "native" as const;
  readonly abi: Abi;
  readonly stacks: NativeStackAllocator;
  /** @internal Facts of the loaded addon build. */
  readonly info: AddonInfo;
  readonly #addon: NativeAddon;
  /** `selection[0]`: the id of the thread the addon's resume() runs. */
  readonly #selection: Uint32Array;
  readonly #hostContext: bigint;
  /** Bytes per thread block: the control block and the context, rounded up to 64. */
  readonly #blockStride: number;

  constructor(options: { stacks?: NativeStackAllocator } = {}) {
    super();
    const loaded = loadAddon();
    if ("error" in loaded) {
      throw new SwitchError(
        "NATIVE_UNAVAILABLE",
        `native backend: the addon cannot be loaded: ${loaded.error}`,
      );
    }
    this.#addon = loaded.addon;
    this.#selection = new Uint32Array(this.#addon.selection);
    this.info = this.#addon.info();
    this.abi = getAbi(this.info.abi);
    if (this.abi.context.size > this.info.contextCapacity) {
      throw new SwitchError(
        "NATIVE_UNAVAILABLE",
        `native backend: the ${this.abi.name} context (${this.abi.context.size} bytes) exceeds the addon's ${this.info.contextCapacity}; rebuild the addon`,
      );
    }
    this.#hostContext = this.#addon.configure(this.abi.context.size, CONTEXT_OFFSET);
    this.#blockStride = Math.ceil((CONTEXT_OFFSET + this.abi.context.size) / 64) * 64;
    this.stacks = options.stacks ?? new NativeStackAllocator();
    watchSignalListeners(this.#addon);
  }

  /** @internal The addon's functions (the benchmark times `empty()` against a resume). */
  get addon(): NativeAddon {
    return this.#addon;
  }

  protected place(program: Program, fuel: boolean): NativeProgram {
    const arch = getArch(this.abi);
    const lowered = lowerProgram(program, this.abi, arch, { fuel, prefix: PREFIX });
    const code = assemble(arch, arch.select(lowered.ops), 0n);
    return this.placeCode(program, fuel, code.bytes, code.labels, code.labels.get(lowered.entry)!);
  }

  /** Places machine code (already assembled at address 0) as a loaded program. */
  protected placeCode(
    program: Program,
    fuel: boolean,
    bytes: Uint8Array,
    labels: ReadonlyMap<string, bigint>,
    entryOffset: bigint,
  ): NativeProgram {
    let handle: RegionHandle;
    let address: bigint;
    try {
      [handle, , address] = this.#addon.codeMap(bytes);
    } catch (cause) {
      throw new SwitchError(
        "OUT_OF_MEMORY",
        `native backend: load: no executable pages for ${bytes.length} bytes of code`,
        { cause },
      );
    }
    return Object.freeze({
      owner: this,
      backend: "native" as const,
      program,
      fuel,
      codeSize: bytes.length,
      handle,
      address,
      entry: address + entryOffset,
      labels,
      resumeOffsets: Int32Array.from(
        program.instructions,
        (_, i) => resumeValueOffset(program, i) ?? -1,
      ),
    });
  }

  protected create(program: NativeProgram, stack: Stack, budget: bigint | undefined): NativeThread {
    const addon = this.#addon;
    coverSignalsIfDue(addon);
    const capacityWords = stackCapacityWords(stack.size);
    const id = addon.threadCreate(this.stacks.idOf(stack)!);
    try {
      const block = threadBlock(addon, this.info.threadsPerChunk, this.#blockStride, id);
      const blockMemory = new BufferMemory(
        block.address,
        block.buffer,
        0,
        block.byteOffset,
        this.#blockStride,
      );
      const context = block.address + BigInt(CONTEXT_OFFSET);
      const frame = writeInitialFrame(stack, this.abi, blockMemory, context, {
        entry: program.entry,
        argument: block.address,
        onExit: 0n,
        start: this.info.startRoutine,
        exit: this.info.exitRoutine,
      });
      const limit = frame.sp - BigInt(8 * capacityWords);
      if (limit < stack.low + BigInt(FRAME_RESERVE) / 2n) {
        throw new SwitchError(
          "BAD_STACK_SIZE",
          "native backend: spawn: the stack is too small for its initial frame",
        );
      }
      const thread = new NativeThread(
        this,
        program,
        stack,
        capacityWords,
        budget,
        id,
        blockMemory,
        block.buffer,
        block.byteOffset,
      );
      const words = thread.words;
      // No budget: fuel that never runs out, as in the reference machine.
      words[TCB.fuel / 8] = budget ?? UNLIMITED_FUEL;
      words[TCB.stackLimit / 8] = limit;
      words[TCB.hostContext / 8] = this.#hostContext;
      words[TCB.threadContext / 8] = context;
      words[TCB.switchRoutine / 8] = this.info.switchRoutine;
      droppedThreads.register(thread, { addon, id }, thread);
      return thread;
    } catch (e) {
      addon.threadRelease(id);
      throw e;
    }
  }

  protected run(thread: NativeThread, value: bigint): Trap {
    const { words, small } = thread;
    const last = thread.lastKind;
    if (last !== 0) {
      const offset = thread.program.resumeOffsets[thread.lastInstruction]!;
      if (offset >= 0) words[offset >> 3] = BigInt.asUintN(64, value);
      if (last === TRAP_KIND.budget && thread.budget !== undefined) {
        words[TCB.fuel >> 3] = thread.budget;
      }
    }
    this.#selection[0] = thread.id;
    this.#addon.resume();
    // The hot path reads the trap's kind and instruction as 32-bit halves: a
    // BigUint64Array read allocates a BigInt, and a round trip is a few dozen ns.
    const kind = small[TCB.trapKind >> 2]!;
    thread.lastKind = kind;
    thread.lastInstruction = small[TCB.trapInstruction >> 2]!;
    if (kind === TRAP_KIND.yield) {
      // Not kept: lastTrap decodes it again if asked.
      thread.trap = undefined;
      const low = small[TCB.trapA >> 2]! >>> 0;
      const small64 = small[(TCB.trapA >> 2) + 1] === 0 && low < SMALL_VALUES.length;
      return { kind: "yield", value: small64 ? SMALL_VALUES[low]! : words[TCB.trapA >> 3]! };
    }
    const trap = this.#slowTrap(thread, kind);
    thread.trap = trap;
    return trap;
  }

  /** Any trap but a yield. */
  #slowTrap(thread: NativeThread, kind: number): Trap {
    if (kind === TRAP_KIND.budget) return BUDGET;
    if (kind === this.info.machineFaultKind) return this.#machineFault(thread);
    const { words } = thread;
    try {
      return decodeTrap(thread.program.program, (offset) => words[offset >> 3]!);
    } catch (cause) {
      throw new SwitchError(
        "CORRUPT_THREAD",
        `native backend: resume: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
  }

  /** A fault the CPU raised (the addon's signal handler caught it): reported as a fault trap. */
  #machineFault(thread: NativeThread): Trap {
    const [, address, pc] = this.#addon.threadFault(thread.id);
    const where = instructionAt(
      thread.program.labels,
      PREFIX,
      thread.program.program,
      pc - thread.program.address,
    );
    return {
      kind: "fault",
      fault: inGuard(thread.stack, address) ? "stack-overflow" : "out-of-bounds",
      details: where ?? { instruction: -1, line: 0 },
    };
  }

  get routineSymbols(): ReadonlyMap<bigint, string> {
    return new Map([
      [this.info.switchRoutine, routineSymbol("switch", this.abi.name)],
      [this.info.startRoutine, routineSymbol("start", this.abi.name)],
      [this.info.exitRoutine, routineSymbol("exit", this.abi.name)],
    ]);
  }

  protected contextStackPointer(thread: NativeThread): bigint {
    const { blockMemory } = thread;
    return blockMemory.read64(
      blockMemory.low + BigInt(CONTEXT_OFFSET + this.abi.context.slot("sp").offset),
    );
  }

  protected destroy(thread: NativeThread): void {
    // The control block goes away: keep the last trap as an object from now on.
    thread.trap = thread.lastTrap;
    droppedThreads.unregister(thread);
    // The slot (and its block) goes to the next thread spawned: nothing here may read it again.
    this.#addon.threadRelease(thread.id);
    thread.blockMemory.markReleased();
  }
}
