/**
 * A learner loop that never misdirects: the "Edit" line of next, status, reset and lesson
 * names exactly the files with // TODO markers (phase.json "edit"), and after `reset N` the
 * tool agrees with itself: status shows N as reset, next checks N again and then carries on
 * to the first phase that still needs a pass, without touching later phase folders.
 * In-process against the fixture course (fake runner), plus the real course for the Edit
 * lines of phases 03 and 07.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/course/load.ts';
import { packageRoot } from '../../src/course/paths.ts';
import { stripAnsi } from '../../src/ui/style.ts';
import { PROGRESS_FILE, type Progress } from '../../src/workspace/progress.ts';
import type { FakeRunnerCall } from './helpers.ts';
import { FIRST, SECOND, fakeRunner, fixtureCourse, removeTempDirs, runCli, tempDir, writeFiles } from './helpers.ts';

afterAll(removeTempDirs);

let courseRoot: string;
let ws: string;
const cli = (argv: string[], extra: { runner?: ReturnType<typeof fakeRunner>; tty?: boolean; root?: string } = {}) =>
  runCli(argv, { cwd: ws, courseRoot: extra.root ?? courseRoot, ...(extra.runner ? { runner: extra.runner } : {}), ...(extra.tty ? { tty: true } : {}) });
const progress = (): Progress => JSON.parse(readFileSync(join(ws, PROGRESS_FILE), 'utf8')) as Progress;
const solve = (phase: string): void => writeFileSync(join(ws, phase, 'server.ts'), '// solved by the learner\n');
const BACKUP = `backups/${FIRST}/2026-11-23T10-00-00`;

beforeEach(() => {
  courseRoot = fixtureCourse();
  ws = tempDir('lnh-ws-');
});

/** The fixture course passes 01; the workspace is at phase 02. */
async function passFirst(): Promise<void> {
  await cli(['next']);
  solve(FIRST);
  const r = await cli(['next']);
  expect(r.code, r.stdout).toBe(0);
  expect(progress().current).toBe(SECOND);
}

