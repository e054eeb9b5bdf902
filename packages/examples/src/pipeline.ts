/**
 * Channels: a producer feeds numbers into a rendezvous channel, three workers
 * square them and send the results to a buffered channel, and a collector
 * sums them. Closing a channel is how the end of the stream travels: the
 * producer closes `jobs`, each worker stops when `jobs` is drained, and the
 * last worker to finish closes `results`.
 */
import { Channel, join, Runtime, type Scheduler } from "@greenthreads/scheduler";

export interface PipelineResult {
  sum: number;
  /** Which worker squared which number, in the order the collector saw them. */
  trace: string[];
}

export function pipeline(count: number, scheduler?: Scheduler): PipelineResult {
  const rt = new Runtime({ scheduler });
  const jobs = new Channel<number>(0, { name: "jobs" });
  const results = new Channel<string>(4, { name: "results" });
  let working = 3;

  rt.spawn(
    function* () {
      for (let n = 1; n <= count; n++) yield* jobs.send(n);
      jobs.close();
    },
    { name: "producer" },
  );

  for (let w = 1; w <= 3; w++) {
    rt.spawn(
      function* () {
        for (;;) {
          const job = yield* jobs.next();
          if (job.done) break;
          yield; // pretend to work
          yield* results.send(`w${w}:${job.value}^2=${job.value * job.value}`);
        }
        if (--working === 0) results.close();
      },
      { name: `worker ${w}` },
    );
  }

  const collector = rt.spawn(
    function* () {
      const trace: string[] = [];
      let sum = 0;
      for (;;) {
        const r = yield* results.next();
        if (r.done) break;
        trace.push(r.value);
        sum += Number(r.value.split("=")[1]);
      }
      return { sum, trace };
    },
    { name: "collector" },
  );

  // The main program can wait for a thread too: spawn one that joins it.
  const main = rt.spawn(function* () {
    return yield* join(collector);
  });
  rt.run();
  return main.result;
}
