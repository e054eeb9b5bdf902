import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseProgram } from "@greenthreads/isa";
import { highWaterMark, paint } from "@greenthreads/stack";
import { expect, test } from "vitest";
import { NativeBackend } from "../src/index.js";
import { HAS_PROC_MAPS, mappingAt } from "./maps.js";

const native = (() => {
  try {
    return new NativeBackend();
  } catch {
    return undefined;
  }
})();
const skip = !native || !HAS_PROC_MAPS;
const why = "(skipped: native addon not built or no /proc/self/maps)";

test.skipIf(skip)(
  `W^X: loaded code is r-x and no writable+executable mapping holds any of it ${why}`,
  () => {
    const backend = native!;
    const loaded = [1, 2, 3].map((n) =>
      backend.load(parseProgram(`yield ${n}\nexit 0`), { fuel: n === 2 }),
    );
    const threads = loaded.map((p) => backend.spawn(p));
    for (const t of threads) expect(backend.resume(t).kind).toBe("yield");
    for (const p of loaded) {
      const { address, codeSize } = p as unknown as { address: bigint; codeSize: number };
      expect(mappingAt(address)?.perms).toBe("r-xp");
      expect(mappingAt(address + BigInt(codeSize) - 1n)?.perms).toBe("r-xp");
    }
    for (const t of threads) {
      expect(mappingAt(t.stack.low)?.perms).toBe("rw-p");
      expect(mappingAt(t.stack.high - 1n)?.perms).toBe("rw-p");
    }
    for (const t of threads) backend.release(t);
  },
);

test.skipIf(skip)(
  `W^X: under node --jitless, no mapping of the process is both writable and executable ${why}`,
  () => {
    // V8's JIT keeps its own code pages rwx; --jitless removes them, so any w+x mapping left would be ours.
    const root = join(dirname(fileURLToPath(import.meta.url)), "..");
    const result = spawnSync(
      process.execPath,
      [
        "--jitless",
        // tsx registers its loader with module.register(), which Node 26 reports as deprecated.
        "--disable-warning=DEP0205",
        "--conditions=@greenthreads/source",
        "--import",
        "tsx",
        "test/fixtures/wx-child.ts",
      ],
      { cwd: root, encoding: "utf8" },
    );
    expect(result.stderr.replace(/.*disabling flag.*\n?/g, "")).toBe("");
    const report = JSON.parse(result.stdout) as { traps: string[]; wx: string[] };
    expect(report.traps).toEqual(["yield", "yield", "yield"]);
    expect(report.wx).toEqual([]);
  },
);

test.skipIf(skip)(
  `each native stack is rw-p with a ---p guard page directly below it ${why}`,
  () => {
    const backend = native!;
    const program = backend.load(parseProgram("exit 0"));
    const threads = [4096, 16384, 65536].map((stackSize) => backend.spawn(program, { stackSize }));
    for (const t of threads) {
      const usable = mappingAt(t.stack.low);
      const guard = mappingAt(t.stack.low - 1n);
      expect(usable?.perms).toBe("rw-p");
      expect(usable!.end).toBeGreaterThanOrEqual(t.stack.high);
      expect(guard?.perms).toBe("---p");
      expect(guard!.start).toBeLessThanOrEqual(t.stack.low - BigInt(backend.stacks.guardSize));
    }
    for (const t of threads) backend.release(t);
    // Released stacks are unmapped.
    expect(mappingAt(threads[0]!.stack.low)?.perms).not.toBe("rw-p");
  },
);

test.skipIf(skip)(
  `stack overflow hits the program's bounds check before the guard page ${why}`,
  () => {
    const backend = native!;
    const thread = backend.spawn(backend.load(parseProgram("loop:\n  push r0\n  jmp loop")), {
      stackSize: 4096,
    });
    expect(backend.resume(thread)).toEqual({
      kind: "fault",
      fault: "stack-overflow",
      details: { instruction: 0, line: 2 },
    });
    backend.release(thread);
  },
);

test.skipIf(!native)(
  "painting and the high-water mark work on native stacks (skipped: native addon not built)",
  () => {
    const backend = native!;
    const program = backend.load(
      parseProgram("push 1\npush 2\npush 3\npush 4\npush 5\npush 6\nyield 0\nexit 0"),
    );
    const thread = backend.spawn(program, { stackSize: 8192 });
    paint(thread.stack, undefined, { below: thread.stack.high - 16n });
    expect(highWaterMark(thread.stack)).toBe(16);
    backend.resume(thread);
    // Six words pushed below the initial frame (8 bytes on x86-64, none on AArch64).
    expect(highWaterMark(thread.stack)).toBeGreaterThanOrEqual(48);
    expect(thread.stack.memory.read64(thread.stack.high - 48n)).toBeLessThanOrEqual(6n);
    backend.release(thread);
    expect(() => thread.stack.memory.read64(thread.stack.high - 8n)).toThrow(/released/);
  },
);
