/**
 * Every phase-06 check can fail, and fails for the right reason: each mutant (one
 * realistic mistake applied to the reference solution) must fail its own group and
 * pass every other group. A check no mutant fails would be a check that proves nothing.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { mutants06 } from '../mutants/06.ts';
import { byGroup, concurrencyLimit, describeRun, mutatedCopy, removeDir, ROOT, runChecks } from '../support/phase-runs.ts';

const PHASE = '06-async-streams-structure';
const SOLUTION = path.join(ROOT, 'solutions', PHASE);
/** Each run starts ~9 servers; two runs at once is what a 2-core machine takes without flaky deadlines. */
const limit = concurrencyLimit(2);
const temps: string[] = [];
afterAll(() => Promise.all(temps.map(removeDir)));

// LEARN_NODE_HTTP_PROOF=quick (the Node matrix) proves solutions and starters only: mutants prove the checks, not the Node line.
describe.skipIf(process.env.LEARN_NODE_HTTP_PROOF === 'quick').concurrent(`${PHASE} mutants`, () => {
  for (const mutant of mutants06) {
    test(`${mutant.id}: ${mutant.story} -> fails "${mutant.group}" only`, async () => {
      const dir = await mutatedCopy(SOLUTION, mutant);
      temps.push(dir);
      const run = await limit(() => runChecks(PHASE, dir));
      const report = `mutant ${mutant.id} (${mutant.story}):\n${describeRun(run)}`;
      expect(run.results.filter((r) => r.status === 'error'), report).toEqual([]);
      for (const [group, results] of byGroup(run)) {
        const failed = results.filter((r) => r.status === 'fail');
        if (group === mutant.group) {
          expect(failed.length, `the mutant passed every check of ${group}\n${report}`).toBeGreaterThan(0);
          expect(failed.some((r) => r.title.includes(mutant.check)), `no failing check titled like "${mutant.check}"\n${report}`).toBe(true);
        } else {
          expect(failed.map((r) => r.title), `other group ${group} failed too\n${report}`).toEqual([]);
        }
      }
      expect(run.leftovers, report).toEqual([]);
    }, 400_000);
  }
});
