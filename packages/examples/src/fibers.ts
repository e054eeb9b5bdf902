/**
 * The fibers example of chapter 5 of "Asynchronous Programming in Rust":
 * main spawns thread 1, which counts to 9, and thread 2, which counts to 14;
 * each prints a line per count and yields after it, and says when it starts
 * and finishes. Under RoundRobin the output is the book's, line for line.
 */
import { type RunSummary, Runtime, type Scheduler, type Thread } from "@greenthreads/scheduler";

/** One of the book's threads: print STARTING, count to `count - 1` yielding after each line, print FINISHED. */
function counting(print: (line: string) => void, count: number) {
  return function* (self: Thread<void>): Generator<undefined, void, unknown> {
    const id = self.id;
    print(`THREAD ${id} STARTING`);
    for (let i = 0; i < count; i++) {
      print(`thread: ${id} counter: ${i}`);
      yield; // the book's yield_thread()
    }
    print(`THREAD ${id} FINISHED`);
  };
}

/** Runs the example, handing each line to `print`. Swap the policy with `scheduler`. */
export function fibers(print: (line: string) => void, scheduler?: Scheduler): RunSummary {
  const runtime = new Runtime({ scheduler });
  runtime.spawn(counting(print, 10)); // thread 1
  runtime.spawn(counting(print, 15)); // thread 2
  return runtime.run();
}
