/**
 * The table of registers in the lowered switch's module comment, made from
 * the ABI data and the lowering's footprint, so the comment can never
 * disagree with them.
 *
 * `pnpm exec tsx scripts/lowered-switch-table.ts` rewrites the table between
 * the `lowered-switch-table` markers; a test fails when it is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { abis } from "../src/abi/registry.js";
import { getArch } from "../src/arch/registry.js";
import {
  keptAcrossTrap,
  loweredFootprint,
  loweredSwitchState,
} from "../src/routines/lowered-switch.js";

const START = "<!-- lowered-switch-table:start -->";
const END = "<!-- lowered-switch-table:end -->";

export const loweredSwitchFile = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "src",
  "routines",
  "lowered-switch.ts",
);

const list = (items: readonly string[]) => (items.length === 0 ? "none" : items.join(" "));

/** The Markdown lines of the table, markers included. */
export function loweredSwitchTable(): string[] {
  const rows = Object.values(abis).map((abi) => {
    const arch = getArch(abi);
    const state = loweredSwitchState(abi, arch);
    const saved = [...state.integer, ...state.threadInformation.map((t) => t.name)];
    const kept = new Set(saved);
    const notSaved = [
      ...abi.calleeSavedInteger,
      ...abi.calleeSavedFloat.map((f) => f.reg),
      ...abi.floatControl,
      ...abi.threadInformation.map((t) => t.name),
    ].filter((r) => !kept.has(r));
    return `| ${abi.name} | ${list(abi.calleeSavedInteger)} | ${list(loweredFootprint(abi, arch))} | ${list(saved)} | ${list(keptAcrossTrap(abi, arch))} | ${list(notSaved)} |`;
  });
  return [
    START,
    "| ABI | callee-saved integer | footprint | kept set (besides sp, pc) | kept for a trapping thread | callee-saved, never saved |",
    "|---|---|---|---|---|---|",
    ...rows,
    END,
  ];
}

/** The file's text with its table replaced by a fresh one. */
export function withFreshTable(text: string): string {
  const begin = text.indexOf(` * ${START}`);
  const end = text.indexOf(END, begin);
  if (begin < 0 || end < 0) throw new Error(`no ${START} … ${END} markers in lowered-switch.ts`);
  const lineEnd = text.indexOf("\n", end);
  const fresh = loweredSwitchTable()
    .map((l) => ` * ${l}`)
    .join("\n");
  return text.slice(0, begin) + fresh + text.slice(lineEnd);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(loweredSwitchFile, withFreshTable(readFileSync(loweredSwitchFile, "utf8")));
  console.log("table written into src/routines/lowered-switch.ts");
}