describe('the Edit line names the files with // TODO markers', () => {
  const course = loadCourse();
  const phase = (n: string) => course.find((p) => p.number === n)!;

  it('phase.json declares them for 03, 04 and 07 (not the first .ts file, not store.ts)', () => {
    expect(phase('03').edit).toEqual(['router.ts', 'server.ts']);
    expect(phase('04').edit).toEqual(['compose.ts', 'server.ts']);
    expect(phase('07').edit).toEqual(['http-helpers.ts', 'server.ts', 'handlers.ts']);
  });

  it('next names every declared file, in order, when it unlocks a phase', async () => {
    // The real course, one phase before 07, passed by the fake runner.
    const prev = phase('06');
    writeFiles(ws, {
      [PROGRESS_FILE]: JSON.stringify({
        formatVersion: 1, courseVersion: '0.1.0', createdAt: '2026-11-20T10:00:00.000Z', current: prev.id, completedAt: null,
        phases: { [prev.id]: { unlockedAt: '2026-11-20T10:00:00.000Z', passedAt: null, attempts: 0, hintsUsed: 0, solutionViewed: false, quiz: null } },
      }),
      [`${prev.id}/server.ts`]: '// solved\n',
    });
    const r = await cli(['next'], { root: packageRoot });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Unlocked phase 07.');
    expect(r.stdout).toContain('2. Edit   07-request-lifecycle/http-helpers.ts, server.ts, handlers.ts (in that order; look for the // TODO markers)');
    expect(r.stdout).not.toMatch(/Edit .*store\.ts/);

    const status = await cli(['status'], { root: packageRoot });
    expect(status.stdout).toContain('Edit   07-request-lifecycle/http-helpers.ts, server.ts, handlers.ts (in that order; look for the // TODO markers)');

    const lesson = await cli(['lesson', '03'], { root: packageRoot, tty: true });
    expect(stripAnsi(lesson.stdout)).toMatch(/Edit {3}router\.ts, server\.ts \(in that order; look for the \/\/ TODO markers\) in the 03-routing folder of your workspace\n$/);
  });

  it('lesson piped stays the file as shipped (nothing appended)', async () => {
    const r = await cli(['lesson', '07'], { root: packageRoot });
    expect(r.stdout).toBe(readFileSync(phase('07').paths.lesson, 'utf8'));
  });

  it('a phase.json "edit" that names a file the starter does not hand out is an authoring error', async () => {
    const file = join(courseRoot, 'phases', FIRST, 'phase.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    json['edit'] = ['store.ts'];
    writeFileSync(file, JSON.stringify(json));
    const r = await cli(['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/phase\.json: the field "edit\[0\]" names "store\.ts", which is not one of the "starter" files \(server\.ts, data\/sample\.json\)/);
  });
});

describe('reset, next and status agree', () => {
  it('after a pass of 01 and reset 01: backup printed, status says reset, next re-verifies 01, then returns to 02 untouched', async () => {
    await passFirst();
    writeFileSync(join(ws, SECOND, 'server.ts'), '// my work on phase 02\n');
    const passedAt = progress().phases[FIRST]!.passedAt;

    const reset = await cli(['reset', '01']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain(`Moved your files to ${BACKUP}/`);
    expect(readFileSync(join(ws, BACKUP, 'server.ts'), 'utf8')).toBe('// solved by the learner\n');
    expect(reset.stdout).toContain('Phase 01 is now the current phase, not passed until its checks pass again (npx learn-node-http verify 01 or npx learn-node-http next)');
    expect(reset.stdout).toContain('Check  npx learn-node-http verify 01');
    expect(reset.stdout).toContain(`Edit   ${FIRST}/server.ts (look for the // TODO markers)`);
    let p = progress();
    expect(p.current).toBe(FIRST);
    expect(p.phases[FIRST]!.passedAt).toBe(passedAt); // the earlier pass stays
    expect(p.phases[FIRST]!.history).toEqual([
      { event: 'passed', at: '2026-11-23T10:00:00.000Z' },
      { event: 'reset', at: '2026-11-23T10:00:00.000Z', backup: BACKUP },
    ]);

    const status = await cli(['status']);
    expect(status.stdout).toMatch(/▶ 01-first-steps {2}First steps {2}current · reset, not passed since \(passed 2026-11-23, reset 2026-11-23\) · 1 check run/);
    expect(status.stdout).toMatch(/○ 02-second-steps {2}Second steps {2}not passed yet · 0 check runs/);
    expect(status.stdout).not.toMatch(/✓ 01-first-steps/);
    expect(status.stdout).toContain(`Backups: 1 (latest: ${BACKUP}/) · list them: npx learn-node-http status --backups`);
    expect(status.stdout).toContain(`Edit   ${FIRST}/server.ts`);

    // next checks 01 again: the starter fails, and nothing else moves.
    const calls: FakeRunnerCall[] = [];
    const fail = await cli(['next'], { runner: fakeRunner(calls) });
    expect(fail.code).toBe(1);
    expect(calls.map((c) => c.phaseId)).toEqual([FIRST]);
    expect(fail.stdout).not.toContain('You finished every phase');
    expect(progress().current).toBe(FIRST);

    solve(FIRST);
    const pass = await cli(['next'], { runner: fakeRunner(calls) });
    expect(pass.code).toBe(0);
    expect(calls.map((c) => c.phaseId)).toEqual([FIRST, FIRST]);
    expect(pass.stdout).toContain('Phase 01 passed.');
    expect(pass.stdout).toContain(`Back to phase 02 (unlocked before: your files in ${SECOND}/ are as you left them).`);
    expect(pass.stdout).not.toContain('created');
    expect(readFileSync(join(ws, SECOND, 'server.ts'), 'utf8')).toBe('// my work on phase 02\n');
    p = progress();
    expect(p.current).toBe(SECOND);
    expect(p.phases[FIRST]!.passedAt).toBe(passedAt);
    expect(p.phases[FIRST]!.history!.map((e) => e.event)).toEqual(['passed', 'reset', 'passed']);
    expect((await cli(['status'])).stdout).toMatch(/✓ 01-first-steps {2}First steps {2}passed 2026-11-23/);
  });

  it('reset after finishing the course: next re-checks that phase instead of "You finished", then completes again', async () => {
    await passFirst();
    solve(SECOND);
    await cli(['next']);
    expect(progress().current).toBeNull();
    const completedAt = progress().completedAt;

    const reset = await cli(['reset', '02'], { runner: fakeRunner() });
    expect(reset.code).toBe(0);
    expect(progress().current).toBe(SECOND);
    expect((await cli(['status'])).stdout).toMatch(/▶ 02-second-steps .*reset, not passed since/);

    const calls: FakeRunnerCall[] = [];
    const again = await cli(['next'], { runner: fakeRunner(calls) });
    expect(calls.map((c) => c.phaseId)).toEqual([SECOND]);
    expect(again.code).toBe(1);
    expect(again.stdout).not.toContain('You finished every phase');

    solve(SECOND);
    const done = await cli(['next'], { runner: fakeRunner(calls) });
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('You finished every phase');
    expect(progress().current).toBeNull();
    expect(progress().completedAt).toBe(completedAt);
  });

  it('re-passing a reset phase goes on to the first phase not passed; an earlier reset phase is not forgotten', async () => {
    await passFirst();
    // At 02: reset 01 (current 01), then reset 02 (current 02). Passing 02 leads back to 01.
    await cli(['reset', '01']);
    await cli(['reset', '02']);
    expect(progress().current).toBe(SECOND);
    solve(SECOND);
    const r = await cli(['next']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Back to phase 01');
    expect(r.stdout).not.toContain('You finished every phase');
    expect(progress().current).toBe(FIRST);
    solve(FIRST);
    const last = await cli(['next']);
    expect(last.stdout).toContain('You finished every phase');
  });

  it('status --backups lists every backup folder; without backups it says how one is made', async () => {
    await cli(['next']);
    const none = await cli(['status', '--backups']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/No backups yet/);
    await cli(['reset']);
    await cli(['reset']);
    const r = await cli(['status', '--backups']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  ${BACKUP}/\n  ${BACKUP}-2/\n`);
    const plain = await cli(['status']);
    expect(plain.stdout).toContain(`Backups: 2 (latest: ${BACKUP}-2/)`);
  });

  it('a progress file from before the history loads, keeps its pass, and gains the history on reset', async () => {
    await passFirst();
    const old = progress();
    for (const entry of Object.values(old.phases)) delete entry.history;
    writeFileSync(join(ws, PROGRESS_FILE), JSON.stringify(old, null, 2));
    const status = await cli(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/✓ 01-first-steps {2}First steps {2}passed 2026-11-23/);
    await cli(['reset', '01']);
    expect(progress().phases[FIRST]!.history!.map((e) => e.event)).toEqual(['passed', 'reset']);
  });

  it('a damaged history is a sentence naming the field; the file stays as it is', async () => {
    await cli(['next']);
    const file = join(ws, PROGRESS_FILE);
    const p = progress();
    (p.phases[FIRST] as unknown as Record<string, unknown>)['history'] = [{ event: 'undone', at: '2026-11-23T10:00:00.000Z' }];
    const text = JSON.stringify(p);
    writeFileSync(file, text);
    const r = await cli(['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"phases\.01-first-steps\.history\[0\]\.event" should be "passed" or "reset", but it is "undone"/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('reset with no phase folder records the reset without a backup', async () => {
    await cli(['next']);
    rmSync(join(ws, FIRST), { recursive: true });
    const r = await cli(['reset']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`There was no ${FIRST}/ folder, so nothing needed a backup.`);
    expect(existsSync(join(ws, FIRST, 'server.ts'))).toBe(true);
    expect(progress().phases[FIRST]!.history).toEqual([{ event: 'reset', at: '2026-11-23T10:00:00.000Z', backup: null }]);
  });
});
