import { parseProgram } from "@greenthreads/isa";
import { dumpStack, formatStackDump } from "@greenthreads/stack";
import { describe, expect, test } from "vitest";
import { type Backend, loadBackend, SwitchError } from "../src/index.js";

const backends: [string, () => Backend][] = [
  ["emulated x86_64-sysv", () => loadBackend({ prefer: "emulated", abi: "x86_64-sysv" })],
  ["emulated aarch64-aapcs64", () => loadBackend({ prefer: "emulated", abi: "aarch64-aapcs64" })],
];
const native = loadBackend({ prefer: "native" });
if (native.kind === "native") backends.unshift(["native", () => native]);

describe.each(backends)("savedStackPointer on %s", (_, make) => {
  test("points at the words a suspended program pushed, so a dump shows them", () => {
    const backend = make();
    const thread = backend.spawn(
      backend.load(parseProgram("push 0x111\npush 0x222\npush 0x333\nyield 0\nexit 0")),
    );
    expect(backend.savedStackPointer(thread)).toBeLessThanOrEqual(thread.stack.high);
    backend.resume(thread);
    const sp = backend.savedStackPointer(thread);
    expect(sp).toBeGreaterThanOrEqual(thread.stack.low);
    expect(sp).toBeLessThan(thread.stack.high);
    // The ABI may round the machine stack pointer down below the program's: look a few words up.
    const words: bigint[] = [];
    for (let at = sp; at < thread.stack.high && words.length < 5; at += 8n) {
      words.push(thread.stack.memory.read64(at));
    }
    const at = words.indexOf(0x333n);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(words.slice(at, at + 3)).toEqual([0x333n, 0x222n, 0x111n]);
    const text = formatStackDump(
      dumpStack(thread.stack, { sp, from: sp, to: thread.stack.high }),
    ).join("\n");
    expect(text).toContain("0x0000000000000333");
    backend.resume(thread);
    backend.release(thread);
    expect(() => backend.savedStackPointer(thread)).toThrow(SwitchError);
  });
});
