/**
 * Proof for phase 02's hidden checks, modelled on test/phase-06:
 * - the reference solution passes every check, and every group exists;
 * - the starter fails at least one check of every group (it is the naive reader: no
 *   media-type check, no limit, JSON errors and aborted uploads crash it);
 * - every mutant (test/mutants/02.ts) fails its own group at its own check and passes
 *   the other groups;
 * - every alternative in test/fixtures/02-request-bodies-alt-* passes everything;
 * - no run reports "error" or leaves a process behind.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { mutants02 } from '../mutants/02.ts';
import { byGroup, concurrencyLimit, describeRun, mutatedCopy, removeDir, ROOT, runChecks } from '../support/phase-runs.ts';

const PHASE = '02-request-bodies';
const SOLUTION = path.join(ROOT, 'solutions', PHASE);
const GROUPS = ['media-type', 'json-body', 'body-limit', 'aborted-upload'];
const FIXTURES = path.join(ROOT, 'test/fixtures');
const alternatives = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((name) => name.startsWith(`${PHASE}-alt-`)) : [];
const limit = concurrencyLimit(2);
const temps: string[] = [];
afterAll(() => Promise.all(temps.map(removeDir)));

describe(`${PHASE} checks`, () => {
  test('the reference solution passes every check, in every group', async () => {
    const run = await runChecks(PHASE, SOLUTION);
    expect(run.results.filter((r) => r.status !== 'pass'), describeRun(run)).toEqual([]);
    expect([...byGroup(run).keys()].sort()).toEqual([...GROUPS].sort());
    expect(run.leftovers).toEqual([]);
  });

  test('the starter fails a check in each headline group, and no check errors', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `lnh-starter-02-`));
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
});

// LEARN_NODE_HTTP_PROOF=quick (the Node matrix) proves solutions and starters only: mutants prove the checks, not the Node line.
describe.skipIf(process.env.LEARN_NODE_HTTP_PROOF === 'quick').concurrent(`${PHASE} mutants`, () => {
  for (const mutant of mutants02) {
    test(`${mutant.id}: ${mutant.story} -> fails "${mutant.group}"`, async () => {
      const dir = await mutatedCopy(SOLUTION, mutant);
      temps.push(dir);
      const run = await limit(() => runChecks(PHASE, dir));
      const report = `mutant ${mutant.id} (${mutant.story}):\n${describeRun(run)}`;
      expect(run.results.filter((r) => r.status === 'error'), report).toEqual([]);
      for (const [group, results] of byGroup(run)) {
        const failed = results.filter((r) => r.status === 'fail');
        if (group === mutant.group) {
          expect(failed.some((r) => r.title.includes(mutant.check)), `no failing check titled like "${mutant.check}"\n${report}`).toBe(true);
        } else {
          expect(failed.map((r) => r.title), `other group ${group} failed too\n${report}`).toEqual([]);
        }
      }
      expect(run.leftovers, report).toEqual([]);
    }, 300_000);
  }
});

describe(`${PHASE} alternative solutions`, () => {
  test('there is at least one alternative solution', () => expect(alternatives.length).toBeGreaterThan(0));
  for (const name of alternatives) {
    test(`${name} passes every check`, async () => {
      const run = await runChecks(PHASE, path.join(FIXTURES, name));
      expect(run.results.filter((r) => r.status !== 'pass'), describeRun(run)).toEqual([]);
      expect(run.leftovers).toEqual([]);
    });
  }
});
