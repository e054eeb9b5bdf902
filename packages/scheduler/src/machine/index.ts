export {
  type FaultStackPicture,
  type FaultStackPictureOptions,
  faultStackPicture,
} from "./fault-stack-picture.js";
export { DEFAULT_BUDGET, MachineDriver } from "./machine-driver.js";
export { MachineFaultError } from "./machine-fault-error.js";
export type { HostCall, HostCallResult, MachineSpawnOptions } from "./machine-spawn-options.js";
export { spawnMachine } from "./machine-threads.js";
export { cachedPrograms, PROGRAM_CACHE_SIZE } from "./program-cache.js";
export type { StackSnapshot } from "./stack-snapshot.js";
