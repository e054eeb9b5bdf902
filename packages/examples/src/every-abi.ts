/**
 * One thread program, every ABI: the traps do not depend on where it runs.
 *
 * A thread program is lowered separately for each ABI (x86-64 System V and
 * Windows, AArch64 Linux and Apple, RISC-V LP64D), with that ABI's registers,
 * stack rules and switch routine. The emulated backend runs any of them in
 * the isa's interpreter; the native backend runs the host's on the CPU.
 * Whatever runs it, the program must stop at the same traps with the same
 * values, budget traps included (the fuel counts program instructions, not
 * machine instructions), so the example runs one program everywhere and
 * compares the transcripts.
 *
 * It then prints what differs between ABIs and is generated from their data:
 * one switch routine as GNU assembler text, and the context layout it saves
 * and restores.
 */
import {
  type AbiName,
  abis,
  getAbi,
  getArch,
  parseProgram,
  routines,
  type Trap,
} from "@greenthreads/isa";
import { type Backend, loadBackend } from "@greenthreads/switch";

const { switchRoutine } = routines;

/**
 * Uses what can differ between lowerings: a call and return, stack words
 * (push, load, pop), a host call whose answer comes back in a register, a
 * yield resumed with a value, and enough instructions for budget traps.
 */
export const EVERY_ABI_PROGRAM = parseProgram(`
    mov r1, 1
  loop:
    call square               ; r2 = r1 * r1
    hostcall report(r1, r2) -> r3
    yield r3 -> r4
    add r1, r1, 1
    blt r1, 4, loop
    exit r4
  square:
    push r1
    load r2, stack[0]
    mul r2, r2, r1
    pop r7
    ret`);

/** Instructions per slice: small, so that budget traps fall in the middle of the loop. */
export const BUDGET = 7n;

/**
 * Drives a thread to its end and returns each trap as a line. The host call
 * is answered with its second argument plus one, a yield is resumed with
 * twice its value: any lowering that drops a register or a stack word shows
 * up as a different transcript.
 */
export function transcript(resume: (value?: bigint) => Trap): string[] {
  const lines: string[] = [];
  let answer: bigint | undefined;
  for (;;) {
    const trap = resume(answer);
    answer = undefined;
    switch (trap.kind) {
      case "hostcall":
        lines.push(`hostcall ${trap.name}(${trap.args.join(", ")})`);
        answer = trap.args[1]! + 1n;
        break;
      case "yield":
        lines.push(`yield ${trap.value}`);
        answer = trap.value * 2n;
        break;
      case "budget":
        lines.push("budget");
        break;
      case "exit":
        lines.push(`exit ${trap.code}`);
        return lines;
      case "fault":
        lines.push(`fault ${trap.fault} at line ${trap.details.line}`);
        return lines;
    }
  }
}

/**
 * The switch routine of `abi` as a GNU assembler source file. The routine is
 * derived from the ABI's data (callee-saved registers, float control state,
 * thread-information words) through one portable layer, then selected for the
 * ABI's instruction set. `asmPrologue` is the directive line the text needs
 * (syntax, architecture); it has no newline of its own.
 */
export function switchRoutineSource(name: AbiName): string {
  const abi = getAbi(name);
  const arch = getArch(abi);
  return `${arch.asmPrologue}\n.text\n${arch.format(arch.select(switchRoutine(abi, arch)))}`;
}

/** Runs the program on one backend, with a budget. */
export function runOn(backend: Backend): string[] {
  const thread = backend.spawn(backend.load(EVERY_ABI_PROGRAM, { fuel: true }), {
    budget: BUDGET,
  });
  try {
    return transcript((value) => backend.resume(thread, value));
  } finally {
    backend.release(thread);
  }
}

/** Every backend that can run here: each ABI emulated, and the native one if the addon works. */
export function everyBackend(): Backend[] {
  const backends = (Object.keys(abis) as AbiName[]).map((abi) =>
    loadBackend({ prefer: "emulated", abi }),
  );
  const native = loadBackend({ prefer: "native" });
  if (native.kind === "native") backends.push(native);
  return backends;
}

/**
 * Runs the program on every backend and prints whether the traps agree, then
 * the switch routine and context layout of `show`. Returns the transcripts
 * by backend (`"emulated x86_64-sysv"`, ...).
 */
export function everyAbi(
  print: (line: string) => void,
  show: AbiName = "aarch64-aapcs64",
): Map<string, string[]> {
  const transcripts = new Map<string, string[]>();
  let first: string[] | undefined;
  for (const backend of everyBackend()) {
    const name = `${backend.kind} ${backend.abi.name}`;
    const traps = runOn(backend);
    transcripts.set(name, traps);
    first ??= traps;
    const same = traps.join("\n") === first.join("\n");
    print(`${name.padEnd(26)} ${traps.length} traps, ${same ? "identical" : "DIFFERENT"}`);
  }
  if (![...transcripts.keys()].some((k) => k.startsWith("native"))) {
    print("(no native backend here: the addon did not load or does not fit this machine)");
  }
  print("");
  print("the traps, on every one of them:");
  for (const line of first ?? []) print(`  ${line}`);

  const abi = getAbi(show);
  print("");
  print(`switch routine of ${abi.name}, as GNU assembler:`);
  for (const line of switchRoutineSource(show).trimEnd().split("\n")) print(line);
  print("");
  print(`context layout of ${abi.name} (${abi.context.size} bytes, where the routine keeps each):`);
  for (const slot of abi.context.slots) {
    print(
      `  ${String(slot.offset).padStart(4)}  ${slot.name.padEnd(8)} ${slot.kind}, ${slot.width} bytes`,
    );
  }
  return transcripts;
}
