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
 * The control block is driven by the isa's one host-side protocol
 * (`ThreadControl`, through `BackendBase.resume`): it writes the resume value
 * or refilled fuel into the block, this backend writes the thread's id into
 * the addon's selection buffer and makes one addon call (no arguments) that
 * switches to the thread and returns when it traps, and the protocol decodes
 * the trap from the block, exactly as for the interpreter's host. JavaScript
 * never runs on the thread's stack.
 *
 * @module
 */
import {
  type Abi,
  assemble,
  getAbi,
  getArch,
  lowering,
  MAX_BUDGET,
  type Program,
  protocol,
  routines,
  type Trap,
} from "@greenthreads/isa";
import { inGuard, type Stack, writeInitialFrame } from "@greenthreads/stack";
import type { LoadedProgram } from "../backend.js";
import {
  BackendBase,
  instructionAt,
  type ProgramRecord,
  stateAfter,
  THREAD_NEW,
  THREAD_SUSPENDED,
  ThreadRecord,
} from "../backend-base.js";
import { SwitchError } from "../errors.js";
import type { TurnResult, TurnRing } from "../turns.js";
import { type AddonInfo, loadAddon, type NativeAddon, type RegionHandle } from "./addon.js";
import { addonProtocol, CONTEXT_OFFSET, REFILL_OFFSET } from "./block-layout.js";
import { BufferMemory } from "./buffer-memory.js";
import { NativeStackAllocator } from "./native-stack-allocator.js";
import { coverSignalsIfDue, watchSignalListeners } from "./signal-coverage.js";
import { threadBlock } from "./thread-blocks.js";

const { ThreadControl, resumeSlots, threadStackLimit } = protocol;
const { routineSymbol } = routines;
const { lowerProgram, stackCapacityWords } = lowering;
type ThreadControl = protocol.ThreadControl;

const PREFIX = "gtp_";
/** An id no thread has: it stops a run of turns where a thread cannot be run. */
const NO_THREAD = 0xffff_ffff;

/** Frees the slot of a thread dropped without release, and lets its program's code go. */
const droppedThreads = new FinalizationRegistry<{
  addon: NativeAddon;
  id: number;
  gone: () => void;
}>(({ addon, id, gone }) => {
  addon.threadRelease(id);
  gone();
});

interface NativeProgram extends ProgramRecord {
  readonly handle: RegionHandle;
  readonly address: bigint;
  readonly entry: bigint;
  readonly labels: ReadonlyMap<string, bigint>;
}

/** A native thread: the isa's {@link ThreadControl} over its slot's block, and the addon's id. */
class NativeThread extends ThreadRecord {
  declare readonly code: NativeProgram;

