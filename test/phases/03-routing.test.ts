/**
 * Proof of phase 03-routing's hidden checks (the shared proof: test/support/prove-phase.ts).
 * The starter matches exact paths only: it fails every group, while passing POST, list,
 * /messages/latest and "unknown path is 404" by design (they need no params).
 */
import { mutants03 } from '../mutants/03.ts';
import { provePhase } from '../support/prove-phase.ts';

provePhase({ phase: '03-routing', mutants: mutants03 });
