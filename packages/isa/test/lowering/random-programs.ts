/**
 * Random but well-formed thread programs for differential tests: arithmetic
 * on random values (edge values likely), forward branches, stack traffic,
 * calls of a subroutine, yields of intermediate results, and host calls and
 * yields whose result register is also an operand (`hostcall h(r1) -> r1`),
 * so a wrong instruction selection on any ISA shows up as a different trap
 * value, and a resume value written at the wrong time shows up as a
 * different host-call argument. Shared by the isa's lowering test and the
 * switch package's differential test.
 */
const EDGE = [0n, 1n, -1n, 2n, 63n, 64n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n];
const EDGE64 = [0x7fffffffffffffffn, -0x8000000000000000n, 0x123456789abcdefn, -0x5a5a5a5a5a5an];
const ALU = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr", "sar"];
const CONDS = ["beq", "bne", "blt", "ble", "bgt", "bge", "bltu", "bleu", "bgtu", "bgeu"];

/** A small deterministic generator (SplitMix64, 53-bit outputs). */
function rng(seed: number): () => number {
  let s = BigInt(seed) * 0x9e3779b97f4a7c15n;
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
  };
}

export function randomProgram(seed: number): { source: string; budget?: bigint } {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const reg = () => `r${Math.floor(random() * 8)}`;
  const imm = (): bigint => {
    const r = random();
    if (r < 0.4) return pick(EDGE);
    if (r < 0.6) return pick(EDGE64);
    return BigInt(Math.floor(random() * 2 ** 20)) - 2n ** 19n;
  };
  const src = () => (random() < 0.5 ? reg() : String(imm()));
  const lines: string[] = [];
  for (let r = 0; r < 8; r++) lines.push(`  mov r${r}, ${imm()}`);
  const blocks = 3 + Math.floor(random() * 5);
  for (let b = 0; b < blocks; b++) {
    lines.push(`b${b}:`);
    const n = 2 + Math.floor(random() * 6);
    for (let i = 0; i < n; i++) {
      const kind = random();
      if (kind < 0.55) lines.push(`  ${pick(ALU)} ${reg()}, ${reg()}, ${src()}`);
      else if (kind < 0.65) lines.push(`  push ${src()}`);
      else if (kind < 0.72) lines.push(`  pop ${reg()}`);
      else if (kind < 0.8)
        lines.push(`  load ${reg()}, stack[${reg()} + ${Math.floor(random() * 4) - 1}]`);
      else if (kind < 0.85) lines.push(`  store stack[${Math.floor(random() * 3)}], ${src()}`);
      else if (kind < 0.88) lines.push(`  yield ${reg()}`);
      else if (kind < 0.9) {
        const r = reg();
        lines.push(`  yield ${r} -> ${r}`);
      } else if (kind < 0.92) {
        const r = reg();
        lines.push(`  hostcall h(${r}, ${reg()}) -> ${r}`);
      } else if (kind < 0.93) lines.push("  call sub");
      else if (b + 1 < blocks) {
        // Forward branches only, so every program ends.
        const target = Math.min(blocks - 1, b + 1 + Math.floor(random() * 2));
        lines.push(`  ${pick(CONDS)} ${reg()}, ${src()}, b${target}`);
      } else lines.push(`  ${pick(ALU)} ${reg()}, ${reg()}, ${src()}`);
    }
    lines.push(`  yield ${reg()}`);
  }
  lines.push(`  exit ${reg()}`);
  // A subroutine: a little arithmetic on r0 and a host call, then back.
  lines.push("sub:", `  ${pick(ALU)} r0, r0, ${src()}`, "  hostcall g(r0) -> r1", "  ret");
  const budget = random() < 0.3 ? BigInt(1 + Math.floor(random() * 9)) : undefined;
  return budget === undefined ? { source: lines.join("\n") } : { source: lines.join("\n"), budget };
}
