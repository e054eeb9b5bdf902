/**
 * Seeded pseudo-random numbers: xoshiro128** 1.1 (Blackman and Vigna) for the
 * stream, seeded through SplitMix64 as its authors recommend. Pure 32-bit
 * integer arithmetic, so a draw costs a few nanoseconds and allocates nothing.
 */
import { SchedulerError } from "./errors.js";

const MASK64 = (1n << 64n) - 1n;

/**
 * SplitMix64 (Steele, Lea, Flood): returns a function producing 64-bit values.
 * It turns any seed, even 0 or 1, into well-mixed state for {@link Xoshiro128}.
 *
 * @example
 * ```ts
 * import { splitMix64 } from "@greenthreads/scheduler";
 * const next = splitMix64(1n);
 * console.log(next(), next()); // 10451216379200822465n 13757245211066428519n
 * ```
 */
export function splitMix64(seed: bigint): () => bigint {
  let s = BigInt.asUintN(64, seed);
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & MASK64;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  };
}

/**
 * A seed: a safe integer or a bigint (taken modulo 2^64).
 *
 * @example
 * ```ts
 * import { Random, type Seed, Xoshiro128 } from "@greenthreads/scheduler";
 * const seed: Seed = 2n ** 64n + 5n; // the same stream as seed 5
 * console.log(new Xoshiro128(seed).nextUint32() === new Xoshiro128(5).nextUint32()); // true
 * const policy = new Random({ seed });
 * ```
 */
export type Seed = number | bigint;

export function checkSeed(seed: unknown, where: string): bigint {
  if (typeof seed === "bigint") return seed;
  if (typeof seed === "number" && Number.isSafeInteger(seed)) return BigInt(seed);
  throw new SchedulerError(
    `${where}: seed must be a safe integer or a bigint, got ${String(seed)}`,
    { code: "BAD_ARGUMENT" },
  );
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A seeded xoshiro128** stream: the random numbers behind {@link Random},
 * {@link PCT} and `explore()`. Public so a custom policy can make its random
 * decisions the same reproducible way, from a {@link Seed}.
 *
 * @example
 * ```ts
 * import { Xoshiro128 } from "@greenthreads/scheduler";
 * const rng = new Xoshiro128(42);
 * console.log(rng.nextUint32(), rng.nextInt(6), rng.nextFloat() < 1); // 1776835114 5 true
 * ```
 */
export class Xoshiro128 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: Seed = 0) {
    const next = splitMix64(checkSeed(seed, "Xoshiro128"));
    const x = next();
    const y = next();
    this.a = Number(x & 0xffffffffn) | 0;
    this.b = Number(x >> 32n) | 0;
    this.c = Number(y & 0xffffffffn) | 0;
    this.d = Number(y >> 32n) | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Seed the state directly (four 32-bit words, not all zero); for tests against the C reference. */
  static fromState(s0: number, s1: number, s2: number, s3: number): Xoshiro128 {
    const r = new Xoshiro128(0);
    r.a = s0 | 0;
    r.b = s1 | 0;
    r.c = s2 | 0;
    r.d = s3 | 0;
    return r;
  }

  /** The next value, an unsigned 32-bit integer. */
  nextUint32(): number {
    const s1 = this.b;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.c ^= this.a;
    this.d ^= s1;
    this.b = s1 ^ this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n), n <= 2^32 (multiply-shift; bias below n / 2^32). */
  nextInt(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }
}
