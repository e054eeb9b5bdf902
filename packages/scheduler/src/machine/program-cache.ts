/**
 * Loaded programs, shared by the threads that run them and bounded.
 *
 * `spawnMachine(rt, text)` in a loop must not parse, verify and load the same
 * text again on every call: loading places code in executable memory, which
 * is finite, and a service that spawns machine threads from text for hours
 * would run out of it. So each backend has a cache of programs loaded from
 * text, keyed by everything that changes what a load makes: the text, whether
 * the program counts fuel, and the host call names it was verified against.
 * The cache keeps the {@link PROGRAM_CACHE_SIZE} most recently used programs;
 * the least recently used one beyond that is evicted and unloaded. Unloading
 * frees a program's code once its last thread is released, so threads that
 * still run an evicted program finish normally.
 *
 * A `Program` object (not text) is loaded once per backend and kept for as
 * long as the caller keeps the object; its code is freed when the object is
 * collected.
 */
import type { Program } from "@greenthreads/isa";
import type { Backend, LoadedProgram } from "@greenthreads/switch";

/**
 * How many programs loaded from text each backend keeps for reuse.
 *
 * @example
 * ```ts
 * import { PROGRAM_CACHE_SIZE } from "@greenthreads/scheduler/machine";
 * console.log(PROGRAM_CACHE_SIZE); // 1024
 * ```
 */
export const PROGRAM_CACHE_SIZE = 1024;

/** The one call that gives a loaded program back to its backend. */
export function unloadProgram(backend: Backend, program: LoadedProgram): void {
  backend.unload(program);
}

/** Per backend: programs loaded from text (LRU), and from Program objects. */
class BackendPrograms {
  /** Key -> loaded program, least recently used first. */
  readonly byText = new Map<string, LoadedProgram>();
  readonly byObject = new WeakMap<Program, { fuel?: LoadedProgram; plain?: LoadedProgram }>();
}

const perBackend = new WeakMap<Backend, BackendPrograms>();

function programsOf(backend: Backend): BackendPrograms {
  let p = perBackend.get(backend);
  if (p === undefined) {
    p = new BackendPrograms();
    perBackend.set(backend, p);
  }
  return p;
}

/** The cache key of a program text loaded with `fuel`, verified for `hostcalls`. */
export function textKey(text: string, fuel: boolean, hostcalls: readonly string[]): string {
  return `${fuel ? "fuel" : "plain"}\n${[...hostcalls].sort().join(",")}\n${text}`;
}

/**
 * The loaded program for `key`, made by `load()` on a miss. A hit becomes the
 * most recently used; a miss may evict (and unload) the least recently used.
 */
export function loadText(backend: Backend, key: string, load: () => LoadedProgram): LoadedProgram {
  const programs = programsOf(backend);
  const cache = programs.byText;
  const found = cache.get(key);
  if (found !== undefined) {
    cache.delete(key);
    cache.set(key, found);
    return found;
  }
  const made = load();
  cache.set(key, made);
  if (cache.size > PROGRAM_CACHE_SIZE) {
    const [oldestKey, oldest] = cache.entries().next().value as [string, LoadedProgram];
    cache.delete(oldestKey);
    unloadProgram(backend, oldest);
  }
  return made;
}

/** `program` loaded once per backend (with or without fuel) and shared by its threads. */
export function loadObject(backend: Backend, program: Program, fuel: boolean): LoadedProgram {
  const programs = programsOf(backend);
  let entry = programs.byObject.get(program);
  if (entry === undefined) {
    entry = {};
    programs.byObject.set(program, entry);
  }
  const key = fuel ? "fuel" : "plain";
  const found = entry[key];
  if (found !== undefined) return found;
  const made = backend.load(program, { fuel });
  entry[key] = made;
  return made;
}

/** How many programs loaded from text `backend` keeps now (for tests and reports). */
export function cachedPrograms(backend: Backend): number {
  return perBackend.get(backend)?.byText.size ?? 0;
}
