/**
 * Forcing branch relaxation in small code, for the tests of long forms: an
 * instruction set whose relaxation sees every label distance multiplied by
 * 2^shift, so that every reach is divided by it.
 */
import { execFileSync } from "node:child_process";
import type { Arch, AssembledCode, Instruction } from "../../src/arch/arch.js";

/** `arch` with every reach divided by 2^shift. */
export function shrunk(arch: Arch, shift: bigint): Arch {
  const relaxation = arch.relaxation!;
  return {
    ...arch,
    relaxation: {
      reaches: (instruction, address, label) =>
        relaxation.reaches(
          instruction,
          address,
          (name) => address + ((label(name) - address) << shift),
        ),
      lengthen: (instruction) => relaxation.lengthen(instruction),
    },
  };
}

/**
 * Placed instructions in a long form that only relaxation makes from
 * selected code (AArch64 `far`, RISC-V `via: "auipc"`: RISC-V selection
 * itself gives every branch `via: "jal"`), and those that could still be
 * lengthened.
 */
export function lengthened(arch: Arch, code: AssembledCode): { long: number; short: number } {
  let long = 0;
  let short = 0;
  for (const { instruction } of code.instructions) {
    const i = instruction as Instruction & { far?: boolean; via?: string };
    if (i.far !== undefined || i.via === "auipc") long++;
    if (arch.relaxation!.lengthen(instruction) !== undefined) short++;
  }
  return { long, short };
}

/** Whether a command-line tool runs here. */
export function hasTool(name: string): boolean {
  try {
    execFileSync(name, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