  constructor(
    owner: object,
    program: LoadedProgram,
    code: NativeProgram,
    stack: Stack,
    capacityWords: number,
    control: ThreadControl,
    readonly id: number,
    readonly blockMemory: BufferMemory,
  ) {
    super(owner, program, code, stack, capacityWords, control);
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
  /** The trap kind the addon writes after a machine fault (a field: read on every resume). */
  readonly #machineFaultKind: number;
  /** The addon's turn buffer (turns.c) and views of it, made at the first run and grown as needed. */
  #turnHeader: { count: Uint32Array; limits: Float64Array } | undefined;
  #turnIds = new Uint32Array(0);
  #turnHow = new Uint8Array(0);

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
    this.#machineFaultKind = this.info.machineFaultKind;
    this.abi = getAbi(this.info.abi);
    if (this.abi.context.size > this.info.contextCapacity) {
      throw new SwitchError(
        "NATIVE_UNAVAILABLE",
        `native backend: the ${this.abi.name} context (${this.abi.context.size} bytes) exceeds the addon's ${this.info.contextCapacity}; rebuild the addon`,
      );
    }
    this.#hostContext = this.#addon.configure(
      this.abi.context.size,
      CONTEXT_OFFSET,
      addonProtocol(),
    );
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
    const slots = resumeSlots(program);
    try {
      [handle, , address] = this.#addon.codeMap(bytes, slots);
    } catch (cause) {
      throw new SwitchError(
        "OUT_OF_MEMORY",
        `native backend: load: no executable pages for ${bytes.length} bytes of code`,
        { cause },
      );
    }
    return {
      program,
      fuel,
      slots,
      codeSize: bytes.length,
      handle,
      address,
      entry: address + entryOffset,
      labels,
    };
  }

  /** @internal Where a loaded program's code lives, and its labels' addresses (for tests). */
  codeRegion(
    program: LoadedProgram,
  ): { address: bigint; size: number; label(name: string): bigint | undefined } | undefined {
    const record = this.recordOf(program);
    if (record === undefined) return undefined;
    const at = (name: string) => record.labels.get(PREFIX + name);
    return {
      address: record.address,
      size: record.codeSize,
      label: (name) => {
        const offset = at(name);
        return offset === undefined ? undefined : record.address + offset;
      },
    };
  }

  protected freeCode(program: NativeProgram): void {
    this.#addon.regionRelease(program.handle);
  }

  protected create(
    loaded: LoadedProgram,
    program: NativeProgram,
    stack: Stack,
    budget: bigint | undefined,
  ): NativeThread {
    const addon = this.#addon;
    coverSignalsIfDue(addon);
    const capacityWords = stackCapacityWords(stack.size);
    const id = addon.threadCreate(this.stacks.idOf(stack)!, program.handle);
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
      // What a budget trap refills when the addon answers it in turns (ThreadControl refills the same).
      new BigUint64Array(block.buffer, block.byteOffset + REFILL_OFFSET, 1)[0] =
        budget ?? MAX_BUDGET;
      const frame = writeInitialFrame(stack, this.abi, blockMemory, context, {
        entry: program.entry,
        argument: block.address,
        onExit: 0n,
        start: this.info.startRoutine,
        exit: this.info.exitRoutine,
      });
      const control = new ThreadControl(
        program.program,
        program.slots,
        block.buffer,
        block.byteOffset,
        budget,
        {
          stackLimit: threadStackLimit(stack.low, frame.sp, capacityWords),
          hostContext: this.#hostContext,
          threadContext: context,
          switchRoutine: this.info.switchRoutine,
        },
      );
      const thread = new NativeThread(
        this,
        loaded,
        program,
        stack,
        capacityWords,
        control,
        id,
        blockMemory,
      );
      const gone = () => this.threadGone(program);
      droppedThreads.register(thread, { addon, id, gone }, thread);
      return thread;
    } catch (e) {
      addon.threadRelease(id);
      throw e;
    }
  }

  protected runUntilTrap(thread: NativeThread): Trap | undefined {
    this.#selection[0] = thread.id;
    this.#addon.resume();
    return this.#faultTrap(thread);
  }

  /** The fault trap of a thread the CPU faulted on (the addon marked its block), else undefined. */
  #faultTrap(thread: NativeThread): Trap | undefined {
    const control = thread.control;
    return control.halves[0] === this.#machineFaultKind
      ? control.fault(this.#machineFault(thread))
      : undefined;
  }

  /**
   * The turns in the addon (`turns.c`): one call for the whole run. The ring
   * goes over as thread ids (a thread of another backend, or one that may not
   * run, as an id that stops the run), and afterwards the threads that ran
   * take their last trap from their blocks (ThreadControl.sync); the pending
   * one has it decoded, as resume would.
   */
  protected override takeTurns(ring: TurnRing, limit: number, timeLimitMs: number): TurnResult {
    const { threads, length } = ring;
    if (this.#turnIds.length < length) this.#growTurnBuffer(length);
    const ids = this.#turnIds;
    const bits = this.#turnHow;
    const how = ring.how;
    for (let i = 0; i < length; i++) {
      const thread = threads[i]!;
      ids[i] =
        ThreadRecord.ownerOf(thread) === this &&
        (thread as NativeThread).stateCode <= THREAD_SUSPENDED
          ? (thread as NativeThread).id
          : NO_THREAD;
      bits[i] = how[i]!;
    }
    const header = this.#turnHeader!;
    header.count[0] = length;
    header.limits[1] = limit;
    header.limits[2] =
      timeLimitMs === Number.POSITIVE_INFINITY ? 0 : Math.max(1, timeLimitMs * 1e6);
    this.#addon.runTurns();
    const result = header.limits[3]!;
    const pending = result % 2;
    const runs = (result - pending) / 2;
    const turns = runs - pending;
    const ran = Math.min(runs, length);
    for (let i = 0; i < ran; i++) {
      const thread = threads[i] as NativeThread;
      thread.control.sync();
      if (thread.stateCode === THREAD_NEW) thread.stateCode = THREAD_SUSPENDED;
    }
    if (pending === 0) return { turns, pending: undefined };
    const thread = threads[turns % length] as NativeThread;
    let trap: Trap;
    try {
      trap = this.#faultTrap(thread) ?? thread.control.leave();
    } catch (cause) {
      return { turns, pending: undefined, error: this.corrupt(cause) };
    }
    thread.stateCode = stateAfter(trap);
    return { turns, pending: trap };
  }

  /** A turn buffer for rings of `length` threads (twice what was asked, at least 64). */
  #growTurnBuffer(length: number): void {
    const capacity = Math.max(64, length * 2);
    const buffer = this.#addon.turnBuffer(capacity);
    this.#turnHeader = {
      count: new Uint32Array(buffer, 0, 2),
      limits: new Float64Array(buffer, 0, 4),
    };
    this.#turnIds = new Uint32Array(buffer, 32, capacity);
    this.#turnHow = new Uint8Array(buffer, 32 + 4 * capacity, capacity);
  }

  /** A fault the CPU raised (the addon's signal handler caught it): reported as a fault trap. */
  #machineFault(thread: NativeThread): Trap & { kind: "fault" } {
    const [, address, pc] = this.#addon.threadFault(thread.id);
    const where = instructionAt(
      thread.code.labels,
      PREFIX,
      thread.code.program,
      pc - thread.code.address,
    );
    return {
      kind: "fault",
      fault: inGuard(thread.stack, address) ? "stack-overflow" : "out-of-bounds",
      details: where ?? { instruction: -1, line: 0 },
    };
  }

  get routineSymbols(): ReadonlyMap<bigint, string> {
    return new Map([
      [this.info.switchRoutine, routineSymbol("switch_to_host", this.abi.name)],
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
    thread.control.detach();
    droppedThreads.unregister(thread);
    // The slot (and its block) goes to the next thread spawned: nothing here may read it again.
    this.#addon.threadRelease(thread.id);
    thread.blockMemory.markReleased();
  }
}
