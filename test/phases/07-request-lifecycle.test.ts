/**
 * Proof of phase 07-request-lifecycle's hidden checks (the shared proof: test/support/prove-phase.ts).
 * The starter fails every headline group; its two baselines (a report the client waits for, a
 * stream that finishes in time) pass by design. kept-rules is the exception: the starter
 * already keeps the earlier phases' rules (code points, odd request targets), because a
 * starter must never undo what an earlier lesson taught; that group exists so a learner's
 * own rewrite cannot lose them either.
 */
import { mutants07 } from '../mutants/07.ts';
import { provePhase } from '../support/prove-phase.ts';

provePhase({ phase: '07-request-lifecycle', mutants: mutants07, starterPasses: ['kept-rules'] });
