/**
 * verify with several folders (a batch), in-process with the fake runner: how folders are
 * named (repeated --dir, a shell-expanded glob, a quoted pattern), the canary gate, one
 * results.json per submission, and the usage errors an instructor can make.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeRunner, FIRST, fixtureCourse, removeTempDirs, runCli, SECOND, tempDir, writeFiles, type FakeRunnerCall } from './helpers.ts';

afterAll(removeTempDirs);

const courseRoot = fixtureCourse();

function classroom(...names: string[]): string {
  const top = tempDir();
  for (const name of names) writeFiles(join(top, 'submissions', name), { [`${FIRST}/server.ts`]: name === 'bob' ? '// todo\n' : '// solved\n' });
  return top;
}

describe('verify, several folders', () => {
  it('takes the folders of a shell-expanded glob after --dir, and a quoted pattern', async () => {
    const top = classroom('alice', 'bob', 'carol');
    const expanded = await runCli(['verify', '01', '--dir', 'submissions/alice', 'submissions/bob', 'submissions/carol', '--reporter', 'csv', '--no-canary'], { cwd: top, courseRoot });
    const quoted = await runCli(['verify', '01', '--dir', 'submissions/*', '--reporter', 'csv', '--no-canary'], { cwd: top, courseRoot });
    for (const r of [expanded, quoted]) {
      expect(r.stdout.split('\r\n').slice(1, 4).map((row) => row.split(',')[1])).toEqual(['2/2', '1/2', '2/2']);
      expect(r.code).toBe(1);
    }
    expect(quoted.stdout).toContain('submissions/bob,');
  });

  it('says so when a pattern matches no folder, and grades nothing', async () => {
    const top = classroom('alice');
    const r = await runCli(['verify', '01', '--dir', 'nobody/*'], { cwd: top, courseRoot });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dir nobody\/\*: no folder matches this pattern/);
  });

  it('stops before grading anyone when the reference solution fails (exit 2), and names the machine as the cause', async () => {
    const top = classroom('alice', 'bob');
    const calls: FakeRunnerCall[] = [];
    const broken = fixtureCourse();
    writeFiles(broken, { [`solutions/${FIRST}/server.ts`]: '// not finished\n' });
    const r = await runCli(['verify', '01', '--dir', 'submissions/*'], { cwd: top, courseRoot: broken, runner: fakeRunner(calls) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/reference solution did not pass on this machine/);
    expect(r.stderr).toMatch(/Nothing was graded/);
    expect(calls.every((c) => c.targetDir.startsWith(broken))).toBe(true);
  });

  it('writes one results.json per submission into a folder named with a trailing slash', async () => {
    const top = classroom('alice', 'bob');
    const r = await runCli(['verify', '--all', '--dir', 'submissions/*', '--reporter', 'json', '--out', 'results/'], { cwd: top, courseRoot });
    expect(r.code).toBe(1);
    const files = readdirSync(join(top, 'results')).sort();
    expect(files).toEqual(['alice.results.json', 'bob.results.json']);
    const bob = JSON.parse(readFileSync(join(top, 'results', 'bob.results.json'), 'utf8')) as { status: string; suite: { checksSha256: string }; tests: Array<{ phase: string; status: string }> };
    expect(bob.status).toBe('fail');
    expect(bob.suite.checksSha256).toMatch(/^[0-9a-f]{64}$/);
    // The missing phase counts every check the canary ran for it.
    expect(bob.tests.filter((t) => t.phase === SECOND).map((t) => t.status)).toEqual(['fail', 'fail']);
  });

  it('refuses a folder for --out with a reporter that writes one file', async () => {
    const top = classroom('alice', 'bob');
    const r = await runCli(['verify', '01', '--dir', 'submissions/*', '--reporter', 'csv', '--out', 'results/'], { cwd: top, courseRoot });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a folder/);
    expect(existsSync(join(top, 'results'))).toBe(false);
  });

  it('rejects a --jobs or --budget that is not a whole number of at least 1', async () => {
    const top = classroom('alice');
    for (const args of [['--jobs', '0'], ['--jobs', 'many'], ['--budget=-5']]) {
      const r = await runCli(['verify', '01', '--dir', 'submissions/alice', ...args], { cwd: top, courseRoot });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${args[0]!.split('=')[0]} needs a whole number`));
    }
    const ambiguous = await runCli(['verify', '01', '--budget', '-5'], { cwd: top, courseRoot });
    expect(ambiguous.stderr).toMatch(/write --budget=VALUE/);
  });

  it('--jobs on one folder grades it as a batch too (isolated, with the canary)', async () => {
    const top = classroom('alice');
    const calls: FakeRunnerCall[] = [];
    const r = await runCli(['verify', '01', '--dir', 'submissions/alice', '--jobs', '1'], { cwd: top, courseRoot, runner: fakeRunner(calls) });
    expect(r.code).toBe(0);
    expect(calls.map((c) => c.targetDir)).toEqual([join(courseRoot, 'solutions', FIRST), join(top, 'submissions', 'alice', FIRST)]);
    expect(r.stderr).toMatch(/canary: the reference solution passes 2\/2 checks/);
    expect(r.stderr).toMatch(/\[1\/1\] submissions\/alice: 2\/2/);
  });
});

describe('verify, where the report goes: checked before grading, never lost after', () => {
  it.each([
    ['a csv report into a folder', ['--reporter', 'csv', '--out', 'results/'], /is a folder; a csv report of 2 folders is one file: name a file instead/],
    ['a path under a file', ['--reporter', 'csv', '--out', 'a-file/grades.csv'], /a-file is a file, so nothing can be created under it/],
    ['a read-only folder', ['--reporter', 'csv', '--out', 'locked/grades.csv'], /the folder .*locked is read-only/],
    ['a read-only file', ['--reporter', 'csv', '--out', 'locked.csv'], /locked\.csv is read-only/],
    ['classroom for several folders to standard output', ['--reporter', 'classroom'], /one result per submission.*add --out DIR\//],
    ['classroom for several folders into one file', ['--reporter', 'classroom', '--out', 'grades.json'], /must name a folder: --out grades\//],
  ])('%s: one sentence, exit 2, nothing graded', async (_name, args, message) => {
    const top = classroom('alice', 'bob');
    writeFileSync(join(top, 'a-file'), '');
    mkdirSync(join(top, 'locked'), { mode: 0o555 });
    writeFileSync(join(top, 'locked.csv'), 'old grades\n', { mode: 0o444 });
    const calls: FakeRunnerCall[] = [];
    const r = await runCli(['verify', '01', '--dir', 'submissions/*', ...args], { cwd: top, courseRoot, runner: fakeRunner(calls) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Nothing was graded\.\n$/);
    expect(calls).toHaveLength(0);
    expect(readFileSync(join(top, 'locked.csv'), 'utf8')).toBe('old grades\n');
  });

  it('an immutable folder (chattr +i: even root cannot write) is found before grading', async () => {
    const top = classroom('alice', 'bob');
    mkdirSync(join(top, 'grades'));
    if (spawnSync('chattr', ['+i', join(top, 'grades')]).status !== 0) return;
    try {
      const calls: FakeRunnerCall[] = [];
      const r = await runCli(['verify', '01', '--dir', 'submissions/*', '--reporter', 'csv', '--out', 'grades/g.csv'], { cwd: top, courseRoot, runner: fakeRunner(calls) });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot write into .*grades \(EPERM/);
      expect(calls).toHaveLength(0);
    } finally {
      spawnSync('chattr', ['-i', join(top, 'grades')]);
    }
  });

  it('a write that fails after grading saves the report beside it, says where, exit 2', async () => {
    const top = classroom('alice', 'bob');
    mkdirSync(join(top, 'grades'));
    // The folder turns immutable while grading runs (a disk remounted read-only, say).
    const runner = fakeRunner();
    let locked = false;
    const locking: typeof runner = async (opts) => {
      if (!locked) locked = spawnSync('chattr', ['+i', join(top, 'grades')]).status === 0;
      return runner(opts);
    };
    try {
      const r = await runCli(['verify', '01', '--dir', 'submissions/*', '--reporter', 'csv', '--out', 'grades/g.csv'], { cwd: top, courseRoot, runner: locking });
      if (!locked) return; // no chattr here
      expect(r.code).toBe(2);
      const [, saved] = /it was saved to (\S+) instead\./.exec(r.stderr) ?? [];
      expect(saved, r.stderr).toBeDefined();
      expect(saved!.startsWith(join(top, 'g-'))).toBe(true);
      expect(readFileSync(saved!, 'utf8')).toMatch(/^dir,01-first-steps,total,status\r\nsubmissions\/alice,2\/2/);
    } finally {
      spawnSync('chattr', ['-i', join(top, 'grades')]);
    }
  });

  it('classroom for several folders: one file per submission, each the object the action reads', async () => {
    const top = classroom('alice', 'bob');
    const r = await runCli(['verify', '--all', '--dir', 'submissions/*', '--reporter', 'classroom', '--out', 'classroom/'], { cwd: top, courseRoot });
    expect(r.code).toBe(1);
    expect(readdirSync(join(top, 'classroom')).sort()).toEqual(['alice.classroom.json', 'bob.classroom.json']);
    const bob = JSON.parse(readFileSync(join(top, 'classroom', 'bob.classroom.json'), 'utf8')) as { max_score: number; tests: Array<{ score: number }>; message: string };
    expect(bob.max_score).toBe(bob.tests.length);
    expect(bob.tests.reduce((n, t) => n + t.score, 0)).toBe(1);
    expect(bob.message).toMatch(/Not submitted: 02/);
    expect(r.stderr).toMatch(/Wrote 2 classroom\.json files to classroom/);
  });

  it('progress lines, the CSV and the summary show the same numbers; an empty submission is marked', async () => {
    const top = classroom('alice', 'bob');
    mkdirSync(join(top, 'submissions', 'empty'));
    const r = await runCli(['verify', '--all', '--dir', 'submissions/*', '--reporter', 'csv', '--jobs', '1'], { cwd: top, courseRoot });
    const rows = r.stdout.split('\r\n');
    expect(rows.slice(1, 4)).toEqual([
      `submissions/alice,2/2,0/2,2/4,not submitted: 02`,
      `submissions/bob,1/2,0/2,1/4,not submitted: 02`,
      `submissions/empty,0/2,0/2,0/4,empty submission (no phase folder)`,
    ]);
    expect(r.stderr).toMatch(/\] submissions\/alice: 2\/4 \(/);
    expect(r.stderr).toMatch(/\] submissions\/empty: 0\/4 \(.*\) — empty submission \(no phase folder\)/);
    expect(r.stderr).toMatch(/3\/12 checks passed, 4 phase folders not submitted \(1 empty submission\)/);
  });
});
