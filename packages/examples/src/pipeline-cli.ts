import { pipeline } from "./pipeline.js";

const { sum, trace } = pipeline(10);
for (const line of trace) console.log(line);
console.log(`sum of squares 1..10 = ${sum}`);
