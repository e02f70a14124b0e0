/**
 * Proof of phase 02-request-bodies's hidden checks (the shared proof: test/support/prove-phase.ts).
 * The starter is the naive reader (no media-type check, no limit; JSON errors and
 * aborted uploads crash it), so it fails every group.
 */
import { mutants02 } from '../mutants/02.ts';
import { provePhase } from '../support/prove-phase.ts';

provePhase({ phase: '02-request-bodies', mutants: mutants02 });
