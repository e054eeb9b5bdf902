import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseProgram } from "@greenthreads/isa";
import { expect } from "vitest";
import { RawCodeBackend } from "../src/native/raw-code.js";
import { testWhen } from "./native-test.js";
import { TYPESCRIPT_CHILD_FLAGS } from "./typescript-child.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const backend = (() => {
  try {
    return new RawCodeBackend();
  } catch {
    return undefined;
  }
})();
const withAddon = testWhen(backend !== undefined, "native addon not built");

/** Pushes forever: falls off the stack into the guard page. */
const PUSH_FOREVER: Record<string, Uint8Array> = {
  // loop: push rax; jmp loop
  "x86_64-sysv": Uint8Array.of(0x50, 0xeb, 0xfd),
  // loop: str x0, [sp, #-16]!; b loop
  "aarch64-aapcs64": Uint8Array.of(0xe0, 0x0f, 0x1f, 0xf8, 0xff, 0xff, 0xff, 0x17),
};
/** Reads address 8: a fault that is not a stack overflow. */
const READ_NULL: Record<string, Uint8Array> = {
  // mov rax, [8]
  "x86_64-sysv": Uint8Array.of(0x48, 0x8b, 0x04, 0x25, 0x08, 0x00, 0x00, 0x00),
  // mov x1, #8; ldr x0, [x1]
  "aarch64-aapcs64": Uint8Array.of(0x01, 0x01, 0x80, 0xd2, 0x20, 0x00, 0x40, 0xf9),
};

withAddon("the addon installed its SIGSEGV/SIGBUS handler", () => {
  expect(backend!.addon.faultHandlerInstalled()).toBe(true);
});

withAddon(
  "raw code that runs into the guard page becomes a stack-overflow fault trap, and the process goes on",
  () => {
    const b = backend!;
    const thread = b.spawn(b.loadRaw(PUSH_FOREVER[b.abi.name]!), { stackSize: 8192 });
    expect(b.resume(thread)).toEqual({
      kind: "fault",
      fault: "stack-overflow",
      details: { instruction: -1, line: 0 },
    });
    expect(thread.state).toBe("faulted");
    const [signal, address] = b.addon.threadFault((thread as unknown as { id: number }).id);
    expect(signal).toBe(11);
    expect(address).toBeLessThan(thread.stack.low);
    expect(address).toBeGreaterThanOrEqual(thread.stack.low - BigInt(thread.stack.guardSize));
    expect(() => b.resume(thread)).toThrow(expect.objectContaining({ code: "THREAD_FINISHED" }));
    b.release(thread);
    // Everything still works, including a second fault.
    const again = b.spawn(b.loadRaw(READ_NULL[b.abi.name]!));
    expect(b.resume(again)).toMatchObject({ kind: "fault", fault: "out-of-bounds" });
    b.release(again);
    const ok = b.spawn(b.load(parseProgram("yield 5\nexit 6")));
    expect(b.resume(ok)).toEqual({ kind: "yield", value: 5n });
    expect(b.resume(ok)).toEqual({ kind: "exit", code: 6n });
    b.release(ok);
  },
);

withAddon("a fault outside a green thread is not swallowed", async () => {
  // Load the addon, then crash on purpose outside any green thread: the process must die of SIGSEGV.
  const script = `const a = require("node-gyp-build")(${JSON.stringify(root)}); a.empty(); process.kill(process.pid, "SIGSEGV");`;
  const result = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });
  expect(result.signal).toBe("SIGSEGV");
});

withAddon(
  "the addon's resume() checks the selected id: a released, unknown or faulted thread throws BAD_THREAD",
  () => {
    const b = backend!;
    const { addon } = b;
    const selection = new Uint32Array(addon.selection);
    const idOf = (t: object) => (t as unknown as { id: number }).id;
    const refused = (id: number) => {
      selection[0] = id;
      try {
        addon.resume();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return "ran";
    };
    const released = b.spawn(b.load(parseProgram("yield 7\nexit 0")));
    expect(b.resume(released)).toEqual({ kind: "yield", value: 7n });
    b.release(released);
    // The last trap outlives the control block.
    expect(released.lastTrap).toEqual({ kind: "yield", value: 7n });
    expect(refused(idOf(released))).toBe("BAD_THREAD");
    expect(refused(0xffffffff)).toBe("BAD_THREAD");
    const faulted = b.spawn(b.loadRaw(READ_NULL[b.abi.name]!));
    expect(b.resume(faulted).kind).toBe("fault");
    expect(refused(idOf(faulted))).toBe("BAD_THREAD");
    b.release(faulted);
    // A live thread selected the same way runs.
    const live = b.spawn(b.load(parseProgram("yield 1\nexit 0")));
    expect(refused(idOf(live))).toBe("ran");
    b.release(live);
  },
);

withAddon(
  'a process.on("SIGSEGV") listener replaces the fault handler: faultHandlerInstalled() says so, the addon puts it back, and a guard-page hit is still a fault trap',
  () => {
    const result = spawnSync(
      process.execPath,
      [...TYPESCRIPT_CHILD_FLAGS, "test/fixtures/fault-replaced-child.ts"],
      { cwd: root, encoding: "utf8", timeout: 60_000 },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const overflow = {
      kind: "fault",
      fault: "stack-overflow",
      details: { instruction: -1, line: 0 },
    };
    expect(JSON.parse(result.stdout)).toEqual({
      loaded: true,
      afterListener: false,
      firstTrap: overflow,
      afterSpawn: true,
      afterSecondListener: true,
      secondTrap: overflow,
      afterRemoval: true,
      thirdTrap: overflow,
      // Replaced at the first listener, reset at its removal, replaced at the next, reset at the end.
      reinstalls: 4,
    });
  },
  60_000,
);
