export {
  type BlockedThread,
  ChannelClosedError,
  DeadlockError,
  type NamedThread,
  ReplayDivergenceError,
  RunFailedError,
  SchedulerError,
  type SchedulerErrorCode,
  ThreadCancelledError,
  type ThreadFailure,
  TimeoutError,
} from "./errors.js";
export {
  type ExploreBody,
  ExploreFailure,
  type ExploreOptions,
  type ExploreResult,
  type ExploreStrategy,
  explore,
} from "./explore.js";
export { all } from "./helpers/all.js";
export { Channel, type ChannelOptions } from "./helpers/channel.js";
export { Condition, type ConditionOptions } from "./helpers/condition.js";
export { join } from "./helpers/join.js";
export { Mutex, type MutexOptions } from "./helpers/mutex.js";
export { race } from "./helpers/race.js";
export { Scope, scope } from "./helpers/scope.js";
export {
  type DefaultCase,
  defaultCase,
  type RecvCase,
  recvCase,
  type SelectCase,
  type SelectCaseResult,
  type SelectResult,
  type SendCase,
  select,
  sendCase,
  type TimeoutCase,
  timeoutCase,
} from "./helpers/select.js";
export { Semaphore, type SemaphoreOptions } from "./helpers/semaphore.js";
export { sleep } from "./helpers/sleep.js";
export { withDeadline, withTimeout } from "./helpers/timeout.js";
export { wait } from "./helpers/wait.js";
export { WaitGroup, type WaitGroupOptions } from "./helpers/wait-group.js";
export {
  type HostCall,
  type HostCallResult,
  MachineDriver,
  MachineFaultError,
  type MachineSpawnOptions,
  spawnMachine,
} from "./machine-threads.js";
export { FIFO } from "./policies/fifo.js";
export { PCT, type PCTOptions } from "./policies/pct.js";
export { Priority, type PriorityOptions } from "./policies/priority.js";
export { Random, type RandomOptions } from "./policies/random.js";
export { Replay } from "./policies/replay.js";
export { RoundRobin } from "./policies/round-robin.js";
export { Stride } from "./policies/stride.js";
export { type Seed, splitMix64, Xoshiro128 } from "./prng.js";
export {
  currentThread,
  GeneratorDriver,
  type RunAsyncOptions,
  type RunOptions,
  type RunSummary,
  Runtime,
  type RuntimeOptions,
  requireThread,
  type ThreadBody,
  wake,
} from "./runtime.js";
export {
  decodeSchedule,
  encodeSchedule,
  Recorder,
  type ScheduleData,
} from "./schedule-recording.js";
export type { Scheduler, SpawnOptions } from "./scheduler.js";
export {
  type Blocker,
  type Outcome,
  PARK,
  type Park,
  STEP_BLOCK,
  STEP_RETURN,
  STEP_THROW,
  STEP_YIELD,
  type StepResult,
  Thread,
  type ThreadDriver,
  type ThreadState,
  takeResumeMode,
} from "./thread.js";
