/**
 * What the win32-x64 build takes on trust, checked against its sources:
 * the import library's .def file (native/win32/node.def, written by
 * scripts/prebuild-win32.sh from the objects' undefined symbols) must list
 * exactly the napi_* functions the Windows build's C files call, and the
 * context offsets of the thread-information words that memory_win32.c
 * writes must be the ones of the x86_64-win64 ABI data.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getAbi } from "@greenthreads/isa";
import { expect, test } from "vitest";

const x86_64Win64 = getAbi("x86_64-win64");

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const addonDir = join(root, "native", "addon");
/** The C files of the Windows build: all but the POSIX ones. */
const windowsSources = readdirSync(addonDir).filter(
  (f) => f.endsWith(".c") && !f.includes("_posix"),
);

test("node.def lists exactly the napi_* functions the Windows build calls", () => {
  const called = new Set<string>();
  for (const file of windowsSources) {
    const text = readFileSync(join(addonDir, file), "utf8");
    for (const m of text.matchAll(/\b(napi_[a-z0-9_]+)\s*\(/g)) called.add(m[1]!);
  }
  const def = readFileSync(join(root, "native", "win32", "node.def"), "utf8").split("\n");
  expect(def.slice(0, 2)).toEqual(["LIBRARY node.exe", "EXPORTS"]);
  const listed = def
    .slice(2)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  expect(listed).toEqual([...called].sort());
  expect(listed.length).toBeGreaterThan(20);
});

test("memory_win32.c writes StackLimit and DeallocationStack at the x86_64-win64 context offsets", () => {
  const text = readFileSync(join(addonDir, "memory_win32.c"), "utf8");
  const define = (name: string) => Number(new RegExp(`#define ${name} (\\d+)`).exec(text)?.[1]);
  expect(define("CONTEXT_STACK_LIMIT")).toBe(x86_64Win64.context.slot("StackLimit").offset);
  expect(define("CONTEXT_DEALLOCATION_STACK")).toBe(
    x86_64Win64.context.slot("DeallocationStack").offset,
  );
});
