import { fibers } from "./fibers.js";

fibers((line) => console.log(line));
