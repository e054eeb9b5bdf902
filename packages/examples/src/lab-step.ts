/**
 * What the labs share: executing one instruction in the interpreter and
 * saying what it changed, naming the instruction at the program counter,
 * and finding which routine (label) holds an address. The switch lab and
 * the program lab watch different registers and words; how a step is
 * taken and compared is the same.
 */
import type { Arch, AssembledCode, Cpu } from "@greenthreads/isa";

/** One change made by an instruction: a register or a memory word, before and after. */
export interface LabChange {
  readonly name: string;
  readonly before: bigint;
  readonly after: bigint;
}

/** The instruction at an address, as assembler text, and the routine it is in. */
export interface LabInstruction {
  readonly address: bigint;
  readonly text: string;
  readonly where: string;
}

/** What one step did: the instruction it executed and what changed. */
export interface LabStep {
  readonly executed: LabInstruction;
  readonly registers: readonly LabChange[];
  readonly words: readonly LabChange[];
}

/** What a lab watches: registers by name, memory words by address. */
export interface LabState {
  readonly registers: ReadonlyMap<string, bigint>;
  readonly words: ReadonlyMap<bigint, bigint>;
}

/** The routine holding `address`: the nearest non-local label at or below it, in any of `codes`. */
export function routineAt(codes: readonly AssembledCode[], address: bigint): string {
  let best = "";
  let at = -1n;
  for (const code of codes) {
    for (const [name, a] of code.labels) {
      // Local labels (.L…) mark places inside a routine, not routines.
      if (!name.startsWith(".L") && a <= address && a > at) {
        best = name;
        at = a;
      }
    }
  }
  return best;
}

/** The instruction at `address` in one of `codes`, formatted. */
export function instructionAt(
  codes: readonly AssembledCode[],
  format: Arch["format"],
  address: bigint,
): LabInstruction {
  for (const code of codes) {
    const placed = code.instructions.find((i) => i.address === address);
    if (placed) {
      return {
        address,
        text: format([placed.instruction]).trim(),
        where: routineAt(codes, address),
      };
    }
  }
  return { address, text: "(no instruction)", where: routineAt(codes, address) };
}

/**
 * Executes one instruction on `cpu` (stopping early at `stopAt`) and returns
 * what changed in the state `observe` reads. Throws if the machine faults or
 * meets an illegal instruction: a lab never should.
 */
export function stepOnce(
  cpu: Cpu,
  stopAt: readonly bigint[],
  executed: LabInstruction,
  observe: () => LabState,
): LabStep {
  const before = observe();
  const stop = cpu.run({ stopAt, maxSteps: 1 });
  if (stop.kind === "fault" || stop.kind === "illegal") {
    throw new Error(
      `the lab's machine stopped: ${JSON.stringify(stop, (_, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v))}`,
    );
  }
  const after = observe();
  const registers: LabChange[] = [];
  for (const [name, value] of after.registers) {
    const old = before.registers.get(name)!;
    if (old !== value) registers.push({ name, before: old, after: value });
  }
  const words: LabChange[] = [];
  for (const [address, value] of after.words) {
    const old = before.words.get(address)!;
    if (old !== value) words.push({ name: `0x${address.toString(16)}`, before: old, after: value });
  }
  return { executed, registers, words };
}
