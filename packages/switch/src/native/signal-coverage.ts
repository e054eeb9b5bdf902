/**
 * Keeping every signal handler on the alternate signal stack while machine
 * threads run.
 *
 * A signal handler that runs on the interrupted stack would put its frame
 * on a green thread's stack (native/addon/signals_posix.c explains this, the
 * frame sizes measured, and the headroom below each stack that absorbs what
 * is not covered yet). The addon covers the handlers (adds SA_ONSTACK, and
 * puts back its fault handler if it was replaced) with one sigaction per
 * signal, ~40 µs in all, so it is done where it is cheap and timely:
 *
 * - when the addon loads (the handlers Node installed at startup);
 * - right after JavaScript adds or removes a listener for a signal event:
 *   Node's own "newListener"/"removeListener" listeners on `process`, which
 *   make libuv install or remove its handler, were registered at startup
 *   and so run before the ones added here;
 * - when a machine thread is spawned, at most every {@link COVER_INTERVAL_MS}
 *   (handlers that native code installs without JavaScript seeing it).
 *
 * One handler is installed by native code again and again: libuv's SIGCHLD
 * handler, registered when a child process is spawned and set back to the
 * default when the last child has exited. So the backend keeps one SIGCHLD
 * listener of its own on `process` (it does nothing): libuv then installs
 * its SIGCHLD handler once, now, where it gets covered, and keeps it for
 * good, since libuv registers a handler only for the first handle of a
 * signal. Node does not let signal listeners keep the process alive, and
 * SIGCHLD is ignored by default, so the listener changes nothing else.
 *
 * Never on resume: a resume costs ~30 ns, a covering a thousand times more.
 *
 * @module
 */
import type { NativeAddon } from "./addon.js";

/** Spawns cover the handlers again at most this often. */
export const COVER_INTERVAL_MS = 100;

const watched = new WeakSet<NativeAddon>();
const lastCover = new WeakMap<NativeAddon, number>();

/** Covers the handlers whenever a signal listener is added to or removed from `process` (once per addon). */
export function watchSignalListeners(addon: NativeAddon): void {
  if (watched.has(addon)) return;
  watched.add(addon);
  // Node's built-ins are reached here, once an addon runs, not imported: the
  // package then bundles for browsers, where no addon loads.
  const { constants } = process.getBuiltinModule("node:os") as typeof import("node:os");
  const { isMainThread } = process.getBuiltinModule(
    "node:worker_threads",
  ) as typeof import("node:worker_threads");
  const signalEvents = new Set(Object.keys(constants.signals));
  const onChange = (event: string | symbol) => {
    if (typeof event === "string" && signalEvents.has(event)) {
      addon.signalsCover();
      lastCover.set(addon, Date.now());
    }
  };
  process.on("newListener", onChange);
  process.on("removeListener", onChange);
  // Signal listeners exist on the main thread only.
  if (isMainThread && process.platform !== "win32") process.on("SIGCHLD", keepSigchldHandler);
}

/** The backend's own SIGCHLD listener (see the module comment). */
export function keepSigchldHandler(): void {}

/** Covers the handlers if the last covering is older than {@link COVER_INTERVAL_MS}. */
export function coverSignalsIfDue(addon: NativeAddon): void {
  const now = Date.now();
  if (now - (lastCover.get(addon) ?? 0) < COVER_INTERVAL_MS) return;
  lastCover.set(addon, now);
  addon.signalsCover();
}
