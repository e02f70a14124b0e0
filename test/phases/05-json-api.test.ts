/**
 * Proof of phase 05-json-api's hidden checks (the shared proof: test/support/prove-phase.ts).
 * The starter already gives every message a randomUUID() id (that part of phase 04 was
 * right), so "unique-ids" legitimately passes on it; the lesson still explains why. It also
 * parses request targets safely already ("request-targets"): the course's own code must not
 * crash on any request; that group guards a learner's edits from bringing the crash back.
 */
import { mutants05 } from '../mutants/05.ts';
import { provePhase } from '../support/prove-phase.ts';

provePhase({ phase: '05-json-api', mutants: mutants05, starterPasses: ['unique-ids', 'request-targets'] });
