/**
 * How fast this machine is running right now, so that deadlines which judge a learner's
 * server stretch on a busy machine instead of blaming correct code for the machine's load.
 *
 * STUB: the harness owner replaces the measurement; the API stays.
 */

/** How many times slower than a quiet machine this one runs right now (always >= 1). */
export function paceFactor(): number {
  return 1;
}

/** A deadline of `quietMs` on a quiet machine, stretched by the measured pace. */
export function scaled(quietMs: number): number {
  return Math.round(quietMs * paceFactor());
}
