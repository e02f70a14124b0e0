/**
 * Proof of phase 04-middleware's hidden checks (the shared proof: test/support/prove-phase.ts).
 * The starter fails every group (it passes only "importing compose.ts has no side
 * effects"). Compose mutants may also fail server groups (`mayAlsoFail`): the server is
 * built from the learner's own compose().
 */
import { mutants04 } from '../mutants/04.ts';
import { provePhase } from '../support/prove-phase.ts';

provePhase({ phase: '04-middleware', mutants: mutants04 });
