/**
 * An executable form of the {@link StackAllocator} contract.
 *
 * The contract is written down in `stack-allocator.ts`, but allocators live
 * in several packages (the emulated one here, the native one in
 * `@greenthreads/switch`), and prose is easy to misread. So the rules are
 * also a function: give it an allocator and it exercises allocation,
 * release, the guard, every kind of bad input and the "a failing call
 * changes nothing" promise, and lists every rule that did not hold. Each
 * implementation's tests call it, so all of them are held to the same rules.
 *
 * @module
 */
import { StackError, type StackErrorCode } from "./errors.js";
import type { Stack } from "./stack.js";
import type { StackAllocator } from "./stack-allocator.js";

/**
 * Options of {@link checkAllocatorContract}.
 *
 * @example
 * ```ts
 * import type { CheckAllocatorContractOptions } from "@greenthreads/stack";
 * const options: CheckAllocatorContractOptions = { checkMaximum: false };
 * ```
 */
export interface CheckAllocatorContractOptions {
  /**
   * Also allocate a stack of `maximumSize` (default true). Turn it off when
   * the maximum is large real memory.
   */
  readonly checkMaximum?: boolean;
}

/**
 * Exercises `allocator` against the {@link StackAllocator} contract and
 * returns a description of each rule that failed (an empty array means it
 * conforms). It allocates and releases stacks, so the allocator's
 * `allocated`/`released` counters grow; everything it allocates is released
 * again, so `live` ends where it started.
 *
 * @example
 * ```ts
 * import { memory } from "@greenthreads/isa";
 * import { checkAllocatorContract, EmulatedStackAllocator } from "@greenthreads/stack";
 * const stacks = new EmulatedStackAllocator({ memory: new memory.Memory(), base: 0x100000n, limit: 0x200000n });
 * console.log(checkAllocatorContract(stacks)); // []
 * ```
 */
export function checkAllocatorContract(
  allocator: StackAllocator,
  options: CheckAllocatorContractOptions = {},
): string[] {
  const problems: string[] = [];
  const fail = (rule: string) => problems.push(rule);
  const { pageSize, minimumSize, maximumSize, guardSize } = allocator;
  const page = BigInt(pageSize);

  const limits = [pageSize, minimumSize, maximumSize];
  if (!limits.every((n) => Number.isSafeInteger(n) && n > 0)) {
    fail(`pageSize, minimumSize and maximumSize must be positive integers: ${limits.join(", ")}`);
    return problems;
  }
  if (minimumSize % pageSize !== 0 || maximumSize % pageSize !== 0 || minimumSize > maximumSize) {
    fail("minimumSize and maximumSize must be page multiples with minimumSize <= maximumSize");
  }
  if (!Number.isSafeInteger(guardSize) || guardSize < 0 || guardSize % pageSize !== 0) {
    fail(`guardSize ${guardSize} must be 0 or a page multiple`);
  }
  const liveAtStart = allocator.stats().live;

  const checkStack = (stack: Stack, asked: number, what: string) => {
    if (stack.low % page !== 0n || stack.high % page !== 0n) {
      fail(`${what}: low and high must be page aligned`);
    }
    if (stack.high - stack.low !== BigInt(stack.size)) fail(`${what}: size must equal high - low`);
    if (stack.size < asked) fail(`${what}: size ${stack.size} is below the ${asked} asked for`);
    if (stack.guardSize !== guardSize) fail(`${what}: guardSize must be the allocator's`);
    if (!Object.isFrozen(stack)) fail(`${what}: the returned stack must be frozen`);
    if (!allocator.owns(stack)) fail(`${what}: owns() must be true for a live stack`);
    try {
      stack.memory.write64(stack.low, 0x1122334455667788n);
      stack.memory.write64(stack.high - 8n, 0x8877665544332211n);
      if (stack.memory.read64(stack.low) !== 0x1122334455667788n) {
        fail(`${what}: read64 must return what write64 wrote at low`);
      }
      const top = stack.memory.peek(stack.high - 8n, 8);
      if (top[0] !== 0x11 || top[7] !== 0x88) fail(`${what}: peek must see write64's bytes`);
      stack.memory.poke(stack.high - 8n, new Uint8Array(8));
      if (stack.memory.read64(stack.high - 8n) !== 0n)
        fail(`${what}: read64 must see poke's bytes`);
    } catch (e) {
      fail(`${what}: the usable region must be readable and writable (${String(e)})`);
    }
    if (guardSize > 0) {
      let faulted = false;
      try {
        stack.memory.read64(stack.low - 8n);
      } catch {
        faulted = true;
      }
      if (!faulted) fail(`${what}: read64 just below low (the guard) must throw`);
    }
  };

  const expectError = (code: StackErrorCode, what: string, run: () => unknown) => {
    const before = JSON.stringify(allocator.stats());
    try {
      run();
      fail(`${what}: must throw StackError ${code}, but returned`);
    } catch (e) {
      if (!(e instanceof StackError))
        fail(`${what}: must throw StackError ${code}, threw ${String(e)}`);
      else if (e.code !== code) fail(`${what}: must throw ${code}, threw ${e.code}`);
    }
    if (JSON.stringify(allocator.stats()) !== before) fail(`${what}: stats must be unchanged`);
  };

  let a: Stack | undefined;
  let b: Stack | undefined;
  try {
    a = allocator.allocate(minimumSize);
    checkStack(a, minimumSize, `allocate(${minimumSize})`);
    b = allocator.allocate(minimumSize);
    checkStack(b, minimumSize, "a second allocate");
    if (a === b) fail("two allocations must return two stacks");
    else if (a.low - BigInt(a.guardSize) < b.high && b.low - BigInt(b.guardSize) < a.high) {
      fail("two live stacks (with their guards) must not overlap");
    }
  } catch (e) {
    fail(`allocate(minimumSize) must succeed on a fresh allocator (${String(e)})`);
  }

  const bad: [unknown, StackErrorCode][] = [
    [0, "ZERO_SIZE"],
    [-pageSize, "NEGATIVE_SIZE"],
    [minimumSize + 0.5, "NOT_INTEGER"],
    [Number.NaN, "NOT_INTEGER"],
    [maximumSize + pageSize, "ABOVE_MAXIMUM"],
  ];
  if (minimumSize > pageSize) bad.push([minimumSize - pageSize, "BELOW_MINIMUM"]);
  if (pageSize > 1 && minimumSize + pageSize <= maximumSize) {
    bad.push([minimumSize + 1, "NOT_PAGE_MULTIPLE"]);
  }
  for (const [size, code] of bad) {
    expectError(code, `allocate(${String(size)})`, () => allocator.allocate(size as number));
  }

  if (a) {
    expectError("FOREIGN_STACK", "releasing a copy of a live stack", () =>
      allocator.release({ ...a! }),
    );
    try {
      allocator.release(a);
      if (allocator.owns(a)) fail("owns() must be false after release");
    } catch (e) {
      fail(`release of a live stack must succeed (${String(e)})`);
    }
    expectError("DOUBLE_RELEASE", "releasing a stack twice", () => allocator.release(a!));
  }
  if (b) allocator.release(b);

  if (options.checkMaximum ?? true) {
    try {
      const big = allocator.allocate(maximumSize);
      checkStack(big, maximumSize, `allocate(maximumSize ${maximumSize})`);
      allocator.release(big);
    } catch (e) {
      fail(`allocate(maximumSize) must succeed when nothing else is live (${String(e)})`);
    }
  }
  if (allocator.stats().live !== liveAtStart) fail("live must end where it started");
  return problems;
}
