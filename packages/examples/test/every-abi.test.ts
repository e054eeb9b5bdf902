import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AbiName, abis, getAbi, ReferenceMachine, routines } from "@greenthreads/isa";
import { expect, test } from "vitest";
import {
  BUDGET,
  EVERY_ABI_PROGRAM,
  everyAbi,
  everyBackend,
  runOn,
  switchRoutineSource,
  transcript,
} from "../src/every-abi.js";

const { routineSymbol } = routines;

const abiNames = Object.keys(abis) as AbiName[];

test("the program stops at the same traps on every ABI, as on the reference machine", () => {
  const reference = new ReferenceMachine(EVERY_ABI_PROGRAM, {
    stackWords: 64,
    hostcalls: ["report"],
    budget: BUDGET,
  });
  const expected = transcript((value) => reference.resume(value));
  // The reference run exercises what the example claims: host calls, yields, budget traps, exit.
  expect(expected.filter((l) => l.startsWith("hostcall report"))).toHaveLength(3);
  expect(expected.filter((l) => l.startsWith("yield"))).toHaveLength(3);
  expect(expected.filter((l) => l === "budget").length).toBeGreaterThan(1);
  expect(expected.at(-1)).toMatch(/^exit \d+$/);

  const backends = everyBackend();
  expect(backends.filter((b) => b.kind === "emulated").map((b) => b.abi.name)).toEqual(abiNames);
  for (const backend of backends) {
    expect({ backend: `${backend.kind} ${backend.abi.name}`, traps: runOn(backend) }).toEqual({
      backend: `${backend.kind} ${backend.abi.name}`,
      traps: expected,
    });
  }
});

test("everyAbi prints one identical line per backend, the routine and the context layout", () => {
  const lines: string[] = [];
  const transcripts = everyAbi((l) => lines.push(l), "riscv64-lp64d");
  expect(transcripts.size).toBe(everyBackend().length);
  for (const name of transcripts.keys()) {
    expect(lines.find((l) => l.startsWith(name))).toMatch(/\d+ traps, identical$/);
  }
  expect(lines.some((l) => l.includes("DIFFERENT"))).toBe(false);
  expect(lines).toContain(`${routineSymbol("switch", "riscv64-lp64d")}:`);
  const layout = lines.findIndex((l) => l.startsWith("context layout of riscv64-lp64d"));
  expect(lines.length - layout - 1).toBe(getAbi("riscv64-lp64d").context.slots.length);
});

test.each(abiNames)("the switch routine of %s stores and loads every context slot", (name) => {
  const source = switchRoutineSource(name);
  const lines = source.split("\n");
  expect(lines[0]).toBe(lines[0]!.trim()); // the prologue stands on its own line
  expect(lines).toContain(`${routineSymbol("switch", name)}:`);
  for (const slot of getAbi(name).context.slots) {
    if (slot.offset === 0) continue; // offset 0 is written without a displacement
    const uses = lines.filter((l) => new RegExp(`\\b${slot.offset}\\b`).test(l));
    // Saved into the old context and loaded from the new one (float control state is loaded
    // only when it differs, which adds a compare).
    expect({ slot: slot.name, uses: uses.length >= 2 }).toEqual({ slot: slot.name, uses: true });
  }
});

const assemblers: Record<string, string> = {
  x86_64: "x86_64-linux-gnu-as",
  aarch64: "aarch64-linux-gnu-as",
  riscv64: "riscv64-linux-gnu-as",
};
const has = (tool: string) => spawnSync(tool, ["--version"]).status === 0;

for (const name of abiNames) {
  const tool = assemblers[getAbi(name).arch]!;
  test.skipIf(!has(tool))(
    `the printed switch routine of ${name} assembles with ${tool}${has(tool) ? "" : ` (skipped: ${tool} not installed)`}`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), "every-abi-"));
      try {
        writeFileSync(join(dir, "switch.S"), switchRoutineSource(name));
        const r = spawnSync(tool, ["-o", join(dir, "switch.o"), join(dir, "switch.S")], {
          encoding: "utf8",
        });
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
