/**
 * The register and context-layout tables in each ABI's TSDoc, made from the
 * ABI's data, so that the generated reference can never disagree with it.
 *
 * `pnpm exec tsx scripts/abi-tables.ts` rewrites the tables between the
 * `abi-tables` markers of every ABI file; a test fails when they are stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Abi } from "../src/abi/abi.js";
import { abis } from "../src/abi/registry.js";

export const START = "<!-- abi-tables:start -->";
export const END = "<!-- abi-tables:end -->";

const list = (regs: readonly string[]) => (regs.length === 0 ? "none" : regs.join(" "));

/** The Markdown of the tables for one ABI, one line per entry. */
export function abiTables(abi: Abi): string[] {
  const rows: [string, string][] = [
    ["stack pointer", abi.stackPointer],
    ["frame pointer", abi.framePointer],
    [
      "return address",
      abi.returnAddress.kind === "stack" ? "pushed on the stack by `call`" : abi.returnAddress.reg,
    ],
    ["callee-saved integer", list(abi.calleeSavedInteger)],
    [
      "callee-saved float",
      list(abi.calleeSavedFloat.map((f) => (f.width === 16 ? `${f.reg} (128 bits)` : f.reg))),
    ],
    ["arguments", list(abi.argumentRegisters)],
    ["float arguments", list(abi.floatArgumentRegisters)],
    ["results", list(abi.returnRegisters)],
    ["temporaries", list(abi.temporaries)],
    ["reserved", list(abi.reservedRegisters.map((r) => r.reg))],
    ["float control kept per thread", list(abi.floatControl)],
    [
      "thread information words",
      list(abi.threadInformation.map((t) => `${t.name} (gs:0x${t.offset.toString(16)})`)),
    ],
    [
      "stack alignment",
      `${abi.stackAlignment} bytes${abi.stackAlwaysAligned ? ", at every instruction" : ", at calls"}`,
    ],
    ["red zone", `${abi.redZone} bytes`],
    ["shadow space", `${abi.shadowSpace} bytes`],
  ];
  return [
    START,
    "| | |",
    "|---|---|",
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    "",
    `Context layout of \`gt_switch\` (${abi.context.size} bytes):`,
    "",
    "| offset | slot | kind | bytes |",
    "|---:|---|---|---:|",
    ...abi.context.slots.map((s) => `| ${s.offset} | ${s.name} | ${s.kind} | ${s.width} |`),
    END,
  ];
}

export const ABI_FILES: Record<string, string> = {
  "x86_64-sysv": "x86_64-sysv.ts",
  "x86_64-win64": "x86_64-win64.ts",
  "aarch64-aapcs64": "aarch64-aapcs64.ts",
  "aarch64-apple": "aarch64-apple.ts",
  "riscv64-lp64d": "riscv64-lp64d.ts",
};

export const abiDir = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "abi");

/** The ABI file's text with its tables replaced by fresh ones. */
export function withFreshTables(text: string, abi: Abi): string {
  const begin = text.indexOf(` * ${START}`);
  const end = text.indexOf(END, begin);
  if (begin < 0 || end < 0)
    throw new Error(`${abi.name}: no ${START} … ${END} markers in its TSDoc`);
  const lineEnd = text.indexOf("\n", end);
  const fresh = abiTables(abi)
    .map((l) => (l === "" ? " *" : ` * ${l}`))
    .join("\n");
  return text.slice(0, begin) + fresh + text.slice(lineEnd);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, file] of Object.entries(ABI_FILES)) {
    const path = join(abiDir, file);
    const abi = abis[name as keyof typeof abis];
    writeFileSync(path, withFreshTables(readFileSync(path, "utf8"), abi));
    console.log(`tables written into src/abi/${file}`);
  }
}
