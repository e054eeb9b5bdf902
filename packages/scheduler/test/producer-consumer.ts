/** A traced runtime with a producer and a consumer over an unbuffered channel "jobs", shared by the trace and timeline tests. */
import { Channel, Runtime } from "../src/index.js";

export function tracedProducerConsumer(): Runtime {
  const rt = new Runtime({ trace: true });
  const jobs = new Channel<number>(0, { name: "jobs" });
  rt.spawn(
    function* () {
      yield* jobs.send(1);
    },
    { name: "producer" },
  );
  rt.spawn(
    function* () {
      yield;
      yield* jobs.recv();
    },
    { name: "consumer" },
  );
  return rt;
}
