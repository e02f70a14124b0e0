/**
 * A scenario that several checks in one file look at from different angles (one
 * server, one sequence of requests), run once on first use. If it throws, every check
 * that needs it fails with the same explanation, instead of the first one failing
 * and the rest reporting confusing knock-on effects.
 */
export function once<T>(run: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  // Each check that awaits it fails with the same facts; the runner adds each check's own lesson section.
  return () => (promise ??= run());
}
