/**
 * Machine threads in the runtime: thread programs of `@greenthreads/isa`,
 * running on real (or emulated) stacks of `@greenthreads/switch`, scheduled
 * by the same policy as JavaScript threads.
 *
 * This is the entry point `@greenthreads/scheduler/machine`. The scheduler's
 * core (`@greenthreads/scheduler`) knows nothing of machines: it imports
 * neither the isa nor the switch package, so JavaScript threads alone bundle
 * for a browser and load no native code. Machine threads plug in as one more
 * kind of thread, through the public `ThreadDriver` contract:
 * `spawnMachine(rt, program, options)` loads the program (see
 * program-cache.ts), makes the machine thread on a backend, and spawns it
 * with `rt.spawnWith(driver, body)`; machine-driver.ts steps it.
 *
 * The budget is what JavaScript threads cannot have: a machine thread that
 * never yields is still preempted after `budget` instructions and goes back
 * to the policy, like any thread that yielded. Host calls are plain functions
 * because they run on the main stack, between two resumes, never on the
 * thread's stack.
 *
 * @module
 */
import { budgetProblem, type Program, parseProgram, verifyProgram } from "@greenthreads/isa";
import { type Backend, loadBackend } from "@greenthreads/switch";
import { type Runtime, SchedulerError, type Thread } from "../index.js";
import { defaultBudgetOf, MachineBody, MachineDriver } from "./machine-driver.js";
import type { MachineSpawnOptions } from "./machine-spawn-options.js";
import { loadObject, loadText, textKey } from "./program-cache.js";

const defaultBackends = new WeakMap<Runtime, Backend>();
const drivers = new WeakMap<Runtime, MachineDriver>();

/**
 * Spawn a machine thread on `rt`: a thread program of `@greenthreads/isa` (a
 * `Program`, or its source text) running on its own stack on a backend of
 * `@greenthreads/switch`, scheduled by the runtime's policy like any other
 * thread. Its value is the program's exit code; a fault makes it throw a
 * {@link MachineFaultError}. With a `budget` it is preempted after that many
 * instructions; without one, only under `runAsync()` (see
 * {@link DEFAULT_BUDGET}). The same text (with the same fuel and host call
 * names) reuses one loaded program per backend (see
 * {@link PROGRAM_CACHE_SIZE}).
 *
 * @example
 * ```ts
 * import { Runtime } from "@greenthreads/scheduler";
 * import { spawnMachine } from "@greenthreads/scheduler/machine";
 * const rt = new Runtime();
 * const t = spawnMachine(rt, "hostcall hello()\nexit 7", {
 *   hostcalls: { hello: () => console.log("hello from a machine thread") },
 * });
 * rt.run();
 * console.log(t.result); // 7n
 * ```
 */
export function spawnMachine(
  rt: Runtime,
  program: Program | string,
  options: MachineSpawnOptions = {},
): Thread<bigint> {
  if (typeof options !== "object" || options === null) {
    throw new SchedulerError("spawnMachine(): options must be an object", { code: "BAD_ARGUMENT" });
  }
  const who =
    options.name === undefined
      ? "machine thread"
      : `machine thread ${JSON.stringify(options.name)}`;
  const hostcalls = options.hostcalls ?? {};
  for (const [name, fn] of Object.entries(hostcalls)) {
    if (typeof fn !== "function") {
      throw new SchedulerError(`spawnMachine(): ${who}: host call "${name}" must be a function`, {
        code: "BAD_ARGUMENT",
      });
    }
  }
  if (options.onYield !== undefined && typeof options.onYield !== "function") {
    throw new SchedulerError(`spawnMachine(): ${who}: onYield must be a function`, {
      code: "BAD_ARGUMENT",
    });
  }
  let budget: bigint | undefined;
  if (options.budget !== undefined && options.budget !== Number.POSITIVE_INFINITY) {
    const problem = budgetProblem(options.budget);
    if (problem !== undefined) {
      throw new SchedulerError(`spawnMachine(): ${who}: ${problem}`, { code: "BAD_ARGUMENT" });
    }
    budget = BigInt(options.budget);
  }
  const defaultBudget = options.budget === undefined;
  let backend = options.backend;
  if (backend === undefined) {
    backend = defaultBackends.get(rt);
    if (!backend) {
      backend = loadBackend();
      defaultBackends.set(rt, backend);
    }
  }
  if (defaultBudget) budget = BigInt(defaultBudgetOf(backend));
  const fuel = budget !== undefined;
  const names = Object.keys(hostcalls);
  const verified = (): Program => {
    try {
      const parsed = typeof program === "string" ? parseProgram(program) : program;
      verifyProgram(parsed, { hostcalls: names });
      return parsed;
    } catch (cause) {
      throw new SchedulerError(
        `spawnMachine(): ${who}: the program is not valid: ${cause instanceof Error ? cause.message : String(cause)}`,
        { code: "INVALID_PROGRAM", cause },
      );
    }
  };
  const loaded =
    typeof program === "string"
      ? loadText(backend, textKey(program, fuel, names), () => backend.load(verified(), { fuel }))
      : loadObject(backend, verified(), fuel);
  const machine = backend.spawn(loaded, {
    ...(options.stackSize === undefined ? {} : { stackSize: options.stackSize }),
    ...(budget === undefined ? {} : { budget }),
  });
  let driver = drivers.get(rt);
  if (!driver) {
    driver = new MachineDriver(rt);
    drivers.set(rt, driver);
  }
  const body = new MachineBody(backend, machine, hostcalls, options.onYield, defaultBudget);
  try {
    return rt.spawnWith<bigint>(driver, body, options);
  } catch (e) {
    backend.release(machine);
    throw e;
  }
}
