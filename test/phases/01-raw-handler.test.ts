/**
 * Proof of phase 01-raw-handler's hidden checks (the shared proof: test/support/prove-phase.ts).
 * The starter passes "port" on purpose: it already reads PORT, so every other check
 * can reach it. The hard-coded-port mutant fails every check (nothing answers where the
 * checks look), each message saying so.
 */
import { mutants01 } from '../mutants/01.ts';
import { provePhase } from '../support/prove-phase.ts';

provePhase({ phase: '01-raw-handler', mutants: mutants01, starterPasses: ['port'] });
