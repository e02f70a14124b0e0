/**
 * The runner maps vitest's view of a run onto CheckResults: describe = group, test
 * name = title, CheckFailure = fail, anything else = error (never blamed on the
 * learner), skip notes kept, a file that cannot load reported rather than dropped.
 * The checks here are fixtures that start no servers.
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runChecksInChild } from '../support/phase-runs.ts';

const FIXTURE_CHECKS = path.join(ROOT, 'test/fixtures/runner-checks');

describe('runPhaseChecks', () => {
  test('maps each outcome to the right status, group and message', async () => {
    const run = await runChecksInChild('99-runner-fixture', os.tmpdir(), 60_000, FIXTURE_CHECKS);
    const byTitle = new Map(run.results.map((r) => [r.title, r]));
    expect(byTitle.get('a check that passes')).toMatchObject({ status: 'pass', group: 'sample-group', message: '' });
    expect(byTitle.get('a check the learner fails')).toMatchObject({ status: 'fail', group: 'sample-group' });
    expect(byTitle.get('a check the learner fails')!.message).toContain('Expected: status 200');
    expect(byTitle.get('a check that cannot run')).toMatchObject({ status: 'error', message: 'the fixture file is missing' });
    expect(byTitle.get('a check with a bug in it')!.status).toBe('error');
    expect(byTitle.get('a check that does not apply here')).toMatchObject({ status: 'skip', message: 'not on this platform' });
    const broken = run.results.find((r) => r.file.endsWith('broken.check.ts'));
    expect(broken).toMatchObject({ status: 'error', id: 'broken' });
    expect(broken!.message).toContain('broken on purpose');
    expect(byTitle.get('a check that passes')!.id).toBe('outcomes/a-check-that-passes');
    expect(byTitle.get('a check that passes')!.file).toBe('test/fixtures/runner-checks/outcomes.check.ts');
  });
});
