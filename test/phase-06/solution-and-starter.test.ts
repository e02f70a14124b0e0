/**
 * The reference solution passes every phase-06 check; the starter fails at least one
 * check in each of the four groups (each flaw is caught by its own group). Neither run
 * may report "error" (a check that could not decide), or leave a process behind.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { byGroup, describeRun, removeDir, ROOT, runChecks } from '../support/phase-runs.ts';

const PHASE = '06-async-streams-structure';
const GROUPS = ['hanging-rejection', 'piping-big-json', 'sigterm-drain', 'module-split'];
const temps: string[] = [];
afterAll(() => Promise.all(temps.map(removeDir)));

describe(`${PHASE} checks`, () => {
  test('the reference solution passes every check, in every group', async () => {
    const run = await runChecks(PHASE, path.join(ROOT, 'solutions', PHASE));
    const notPassed = run.results.filter((r) => r.status !== 'pass' && !(r.status === 'skip' && process.platform === 'win32'));
    expect(notPassed, describeRun(run)).toEqual([]);
    expect([...byGroup(run).keys()].sort()).toEqual([...GROUPS].sort());
    expect(run.leftovers).toEqual([]);
  });

  test('the starter fails at least one check in each group, and no check errors', async () => {
    // A copy, as a learner's workspace would be (and so leftovers are easy to find).
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lnh-starter-06-'));
    temps.push(dir);
    await cp(path.join(ROOT, 'phases', PHASE, 'starter'), dir, { recursive: true });
    const run = await runChecks(PHASE, dir);
    const groups = byGroup(run);
    for (const group of GROUPS) {
      expect((groups.get(group) ?? []).some((r) => r.status === 'fail'), `no failing check in ${group}:\n${describeRun(run)}`).toBe(true);
    }
    expect(run.results.filter((r) => r.status === 'error'), describeRun(run)).toEqual([]);
    expect(run.leftovers).toEqual([]);
  });

  test('a missing phase folder is reported as not submitted, without running anything', async () => {
    const run = await runChecks(PHASE, path.join(os.tmpdir(), `lnh-no-such-folder-${process.pid}`));
    expect(run.notSubmitted).toBe(true);
    expect(run.results).toEqual([]);
  });
});
