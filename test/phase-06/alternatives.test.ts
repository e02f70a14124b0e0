/**
 * Correct code written differently (classes, a factory, other helpers) must pass every
 * check: the checks test behaviour over HTTP, not one way of writing it. The
 * alternatives live in test/fixtures/06-alt-*.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { describeRun, ROOT, runChecks } from '../support/phase-runs.ts';

const PHASE = '06-async-streams-structure';
const FIXTURES = path.join(ROOT, 'test/fixtures');
const alternatives = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((name) => name.startsWith('06-alt-')) : [];

describe(`${PHASE} alternative solutions`, () => {
  if (alternatives.length === 0) test.skip('no alternative solutions in test/fixtures/06-alt-* yet: nothing to prove', () => {});

  for (const name of alternatives) {
    test(`${name} passes every check`, async () => {
      const run = await runChecks(PHASE, path.join(FIXTURES, name));
      const notPassed = run.results.filter((r) => r.status !== 'pass' && !(r.status === 'skip' && process.platform === 'win32'));
      expect(notPassed, describeRun(run)).toEqual([]);
      expect(run.leftovers).toEqual([]);
    });
  }
});
