/**
 * The proof every phase's hidden checks must pass, declared once:
 * - the reference solution passes every check, and its results cover exactly the groups
 *   phase.json declares;
 * - the starter fails at least one check of each headline group, and no check errors;
 * - at least one alternative correct solution exists (test/fixtures/<id>-alt-*), and
 *   every one passes everything;
 * - every mutant (a realistic mistake applied to the solution) fails its own group, in
 *   the check written for it, and passes every other group (bar its `mayAlsoFail`);
 * - no run reports "error" where a verdict was expected, or leaves a process behind.
 * LEARN_NODE_HTTP_PROOF=quick (the Node matrix) skips the mutants: they prove the
 * checks, not the Node line.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadCourse } from '../../src/course/load.ts';
import type { Mutant } from '../mutants/types.ts';
import { byGroup, concurrencyLimit, describeRun, mutatedCopy, removeDir, ROOT, runChecksInChild, type ProvenRun } from './phase-runs.ts';

export interface PhaseProof {
  readonly phase: string;
  readonly mutants: readonly Mutant[];
  /** Groups the starter legitimately satisfies already; say why where this is called. */
  readonly starterPasses?: readonly string[];
}

/** A run is CPU-bound server start-ups: two at once is what a 2-core machine takes without flaky deadlines. */
const limit = concurrencyLimit(2);
const RUN_TIMEOUT_MS = 300_000;
/** Mutants wait for a slot in `limit`, so their own deadline covers the queue too. */
const MUTANT_TIMEOUT_MS = 600_000;

/**
 * A run, again (at most twice more) if a check said the machine was too busy to judge (an
 * InfraError at the pace ceiling, checks/_client/http.ts): that is "no verdict", which
 * batch grading retries too, not a wrong one. A third such run still fails the proof, which
 * allows no error. (One retry was not enough once: a CI rehearsal of the full proof on
 * 2026-12-07 met two starved runs in a row for the 04 mutant errors-swallowed, whose hanging
 * server makes every check wait out its deadline while the other proofs load the machine.)
 */
async function judgedRun(phaseId: string, dir: string): Promise<ProvenRun> {
  const starved = (run: ProvenRun) => run.results.some((r) => r.status === 'error' && r.message.includes('too busy to judge'));
  let run = await runChecksInChild(phaseId, dir);
  for (let retry = 1; retry <= 2 && starved(run); retry++) run = await runChecksInChild(phaseId, dir);
  return run;
}

export function provePhase({ phase: phaseId, mutants, starterPasses = [] }: PhaseProof): void {
  const phase = loadCourse().find((p) => p.id === phaseId);
  if (!phase) throw new Error(`no phase ${phaseId} in phases/`);
  const groups = phase.groups.map((g) => g.id);
  const solution = path.join(ROOT, 'solutions', phaseId);
  const fixtures = path.join(ROOT, 'test/fixtures');
  const alternatives = readdirSync(fixtures).filter((name) => name.startsWith(`${phaseId}-alt-`));
  const temps: string[] = [];
  afterAll(() => Promise.all(temps.map(removeDir)));

  describe(`${phaseId} solution and starter`, () => {
    test('the reference solution passes every check, in every group of phase.json', async () => {
      const run = await judgedRun(phaseId, solution);
      expect(run.results.filter((r) => r.status !== 'pass'), describeRun(run)).toEqual([]);
      expect([...byGroup(run).keys()].sort()).toEqual([...groups].sort());
      expect(run.leftovers).toEqual([]);
    }, RUN_TIMEOUT_MS);

    test('the starter fails at least one check in each headline group, and no check errors', async () => {
      // A copy, as a learner's workspace would be.
      const dir = await mkdtemp(path.join(os.tmpdir(), `lnh-starter-${phase.number}-`));
      temps.push(dir);
      await cp(phase.paths.starterDir, dir, { recursive: true });
      const run = await judgedRun(phaseId, dir);
      const results = byGroup(run);
      for (const group of groups.filter((g) => !starterPasses.includes(g))) {
        expect((results.get(group) ?? []).some((r) => r.status === 'fail'), `no failing check in ${group}:\n${describeRun(run)}`).toBe(true);
      }
      expect(run.results.filter((r) => r.status === 'error'), describeRun(run)).toEqual([]);
      expect(run.leftovers).toEqual([]);
    }, RUN_TIMEOUT_MS);
  });

  describe.concurrent(`${phaseId} alternative solutions`, () => {
    test('there is at least one alternative solution to prove the checks against', () => {
      expect(alternatives.length).toBeGreaterThan(0);
    });
    for (const name of alternatives) {
      test(`${name} passes every check`, async () => {
        const run = await limit(() => judgedRun(phaseId, path.join(fixtures, name)));
        expect(run.results.filter((r) => r.status !== 'pass'), describeRun(run)).toEqual([]);
        expect(run.leftovers).toEqual([]);
      }, MUTANT_TIMEOUT_MS);
    }
  });

  describe.skipIf(process.env.LEARN_NODE_HTTP_PROOF === 'quick').concurrent(`${phaseId} mutants`, () => {
    for (const mutant of mutants) {
      const also = mutant.mayAlsoFail ? ` (may also fail ${mutant.mayAlsoFail.join(', ')})` : ' only';
      test(`${mutant.id}: ${mutant.story} -> fails "${mutant.group}"${also}`, async () => {
        const dir = await mutatedCopy(solution, mutant);
        temps.push(dir);
        const run = await limit(() => judgedRun(phaseId, dir));
        expectMutantCaught(mutant, run);
      }, MUTANT_TIMEOUT_MS);
    }
  });
}

function expectMutantCaught(mutant: Mutant, run: ProvenRun): void {
  const report = `mutant ${mutant.id} (${mutant.story}):\n${describeRun(run)}`;
  expect(run.results.filter((r) => r.status === 'error'), report).toEqual([]);
  expect(run.leftovers, report).toEqual([]);
  if (mutant.failsEveryCheckSaying) {
    expect(run.results.filter((r) => r.status !== 'fail'), report).toEqual([]);
    for (const result of run.results) expect(result.message, report).toContain(mutant.failsEveryCheckSaying);
    return;
  }
  for (const [group, results] of byGroup(run)) {
    const failed = results.filter((r) => r.status === 'fail');
    if (group === mutant.group) {
      expect(failed.some((r) => r.id === mutant.check), `check ${mutant.check} did not fail\n${report}`).toBe(true);
    } else if (!mutant.mayAlsoFail?.includes(group)) {
      expect(failed.map((r) => r.title), `other group ${group} failed too\n${report}`).toEqual([]);
    }
  }
}
