/**
 * A scenario that several checks in one file look at from different angles (one
 * server, one sequence of requests), run once on first use. If it throws, every check
 * that needs it fails with the same explanation, instead of the first one failing
 * and the rest reporting confusing knock-on effects.
 */
import { CheckFailure, reformatForCurrentCheck } from './failures.ts';

export function once<T>(run: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () =>
    (promise ??= run()).catch((error: unknown) => {
      // Re-word the failure for the check that is asking: it names that check's lesson section.
      throw error instanceof CheckFailure ? reformatForCurrentCheck(error) : error;
    });
}
