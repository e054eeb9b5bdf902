/**
 * The state that must exist once per process, not once per copy of this
 * package: the current-thread register, the PARK value and the set of policy
 * instances already given to a runtime.
 *
 * Why. The package ships an ESM build and a CommonJS build. A process that
 * loads both (an ESM application with a CommonJS dependency, or the reverse)
 * evaluates this package twice. With module-level state, each copy would have
 * its own "current thread": a CommonJS `join()` called inside a thread that
 * the ESM `Runtime` is running would find no thread running, and a CommonJS
 * helper's `yield PARK` would not be the ESM driver's PARK. So the state lives
 * in one object stored on `globalThis` under a `Symbol.for` key, and every
 * copy takes the one that is there. Classes the copies check each other's
 * objects with (`Thread`, `Runtime`) answer `instanceof` by a brand under the
 * same key (see {@link THREAD_BRAND}).
 *
 * The key names the layout of a thread record ({@link LAYOUT}). Copies that
 * agree on it can step each other's threads; a copy with another layout (a
 * different major version) gets its own state under its own key, and its
 * threads stay its own, as if the other copy were a different library.
 *
 * The object is made once and never replaced, so reading `processWide.current`
 * on the switch path costs one property access on an object whose shape never
 * changes.
 */

/** Bump when a copy of another layout must not step this copy's threads. */
export const LAYOUT = 1;

const KEY = Symbol.for(`@greenthreads/scheduler process-wide state, layout ${LAYOUT}`);

/** What every copy of the package shares. */
export interface ProcessWide {
  /** The running green thread, or null outside any thread (a `Thread`). */
  current: object | null;
  /** The value a thread body yields to park itself. */
  readonly park: { readonly __park: true };
  /** Policy instances that belong to a runtime already. */
  readonly schedulersInUse: WeakSet<object>;
}

function claim(): ProcessWide {
  const holder = globalThis as { [KEY]?: ProcessWide };
  const found = holder[KEY];
  if (found !== undefined) return found;
  const made: ProcessWide = {
    current: null,
    park: Object.freeze({ __park: true as const }),
    schedulersInUse: new WeakSet(),
  };
  Object.defineProperty(holder, KEY, { value: made, enumerable: false });
  return made;
}

/** This process's one copy of the state above. */
export const processWide: ProcessWide = claim();

/** Marks a Thread of this layout, for `instanceof Thread` across copies. */
export const THREAD_BRAND = Symbol.for(`@greenthreads/scheduler Thread, layout ${LAYOUT}`);
/** Marks a Runtime of this layout, for `instanceof Runtime` across copies. */
export const RUNTIME_BRAND = Symbol.for(`@greenthreads/scheduler Runtime, layout ${LAYOUT}`);

/** `instanceof` by brand: true for objects of this class from any copy of the package. */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return (
    typeof value === "object" && value !== null && (value as { [brand]?: unknown })[brand] === true
  );
}
