/**
 * Native switch benchmark: nanoseconds per switch of the generated routine of
 * the host's ABI, next to Boost.Context's `jump_fcontext`, both measured by
 * one C program in one run (native/harness/bench.c: ping-pong between main
 * and one thread, several rounds alternating the two, medians of wall time and
 * of thread CPU time).
 *
 * Run: `pnpm --filter @greenthreads/switch bench:harness [round trips] [rounds]`.
 * Boost.Context comes from Debian's libboost-context-dev; it is linked
 * statically when its archive is installed (a call then costs the same as a
 * call of our routine: no PLT), else from the shared library. Without it the
 * peer's line says `skipped: libboost-context-dev not installed`.
 *
 * A third line measures the lowered switch (`gt_switch_lowered`, the one the
 * addon runs between the host and lowered programs: only the callee-saved
 * registers lowered code can write, no float state). With
 * GREENTHREADS_BENCH_JSON naming a file, one JSON line per routine is
 * appended: name, unit, value, peer (Boost.Context), ratio.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAbi, routineSymbol } from "@greenthreads/isa";
import {
  compileHarness,
  HarnessCommandError,
  harnessTargets,
  PACKAGE_DIR,
  runHarness,
} from "../scripts/harness-toolchains.js";

const [iterations = "5000000", rounds = "9"] = process.argv.slice(2);
const host = harnessTargets().find((t) => t.how === "native");
if (!host) {
  console.log(
    `skipped: no generated routine for ${process.platform}/${process.arch} runs natively`,
  );
  process.exit(0);
}
if (host.missing) {
  console.log(`skipped: ${host.missing} not installed`);
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), "greenthreads-harness-bench-"));
try {
  // Boost.Context: the static archive first, then the shared library, else without the peer.
  const attempts: { flags: string[]; libraries: string[] }[] = [
    { flags: ['-DGT_BOOST="static libboost_context.a"'], libraries: ["-l:libboost_context.a"] },
    { flags: ['-DGT_BOOST="shared libboost_context.so"'], libraries: ["-lboost_context"] },
    { flags: [], libraries: [] },
  ];
  // The lowered switch (committed in the same switch_* file), against a thread
  // written as lowered code is (native/harness/generated, gt_pingpong_lowered):
  // it keeps only the registers lowered code writes, so the thread may write
  // no others; main is C, and keeps every register the thread leaves alone.
  const abi = getAbi(host.abi);
  const variantSymbol = routineSymbol("switch_lowered", abi.name);
  const variantFlags = [
    `-DGT_VARIANT=${variantSymbol}`,
    `-DGT_VARIANT_THREAD=gt_pingpong_lowered_${host.cName}`,
  ];

  let exe: string | undefined;
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      exe = compileHarness(host, "bench.c", work, {
        extraFlags: [...attempt.flags, ...variantFlags],
        libraries: attempt.libraries,
        name: "bench",
      });
      break;
    } catch (e) {
      lastError = e;
    }
  }
  if (!exe) {
    throw lastError instanceof HarnessCommandError ? new Error(lastError.message) : lastError;
  }
  const output = runHarness(host, exe, [iterations, rounds]);
  console.log(output.trimEnd());
  // Rows: ns per switch (thread CPU time) of each routine, next to Boost.Context's.
  const cpuMedian = (what: string) =>
    Number(new RegExp(`^${what} cpu median ([0-9.]+) ns/switch`, "m").exec(output)?.[1]);
  const peer = cpuMedian("peer boost jump_fcontext \\([^)]*\\)");
  const rows = [
    {
      name: `C ping-pong: gt_switch (${host.abi})`,
      value: cpuMedian(`routine gt_switch_${host.cName}`),
      target: undefined,
    },
    {
      name: `C ping-pong: gt_switch_lowered (${host.abi})`,
      value: cpuMedian(`variant ${variantSymbol}`),
      target: 0.6,
    },
  ];
  for (const r of rows) {
    const ratio = r.value / peer;
    const verdict =
      r.target === undefined
        ? ""
        : ` (target <= ${r.target}x: ${ratio <= r.target ? "met" : "not met"})`;
    console.log(
      `${r.name}: ${r.value.toFixed(2)} ns/switch, ${ratio.toFixed(2)}x Boost jump_fcontext${verdict}`,
    );
  }
  const json = process.env.GREENTHREADS_BENCH_JSON;
  if (json && Number.isFinite(peer)) {
    for (const r of rows) {
      appendFileSync(
        json,
        `${JSON.stringify({ name: r.name, unit: "ns/switch", value: r.value, peer, ratio: r.value / peer })}\n`,
      );
    }
  }

  // The routine must end in an indirect jump: a `ret` would mispredict on every switch.
  const name = `switch_${host.cName}_${host.format}_gas.S`;
  const text = readFileSync(join(PACKAGE_DIR, "native", "asm", name), "utf8");
  const instructions = text
    .split("\n")
    .filter((l) => /^\s+[a-z]/.test(l) && !/^\s+\./.test(l))
    .map((l) => l.trim());
  const usesRet = instructions.some((i) => /^ret\b/.test(i));
  console.log(
    `${name}: ${instructions.length} instructions, ends with "${instructions.at(-1)}"; ` +
      (usesRet ? "WARNING: contains ret" : "no ret (the ret-ending variant is not used)"),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
