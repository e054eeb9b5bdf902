export { bugHunting } from "./bug-hunting.js";
export { everyAbi } from "./every-abi.js";
export { fibers } from "./fibers.js";
export { type PipelineResult, pipeline } from "./pipeline.js";
export { preemption } from "./preemption.js";
export { runWith, swapDemo } from "./swap.js";
