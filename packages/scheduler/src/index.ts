export { currentThread, requireThread } from "./current-thread.js";
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
export { GeneratorDriver, type ThreadBody } from "./generator-driver.js";
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
export { FIFO } from "./policies/fifo.js";
export { PCT, type PCTOptions } from "./policies/pct.js";
export { Priority, type PriorityOptions } from "./policies/priority.js";
export { Random, type RandomOptions } from "./policies/random.js";
export { Replay } from "./policies/replay.js";
export { RoundRobin } from "./policies/round-robin.js";
export { Stride } from "./policies/stride.js";
export { type Seed, splitMix64, Xoshiro128 } from "./prng.js";
export type { RunAsyncOptions, RunOptions, RuntimeOptions } from "./run-options.js";
export type { RunSummary } from "./run-summary.js";
export { Runtime, wake } from "./runtime.js";
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
  Thread,
  type ThreadState,
} from "./thread.js";
export {
  parkOn,
  RESUME_RETURN,
  RESUME_THROW,
  RESUME_VALUE,
  type ResumeMode,
  STEP_BLOCK,
  STEP_RETURN,
  STEP_THROW,
  STEP_TURNS,
  STEP_YIELD,
  type StepResult,
  setStepValue,
  type ThreadDriver,
  takeResumeMode,
  takeResumeValue,
} from "./thread-driver.js";
export { type TimelineSvgOptions, timelineSvg } from "./timeline-svg.js";
export { type TimelineTextOptions, timelineText } from "./timeline-text.js";
export {
  Trace,
  type TraceEvent,
  type TraceEventKind,
  type TraceFailure,
  type TraceThread,
  TracingScheduler,
} from "./trace.js";
export { resumesPlainly, turnsTaken, turnTimeLimit, upcomingThreads } from "./turn-taking.js";
