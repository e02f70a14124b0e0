/**
 * The shape of a mutant: a realistic wrong submission written as exact text
 * replacements on a phase's reference solution. The proof applies the edits to a
 * temp copy (each `find` must match exactly once, so a mutant cannot rot silently
 * when the solution changes), runs the hidden checks, and expects the check `check` (an
 * id) to fail, its `group` to fail and every other group of the phase to pass.
 */

export interface Edit {
  readonly file: string;
  readonly find: string;
  readonly replace: string;
}

export interface Mutant {
  readonly id: string;
  /** The check group (a phase.json group id) this mistake must fail; all other groups must still pass. */
  readonly group: string;
  /** The id of the check written to catch it (checks/_harness/check.ts); it must fail. */
  readonly check: string;
  /** The mistake, as a learner would make it. */
  readonly story: string;
  readonly edits: readonly Edit[];
  /**
   * Other groups this mutant may fail too (allowed, not required): phase 04 builds its
   * server from the learner's own compose(), so a broken compose can break the server too.
   */
  readonly mayAlsoFail?: readonly string[];
  /**
   * The mistake makes the server unreachable (a hard-coded port), so EVERY check must
   * fail, each message saying this (a fragment every failure message must contain).
   */
  readonly failsEveryCheckSaying?: string;
  /** Files renamed after the edits: [from, to]. */
  readonly renames?: readonly (readonly [string, string])[];
}
