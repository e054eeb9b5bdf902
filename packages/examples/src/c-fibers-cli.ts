import { cFibers } from "./c-fibers.js";

cFibers((line) => console.log(line));
