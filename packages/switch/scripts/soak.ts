/**
 * Soak: a million machine-thread spawn/exit cycles in one synchronous run,
 * printing RSS, V8 heap and external memory every 10%, and whether RSS
 * stayed flat (within 16 MiB of its value after the first 10%).
 *
 * At each 10% mark the script prints RSS as it is, then runs a full garbage
 * collection (`gc()`, synchronous: it runs no finalizer callback and gives
 * the event loop no turn) and prints RSS again. The flat test uses the
 * second figure: the JavaScript garbage of the last cycles (a few hundred
 * bytes each, collected by the next GC) swings RSS by tens of MiB, which
 * says nothing about memory that is retained.
 *
 * Two ways through the code, each in its own child process so that one
 * does not inherit the other's heap:
 *
 * - `backend`: `backend.spawn` → `resume` (yield) → `resume` (exit) →
 *   `release`, on the native backend.
 * - `runtime`: one `Runtime.run()` in which a JavaScript thread spawns each
 *   machine thread with `spawnMachine(rt, ...)` and joins it. This is the one
 *   place that measures the switch and scheduler packages together; it
 *   imports the scheduler from source and is not part of any package's
 *   build.
 *
 * Neither gives the event loop a turn until the end: memory that only
 * comes back after a turn (a Node-API finalizer, a FinalizationRegistry
 * callback) would show here as growth.
 *
 * - `texts-native` and `texts-emulated`: one `Runtime.run()` that spawns
 *   each machine thread from program text with `spawnMachine(rt, text)`,
 *   cycling through 1,000 distinct texts: the loaded-program cache keeps one
 *   loaded program per text (PROGRAM_CACHE_SIZE holds them all), so memory
 *   must stay flat however long a service spawns from text, on either
 *   backend.
 *
 * Usage: tsx --conditions=@greenthreads/source scripts/soak.ts [cycles] [backend|runtime|texts-native|texts-emulated|both|all]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseProgram } from "@greenthreads/isa";
import { loadBackend, NativeBackend } from "../src/index.js";

const MiB = 1024 * 1024;
const FLAT_MIB = 16;
const [cyclesText = "1000000", via = "both", child] = process.argv.slice(2);
const cycles = Number(cyclesText);
if (!Number.isSafeInteger(cycles) || cycles < 10) {
  console.error("soak: cycles must be an integer of at least 10");
  process.exit(2);
}

function mib(n: number): string {
  return `${(n / MiB).toFixed(1).padStart(7)} MiB`;
}

/** Runs `cycle` `cycles` times, printing memory every 10%; returns whether RSS stayed flat. */
function measure(name: string, run: (cycles: number, tick: (i: number) => void) => void): boolean {
  const tenth = cycles / 10;
  const rss: number[] = [];
  const started = Date.now();
  const gc = (globalThis as { gc?: () => void }).gc;
  const report = (done: number) => {
    const before = process.memoryUsage().rss;
    gc?.();
    const m = process.memoryUsage();
    rss.push(m.rss);
    console.log(
      `${name.padEnd(8)} ${String(Math.round((done / cycles) * 100)).padStart(3)}%  ${String(done).padStart(8)} cycles  rss ${mib(before)}  after gc ${mib(m.rss)}  heap ${mib(m.heapUsed)}  external ${mib(m.external)}  ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  };
  report(0);
  run(cycles, (i) => {
    if ((i + 1) % tenth === 0) report(i + 1);
  });
  const growth = Math.max(...rss.slice(1)) - rss[1]!;
  const flat = growth <= FLAT_MIB * MiB;
  console.log(
    `${name.padEnd(8)} rss after gc: start ${mib(rss[0]!)}, at 10% ${mib(rss[1]!)}, end ${mib(rss.at(-1)!)}; largest growth after 10%: ${mib(growth)} (${flat ? "flat" : "NOT flat"}: limit ${FLAT_MIB} MiB)`,
  );
  return flat;
}

const source = "yield 1\nexit 2";

function viaBackend(n: number, tick: (i: number) => void): void {
  const backend = new NativeBackend();
  const program = backend.load(parseProgram(source));
  for (let i = 0; i < n; i++) {
    const thread = backend.spawn(program);
    backend.resume(thread);
    if (backend.resume(thread).kind !== "exit") throw new Error("soak: the thread did not exit");
    backend.release(thread);
    tick(i);
  }
}

if (child === "child") {
  if (via === "backend") process.exitCode = measure("backend", viaBackend) ? 0 : 1;
  else {
    // Load the scheduler first, so that the measured run is synchronous.
    const { join, Runtime } = await import("../../scheduler/src/index.js");
    const { spawnMachine } = await import("../../scheduler/src/machine/index.js");
    const viaRuntime = (n: number, tick: (i: number) => void) => {
      const backend = new NativeBackend();
      const program = parseProgram(source);
      const rt = new Runtime();
      rt.spawn(function* () {
        for (let i = 0; i < n; i++) {
          const thread = spawnMachine(rt, program, { backend });
          if ((yield* join(thread)) !== 2n) throw new Error("soak: the thread did not exit with 2");
          tick(i);
        }
      });
      rt.run();
    };
    const viaTexts = (kind: "native" | "emulated") => (n: number, tick: (i: number) => void) => {
      const backend =
        kind === "native"
          ? new NativeBackend()
          : loadBackend({ prefer: "emulated", abi: "x86_64-sysv" });
      // 1,000 distinct programs: the same shape with a different exit code.
      const texts = Array.from({ length: 1000 }, (_, i) => `yield 1\nexit ${i}`);
      const rt = new Runtime();
      rt.spawn(function* () {
        for (let i = 0; i < n; i++) {
          const code = i % texts.length;
          const thread = spawnMachine(rt, texts[code]!, { backend });
          if ((yield* join(thread)) !== BigInt(code)) throw new Error("soak: wrong exit code");
          tick(i);
        }
      });
      rt.run();
    };
    if (via === "runtime") process.exitCode = measure("runtime", viaRuntime) ? 0 : 1;
    else if (via === "texts-native")
      process.exitCode = measure("texts/n", viaTexts("native")) ? 0 : 1;
    else process.exitCode = measure("texts/e", viaTexts("emulated")) ? 0 : 1;
  }
} else {
  let failed = false;
  const modes =
    via === "both"
      ? ["backend", "runtime"]
      : via === "all"
        ? ["backend", "runtime", "texts-native", "texts-emulated"]
        : [via];
  for (const name of modes) {
    const result = spawnSync(
      process.execPath,
      [
        "--expose-gc",
        "--conditions=@greenthreads/source",
        "--import",
        "tsx",
        fileURLToPath(import.meta.url),
        String(cycles),
        name,
        "child",
      ],
      { stdio: "inherit" },
    );
    failed ||= result.status !== 0;
  }
  process.exitCode = failed ? 1 : 0;
}
