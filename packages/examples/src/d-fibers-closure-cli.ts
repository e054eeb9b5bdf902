import { fibersClosure } from "./d-fibers-closure.js";

fibersClosure((line) => console.log(line));
