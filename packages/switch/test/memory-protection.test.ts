import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseProgram } from "@greenthreads/isa";
import { highWaterMark, paint } from "@greenthreads/stack";
import { expect } from "vitest";
import { NativeBackend, NativeStackAllocator } from "../src/index.js";
import { HAS_PROC_MAPS, mappingAt } from "./maps.js";
import { testWhen } from "./native-test.js";
import { TYPESCRIPT_CHILD_FLAGS } from "./typescript-child.js";

const native = (() => {
  try {
    return new NativeBackend();
  } catch {
    return undefined;
  }
})();
const withMaps = testWhen(
  native !== undefined && HAS_PROC_MAPS,
  "native addon not built or no /proc/self/maps",
);
const withAddon = testWhen(native !== undefined, "native addon not built");

withMaps("W^X: loaded code is r-x and no writable+executable mapping holds any of it", () => {
  const backend = native!;
  const loaded = [1, 2, 3].map((n) =>
    backend.load(parseProgram(`yield ${n}\nexit 0`), { fuel: n === 2 }),
  );
  const threads = loaded.map((p) => backend.spawn(p));
  for (const t of threads) expect(backend.resume(t).kind).toBe("yield");
  for (const p of loaded) {
    const { address, size: codeSize } = backend.codeRegion(p)!;
    expect(mappingAt(address)?.perms).toBe("r-xp");
    expect(mappingAt(address + BigInt(codeSize) - 1n)?.perms).toBe("r-xp");
  }
  for (const t of threads) {
    expect(mappingAt(t.stack.low)?.perms).toBe("rw-p");
    expect(mappingAt(t.stack.high - 1n)?.perms).toBe("rw-p");
  }
  for (const t of threads) backend.release(t);
});

withMaps(
  "W^X: under node --jitless, no mapping of the process is both writable and executable",
  () => {
    // V8's JIT keeps its own code pages rwx; --jitless removes them, so any w+x mapping left would be ours.
    const root = join(dirname(fileURLToPath(import.meta.url)), "..");
    const result = spawnSync(
      process.execPath,
      ["--jitless", ...TYPESCRIPT_CHILD_FLAGS, "test/fixtures/wx-child.ts"],
      { cwd: root, encoding: "utf8" },
    );
    expect(result.stderr.replace(/.*disabling flag.*\n?/g, "")).toBe("");
    const report = JSON.parse(result.stdout) as { traps: string[]; wx: string[] };
    expect(report.traps).toEqual(["yield", "yield", "yield"]);
    expect(report.wx).toEqual([]);
  },
);

withMaps(
  "each native stack is rw-p, with writable signal headroom and then a ---p guard below it",
  () => {
    const backend = native!;
    const { headroom, guardSize } = backend.stacks;
    expect(headroom).toBeGreaterThanOrEqual(backend.info.pageSize);
    const program = backend.load(parseProgram("exit 0"));
    const threads = [4096, 16384, 65536].map((stackSize) => backend.spawn(program, { stackSize }));
    for (const t of threads) {
      expect(t.stack.guardSize).toBe(headroom + guardSize);
      const usable = mappingAt(t.stack.low);
      expect(usable?.perms).toBe("rw-p");
      expect(usable!.end).toBeGreaterThanOrEqual(t.stack.high);
      // Headroom and usable stack are one mapping; the guard is the next one down.
      expect(usable!.start).toBe(t.stack.low - BigInt(headroom));
      const guard = mappingAt(usable!.start - 1n);
      expect(guard?.perms).toBe("---p");
      expect(guard!.start).toBeLessThanOrEqual(usable!.start - BigInt(guardSize));
    }
    for (const t of threads) backend.release(t);
    // Released stacks are unmapped.
    expect(mappingAt(threads[0]!.stack.low)?.perms).not.toBe("rw-p");
  },
);

withAddon(
  "a native stack allocator without a guard page is refused with SwitchError BAD_OPTIONS",
  () => {
    expect(() => new NativeStackAllocator({ guardSize: 0 })).toThrow(
      expect.objectContaining({
        name: "SwitchError",
        code: "BAD_OPTIONS",
        message: expect.stringMatching(/guardSize 0 is refused.*neighbouring mapping/),
      }),
    );
  },
);

withMaps("stack overflow hits the program's bounds check before the guard page", () => {
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
});

withAddon("painting and the high-water mark work on native stacks", () => {
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
});
