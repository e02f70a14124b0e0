/**
 * Proof of phase 07-request-lifecycle's hidden checks (the shared proof: test/support/prove-phase.ts).
 * The starter fails every group; its two baselines (a report the client waits for, a
 * stream that finishes in time) pass by design.
 */
import { mutants07 } from '../mutants/07.ts';
import { provePhase } from '../support/prove-phase.ts';

provePhase({ phase: '07-request-lifecycle', mutants: mutants07 });
