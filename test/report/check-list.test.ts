/**
 * The check list read from the check files (src/report/check-list.ts), which gives a phase
 * nobody submitted its real number of checks: it must name exactly the checks a real run
 * produces. Every phase: ids unique, every group one of phase.json's, no check file without
 * a test; and for phase 01, the list equals what the runner reports for the reference solution.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/course/load.ts';
import { listChecks } from '../../src/report/check-list.ts';
import { runChecks } from '../../src/runner/index.ts';

const phases = loadCourse();

describe('listChecks on the course', () => {
  it.each(phases.map((p) => [p.id, p] as const))('%s: one entry per test, unique ids, groups from phase.json', (_id, phase) => {
    const list = listChecks(phase.id, phase.paths.checksDir);
    const files = readdirSync(phase.paths.checksDir).filter((n) => n.endsWith('.check.ts'));
    expect(new Set(list.map((c) => c.file.split('/').at(-1))).size).toBe(files.length);
    expect(new Set(list.map((c) => c.id)).size).toBe(list.length);
    const groups = new Set(phase.groups.map((g) => g.id));
    for (const c of list) expect(groups.has(c.group), `${c.id}: group "${c.group}"`).toBe(true);
  });

  it('names exactly the checks a real run of phase 01 reports, in the same order', { timeout: 120_000 }, async () => {
    const phase = phases.find((p) => p.id.startsWith('01'))!;
    const [run] = await runChecks({ phases: [{ phaseId: phase.id, checksDir: phase.paths.checksDir, targetDir: phase.paths.solutionDir, entry: phase.entry }], maxWorkers: 2 });
    const real = run!.results.map((r) => ({ id: r.id, group: r.group, title: r.title, file: r.file }));
    expect(listChecks(phase.id, phase.paths.checksDir).map(({ id, group, title, file }) => ({ id, group, title, file }))).toEqual(real);
    expect(join('checks', phase.id)).toBe(real[0]!.file.split('/').slice(0, 2).join('/'));
  });
});
