import { join, Runtime, Stride } from "@greenthreads/scheduler";
import { spawnMachine } from "@greenthreads/scheduler/machine";

const rt = new Runtime({ scheduler: new Stride() }); // one line to swap the policy
const worker = rt.spawn(function* () {
  let sum = 0;
  for (let i = 1; i <= 3; i++) {
    sum += i;
    yield; // the book's yield_thread()
  }
  return sum;
});
const counter = spawnMachine(
  rt,
  `   mov r0, 0
  loop:
      add r0, r0, 1
      blt r0, 1000000, loop
      exit r0`,
  { budget: 10_000 }, // preempted every 10,000 instructions: JavaScript threads keep running
);
rt.spawn(function* () {
  console.log("worker:", yield* join(worker), "counter:", yield* join(counter));
});
rt.run();
