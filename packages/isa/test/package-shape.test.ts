/**
 * The shape of the package face: the names an application imports by name,
 * and the namespaces that hold what the other packages need to run machine
 * threads. A name added to the face, or one that moves, changes this test on
 * purpose.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import * as isa from "../src/index.js";

const index = readFileSync(new URL("../src/index.ts", import.meta.url), "utf8");

/** Every name `src/index.ts` exports, types included. */
function exportedNames(text: string): string[] {
  const names: string[] = [];
  for (const [, list] of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const raw of list!.split(",")) {
      const name = raw.trim().replace(/^type\s+/, "");
      if (name) names.push(name);
    }
  }
  for (const [, name] of text.matchAll(/export \* as (\w+) from/g)) names.push(name!);
  return names.sort((a, b) => a.localeCompare(b));
}

const NAMESPACES = [
  "aarch64",
  "abiLayout",
  "lir",
  "lowering",
  "memory",
  "protocol",
  "riscv64",
  "routines",
  "wasm",
  "x86_64",
];

/** The namespaces that gather a folder's names, and the folder of each. */
const ROOMS: Readonly<Record<string, string>> = {
  abiLayout: "abi",
  lir: "lir",
  lowering: "lowering",
  memory: "memory",
  protocol: "protocol",
  routines: "routines",
  wasm: "wasm",
};

describe("package face", () => {
  test("the top level is the application's face", () => {
    expect(exportedNames(index)).toEqual(
      [
        ...["Abi", "AbiName", "abiLayout", "abis", "getAbi", "hostAbi"],
        ...["aarch64", "riscv64", "x86_64", "Arch", "ArchName", "assemble", "AssembledCode"],
        ...["Cpu", "getArch", "Instruction", "LabelItem", "PlacedInstruction", "Relaxation"],
        "StopReason",
        ...["IsaError", "IsaErrorCode"],
        ...["diagnoseProgram", "FIBER_HOSTCALLS", "FIBER_PROGRAM_1", "FIBER_PROGRAM_2"],
        ...["fiberProgramSource", "formatInstruction", "formatProgram", "Operand"],
        ...["parseProgram", "program", "Program", "PROGRAM_LIMITS", "ProgramBuilder"],
        ...["ProgramInstruction", "ProgramRegister", "RegisterName", "SourceOperand"],
        ...["SourcePosition", "StackAddress", "VerifyOptions", "verifyProgram"],
        ...["FaultDetails", "FaultKind", "Trap"],
        ...["budgetProblem", "MAX_BUDGET", "toBudget"],
        ...["ReferenceMachine", "ReferenceOptions", "ReferenceState", "RunReferenceOptions"],
        "runReference",
        ...["lir", "lowering", "memory", "protocol", "routines", "wasm"],
      ].sort((a, b) => a.localeCompare(b)),
    );
  });

  test("each namespace is an object on the face and its index only re-exports", () => {
    for (const name of NAMESPACES) {
      expect(typeof (isa as Record<string, unknown>)[name], name).toBe("object");
    }
    for (const [room, folder] of Object.entries(ROOMS)) {
      const text = readFileSync(new URL(`../src/${folder}/index.ts`, import.meta.url), "utf8");
      const code = text.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      const statements = code
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean);
      expect(statements.length, room).toBeGreaterThan(0);
      for (const s of statements)
        expect(s, `${folder}/index.ts`).toMatch(/^export\s[\s\S]*\sfrom\s"\.\/[\w-]+\.js"$/);
    }
  });

  test("no value is both on the top level and in a namespace", () => {
    const face: Readonly<Record<string, unknown>> = isa;
    const top = new Set(Object.keys(face));
    const twice: string[] = [];
    for (const room of Object.keys(ROOMS)) {
      for (const name of Object.keys(face[room] as object))
        if (top.has(name)) twice.push(`${room}.${name}`);
    }
    expect(twice).toEqual([]);
  });
});
