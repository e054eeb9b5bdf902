/**
 * The generated assembler files of the native addon and the harness, derived
 * from the ABI data of @greenthreads/isa.
 *
 * Each file's name says what it holds, after Boost.Context's convention:
 * `<operation>_<arch>_<abi>_<binary format>_<assembler>.S`, e.g.
 * `switch_x86_64_sysv_elf_gas.S`. `switch` holds the context switches (the
 * general one, and the lowered one that saves only what lowered programs can
 * clobber), `start` the start trampoline and the exit routine.
 *
 * Shared by `generate-asm.ts` (which writes the files) and the test that
 * fails when the committed files differ from what the ABI data gives.
 *
 * @module
 */
import {
  type Abi,
  type AbiName,
  type Arch,
  getAbi,
  getArch,
  type lir,
  routines,
} from "@greenthreads/isa";

const { loweredSwitchRoutine, switchRoutine, switchToHostRoutine, trampolines } = routines;

/** The ABIs that get assembler files, with their binary format. */
export const ASM_TARGETS: readonly { abi: AbiName; format: "elf" | "pe" }[] = [
  { abi: "x86_64-sysv", format: "elf" },
  { abi: "aarch64-aapcs64", format: "elf" },
  { abi: "riscv64-lp64d", format: "elf" },
  { abi: "x86_64-win64", format: "pe" },
];

const OPERATIONS = {
  switch: {
    what: "the context switches: gt_switch(from, to, value) for any code, gt_switch_lowered(from, to, value) and gt_switch_to_host(from, to, value) between the host and lowered programs",
    ops: (abi: Abi, arch: Arch) => [
      ...switchRoutine(abi, arch),
      ...loweredSwitchRoutine(abi, arch),
      ...switchToHostRoutine(abi, arch),
    ],
  },
  start: {
    what: "the start trampoline and the exit routine of a new thread",
    ops: trampolines,
  },
} as const;

/** File name of a generated assembler file. */
export function asmFileName(
  operation: keyof typeof OPERATIONS,
  abi: Abi,
  format: "elf" | "pe",
): string {
  return `${operation}_${abi.name.replaceAll("-", "_")}_${format}_gas.S`;
}

function render(operation: keyof typeof OPERATIONS, abi: Abi, format: "elf" | "pe"): string {
  const arch = getArch(abi);
  const ops: lir.LirOp[] = OPERATIONS[operation].ops(abi, arch);
  const globals = ops.flatMap((op) => (op.op === "label" && op.global ? [op.name] : []));
  // Each routine starts on a 16-byte boundary, as a compiler would place a
  // function, and (ELF) its size ends where the next routine begins.
  let previous: string | undefined;
  const body = arch.format(arch.select(ops)).replace(/^\.globl (\S+)/gm, (_, name: string) => {
    const size =
      previous !== undefined && format === "elf" ? `    .size ${previous}, . - ${previous}\n` : "";
    previous = name;
    return `${size}    .p2align 4\n.globl ${name}`;
  });
  const lines = [
    `/* ${OPERATIONS[operation].what}, for ${abi.description}.`,
    ` * Generated from the ABI data of @greenthreads/isa by scripts/generate-asm.ts; do not edit. */`,
    "",
    arch.asmPrologue.trimEnd(),
    "    .text",
  ];
  if (format === "elf") for (const g of globals) lines.push(`    .type ${g}, %function`);
  lines.push(body.trimEnd());
  if (format === "elf") {
    if (previous !== undefined) lines.push(`    .size ${previous}, . - ${previous}`);
    // The stack of a program linking this file stays non-executable.
    lines.push('    .section .note.GNU-stack,"",%progbits');
  }
  return `${lines.filter((l, i) => l !== "" || i === 2).join("\n")}\n`;
}

/** Every generated file: its name and its text. */
export function generatedAsmFiles(): { name: string; text: string }[] {
  return ASM_TARGETS.flatMap(({ abi: name, format }) => {
    const abi = getAbi(name);
    return (Object.keys(OPERATIONS) as (keyof typeof OPERATIONS)[]).map((operation) => ({
      name: asmFileName(operation, abi, format),
      text: render(operation, abi, format),
    }));
  });
}
