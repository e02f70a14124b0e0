/**
 * Several phases in ONE run (verify --all on one folder): each check must grade its own
 * phase's folder. A solved phase beside an unsolved one proves it: if a check looked at the
 * wrong folder, the solved phase would fail or the unsolved one would pass.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT } from '../support/phase-runs.ts';
import { runBin } from '../cli/spawn.ts';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'lnh-several-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('one run, several phases', () => {
  test('each phase is graded on its own folder; a missing folder is not submitted', async () => {
    cpSync(path.join(ROOT, 'solutions/01-raw-handler'), path.join(workspace, '01-raw-handler'), { recursive: true });
    cpSync(path.join(ROOT, 'phases/03-routing/starter'), path.join(workspace, '03-routing'), { recursive: true });
    cpSync(path.join(ROOT, 'solutions/04-middleware'), path.join(workspace, '04-middleware'), { recursive: true });
    const run = await runBin(['verify', '--all', '--dir', workspace, '--reporter', 'json'], { cwd: ROOT, timeoutMs: 120_000 });
    const report = JSON.parse(run.stdout) as { tests: Array<{ phase: string; status: string; id: string; message?: string }> };
    const statuses = (phase: string): string[] => report.tests.filter((t) => t.phase === phase).map((t) => t.status);
    expect(statuses('01-raw-handler').length).toBeGreaterThan(2);
    expect(new Set(statuses('01-raw-handler'))).toEqual(new Set(['pass']));
    expect(new Set(statuses('04-middleware'))).toEqual(new Set(['pass']));
    expect(statuses('03-routing')).toContain('fail');
    // The missing phase counts every one of its checks, each failed with the same sentence.
    const missing = report.tests.filter((t) => t.phase === '02-request-bodies');
    expect(missing.length).toBeGreaterThan(5);
    expect(new Set(missing.map((t) => t.status))).toEqual(new Set(['fail']));
    for (const t of missing) expect(t.message).toMatch(/^Not submitted: there is no folder 02-request-bodies\//);
    expect(run.code).toBe(1);
  });
});
