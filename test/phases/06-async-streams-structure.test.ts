/**
 * Proof of phase 06's hidden checks (the shared proof: test/support/prove-phase.ts).
 * The starter has all four flaws, so it fails every group. Two alternatives (classes with
 * a manual drain loop; a createApp() factory with pipe()) pass everything.
 */
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { mutants06 } from '../mutants/06.ts';
import { runChecksInChild } from '../support/phase-runs.ts';
import { provePhase } from '../support/prove-phase.ts';

const PHASE = '06-async-streams-structure';

provePhase({ phase: PHASE, mutants: mutants06 });

test('a missing phase folder is reported as not submitted, without running anything', async () => {
  const run = await runChecksInChild(PHASE, path.join(os.tmpdir(), `lnh-no-such-folder-${process.pid}`));
  expect(run.notSubmitted).toBe(true);
  expect(run.results).toEqual([]);
});
