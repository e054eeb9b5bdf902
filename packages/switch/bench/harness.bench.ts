/**
 * Native switch benchmark: nanoseconds per switch of the generated routine of
 * the host's ABI, next to Boost.Context's `jump_fcontext`, both measured by
 * one C program in one run (native/harness/bench.c: ping-pong between main
 * and one thread, several rounds alternating the two, medians of wall time and
 * of thread CPU time).
 *
 * Run: `pnpm --filter @greenthreads/switch bench:harness [round trips] [rounds]`
 * (fewer of both with --quick). With GREENTHREADS_BENCH_JSON set, the
 * routines' thread-CPU-time medians are also appended as JSON lines for the
 * report, the rounds' fastest and slowest as the spread, Boost as the peer.
 * Boost.Context comes from Debian's libboost-context-dev; it is linked
 * statically when its archive is installed (a call then costs the same as a
 * call of our routine: no PLT), else from the shared library. Without it the
 * peer's line says `skipped: libboost-context-dev not installed`.
 *
 * A third line measures the addon's switch pair (`gt_switch_lowered` into a
 * thread, `gt_switch_to_host` back: only the callee-saved registers lowered
 * code can write, no float state), with a thread written as lowered code is.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAbi, routines } from "@greenthreads/isa";
import {
  type BenchRow,
  quickMode,
  rowFromSamples,
  writeBenchRows,
} from "../../isa/bench/bench-json.js";
import {
  compileHarness,
  HarnessCommandError,
  harnessTargets,
  PACKAGE_DIR,
  runHarness,
} from "../scripts/harness-toolchains.js";

const { routineSymbol } = routines;

const quick = quickMode();
const [iterations = quick ? "1000000" : "5000000", rounds = quick ? "3" : "9"] = process.argv
  .slice(2)
  .filter((a) => a !== "--quick");
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
  // The addon's switch pair: into a thread through gt_switch_lowered, back
  // through gt_switch_to_host, with a thread written as lowered code is
  // (native/harness/generated, gt_pingpong_lowered): the pair keeps only the
  // registers lowered code writes, so the thread may write no others; main is
  // C, and keeps every register the thread leaves alone.
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
  writeBenchRows(harnessRows(output));
  const ratio = /^variant ratio wall ([0-9.]+) cpu ([0-9.]+)$/m.exec(output);
  if (ratio) {
    const cpu = Number(ratio[2]);
    console.log(
      `target: ${host.abi} switch pair (gt_switch_lowered, gt_switch_to_host) <= 0.60x Boost.Context (thread CPU time): ${cpu <= 0.6 ? "met" : "not met"} (${cpu.toFixed(2)}x)`,
    );
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

/** One row per routine from the harness's "… cpu median … (rounds: …)" lines; Boost.Context is the peer. */
function harnessRows(output: string): BenchRow[] {
  const rounds = (prefix: string): number[] | undefined => {
    const line = output.split("\n").find((l) => l.startsWith(prefix) && l.includes(" cpu median "));
    const list = line && /\(rounds: ([0-9. ]+)\)/.exec(line)?.[1];
    return list ? list.trim().split(/\s+/).map(Number) : undefined;
  };
  const group = "machine-switch";
  const boostRounds = rounds("peer boost");
  const boost = boostRounds
    ? rowFromSamples(
        { name: "Boost.Context jump_fcontext (C ping-pong)", unit: "ns", group },
        boostRounds,
      )
    : undefined;
  const rows: BenchRow[] = [];
  const ours = rounds("routine ");
  if (ours) {
    rows.push(
      rowFromSamples(
        { name: `native switch ${host!.abi}, generated routine (C ping-pong)`, unit: "ns", group },
        ours,
        boost,
      ),
    );
  }
  const variant = rounds("variant ");
  if (variant) {
    rows.push(
      rowFromSamples(
        {
          name: `native switch ${host!.abi}, gt_switch_lowered + gt_switch_to_host (C ping-pong, lowered-code thread)`,
          unit: "ns",
          group,
        },
        variant,
        boost,
      ),
    );
  }
  return boost ? [...rows, boost] : rows;
}
