/**
 * verify with several folders (a batch), in-process with the fake runner: how folders are
 * named (repeated --dir, a shell-expanded glob, a quoted pattern), the canary gate, one
 * results.json per submission, and the usage errors an instructor can make.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
    expect(bob.tests.filter((t) => t.phase === SECOND).map((t) => t.status)).toEqual(['fail']);
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
