export { fibers } from "./fibers.js";
export { type PipelineResult, pipeline } from "./pipeline.js";
export { runWith, swapDemo } from "./swap.js";
