/**
 * How the tests start a TypeScript child process: the package's sources
 * (the @greenthreads/source condition) run through tsx. tsx registers its
 * loader with module.register(), which Node 26 reports as deprecated on
 * stderr; the children's stderr is checked to be empty, so that one warning
 * is turned off.
 */
export const TYPESCRIPT_CHILD_FLAGS: readonly string[] = [
  "--disable-warning=DEP0205",
  "--conditions=@greenthreads/source",
  "--import",
  "tsx",
];
