/**
 * A short soak of native spawn/release in one synchronous run, counting
 * resources rather than measuring memory: every cycle must give back its
 * stack mappings and its thread slot before the next begins, with no turn
 * of the event loop (the full soak, with RSS figures, is `pnpm soak`).
 */
import { parseProgram } from "@greenthreads/isa";
import { expect } from "vitest";
import { NativeBackend } from "../src/index.js";
import { HAS_PROC_MAPS, mappings } from "./maps.js";
import { testWhen } from "./native-test.js";

const backend = (() => {
  try {
    return new NativeBackend();
  } catch {
    return undefined;
  }
})();
const withMaps = testWhen(
  backend !== undefined && HAS_PROC_MAPS,
  "native addon not built or no /proc/self/maps",
);

withMaps(
  "20,000 spawn/resume/release cycles in one synchronous run reuse one thread slot and leave the mappings as they were",
  () => {
    const b = backend!;
    const program = b.load(parseProgram("yield 1\nexit 2"));
    const ids = new Set<number>();
    const before = { ours: b.addon.mappings().ours, process: mappings().length };
    const stats = b.stacks.stats();
    for (let i = 0; i < 20_000; i++) {
      const thread = b.spawn(program);
      ids.add((thread as unknown as { id: number }).id);
      expect(b.resume(thread)).toEqual({ kind: "yield", value: 1n });
      expect(b.resume(thread)).toEqual({ kind: "exit", code: 2n });
      b.release(thread);
    }
    expect(ids.size).toBe(1);
    expect(b.addon.mappings().ours).toBe(before.ours);
    // V8 may map a few pages of its own meanwhile; twenty thousand stacks would be forty thousand.
    expect(Math.abs(mappings().length - before.process)).toBeLessThan(200);
    const after = b.stacks.stats();
    expect(after.live).toBe(stats.live);
  },
  120_000,
);
