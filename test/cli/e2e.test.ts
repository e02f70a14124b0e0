/**
 * The CLI end to end: real spawns of bin/learn-node-http.js in temporary folders, with the
 * real course and the real runner (each check run starts the learner's server and sends
 * real requests, so these tests take seconds). The flow is one learner's journey, in order.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/course/load.ts';
import { PROGRESS_FILE, type Progress } from '../../src/workspace/progress.ts';
import { parseXml, findAll } from './xml.ts';
import { removeTempDirs, tempDir } from './helpers.ts';
import { rightAnswers } from './quiz-order.ts';
import { cleanEnv, runBin } from './spawn.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const phases = loadCourse();
const first = phases[0]!;
/** Allowing for a slow CI machine: one phase's checks take ~5 s here. */
const CHECK_RUN_MS = 90_000;

afterAll(removeTempDirs);

const top = tempDir('lnh-e2e-');
const ws = join(top, 'learner');
mkdirSync(ws);
const progress = (): Progress => JSON.parse(readFileSync(join(ws, PROGRESS_FILE), 'utf8')) as Progress;
/** Every answer right, in the numbers this workspace's quiz shows (its choices are shuffled per workspace). */
const answersOf = (id: string) => rightAnswers(ws, undefined, id);

describe.sequential('a learner, start to finish', () => {
  it('init creates a workspace in a new folder', async () => {
    const r = await runBin(['init', 'course'], { cwd: top });
    expect(r.code, r.stderr).toBe(0);
    for (const f of [PROGRESS_FILE, 'package.json', 'tsconfig.json', '.gitignore', `${first.id}/LESSON.md`, ...first.starter.map((s) => `${first.id}/${s}`)]) {
      expect(existsSync(join(top, 'course', f)), f).toBe(true);
    }
    expect(r.stdout).toContain('cd course');
  });

  it('next in an empty folder creates the workspace and names the file to open and the next command', async () => {
    const r = await runBin(['next'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${first.id}/LESSON.md`);
    expect(r.stdout).toMatch(new RegExp(`${first.id}/\\S+\\.ts \\(look for the // TODO markers\\)`));
    expect(r.stdout).toContain('npx learn-node-http next');
    expect(progress().current).toBe(first.id);
  });

  it('the untouched workspace type-checks with its own tsconfig (no red squiggles in an editor)', () => {
    // Stand-in for `npm install` in the workspace: the same typescript and @types/node.
    symlinkSync(join(ROOT, 'node_modules'), join(ws, 'node_modules'), 'dir');
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = (() => {
      try {
        return execFileSync(process.execPath, [tsc, '-p', join(ws, 'tsconfig.json')], { encoding: 'utf8', timeout: 60_000 });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        return `FAILED\n${e.stdout ?? ''}${e.stderr ?? ''}`;
      }
    })();
    expect(out).toBe('');
  });

  it('next on the starter fails with ✗ lines and the next command, no progress lines without a terminal; exit 1', async () => {
    const r = await runBin(['next'], { cwd: ws, timeoutMs: CHECK_RUN_MS });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^Checking phase /);
    expect(r.stdout).toContain('✗ ');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`Fix what is marked ✗, then run npx learn-node-http verify ${first.number}`);
    expect(r.stderr).not.toMatch(/running: /); // progress lines go to a terminal only
    expect(r.stdout + r.stderr).not.toMatch(/\u001b\[/); // no colour without a TTY
    expect(progress().phases[first.id]).toMatchObject({ attempts: 1, passedAt: null });
  });

  it('hint reveals one hint per call and records the count', async () => {
    const one = await runBin(['hint'], { cwd: ws });
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`Hint 1 of ${first.hints.length} (new):`);
    const two = await runBin(['hint'], { cwd: join(ws, first.id) }); // works from inside the phase folder too
    expect(two.stdout).toContain(`Hint ${Math.min(2, first.hints.length)} of ${first.hints.length}`);
    expect(progress().phases[first.id]!.hintsUsed).toBe(Math.min(2, first.hints.length));
  });

  it('solution is refused before passing and allowed with --force, without touching the learner files', async () => {
    const before = readFileSync(join(ws, first.id, first.starter[0]!), 'utf8');
    const refused = await runBin(['solution'], { cwd: ws });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/opens once the phase passes/);
    const forced = await runBin(['solution', '--force'], { cwd: ws });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readdirSync(join(ws, first.id, '.solution')).length).toBeGreaterThan(0);
    expect(readFileSync(join(ws, first.id, first.starter[0]!), 'utf8')).toBe(before);
    expect(progress().phases[first.id]!.solutionViewed).toBe(true);
  });

  it('reset keeps a dated backup and restores the starter', async () => {
    writeFileSync(join(ws, first.id, 'my-notes.txt'), 'keep me\n');
    const r = await runBin(['reset'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    const backups = readdirSync(join(ws, 'backups', first.id));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}$/);
    expect(readFileSync(join(ws, 'backups', first.id, backups[0]!, 'my-notes.txt'), 'utf8')).toBe('keep me\n');
    expect(existsSync(join(ws, first.id, 'my-notes.txt'))).toBe(false);
    for (const s of first.starter) {
      expect(readFileSync(join(ws, first.id, s))).toEqual(readFileSync(join(first.paths.starterDir, s)));
    }
  });

  it('with the reference solutions in place, next --answers passes every phase, records the quizzes and completes the course', { timeout: 30_000 + phases.length * CHECK_RUN_MS }, async () => {
    for (const phase of phases) {
      expect(progress().current).toBe(phase.id);
      cpSync(phase.paths.solutionDir, join(ws, phase.id), { recursive: true });
      if (phase === first) {
        // The learner's loop: verify records the pass, then next goes straight to the quiz and the unlock.
        const attempts = progress().phases[phase.id]!.attempts;
        const verified = await runBin(['verify'], { cwd: ws, timeoutMs: CHECK_RUN_MS });
        expect(verified.code, `${verified.stdout}\n${verified.stderr}`).toBe(0);
        expect(verified.stdout.trimEnd().split('\n').at(-1)).toBe(`Phase ${phase.number} passed: run npx learn-node-http next for the quick check and the next phase`);
        expect(progress().phases[phase.id]!.attempts).toBe(attempts + 1);
      }
      const r = await runBin(['next', '--answers', answersOf(phase.id)], { cwd: ws, timeoutMs: CHECK_RUN_MS, env: cleanEnv({ CI: 'true' }) });
      expect(r.code, `${phase.id}\n${r.stdout}\n${r.stderr}`).toBe(0);
      if (phase === first) expect(r.stdout).not.toMatch(/^Checking phase /m);
      expect(r.stdout).toContain(`Phase ${phase.number} passed.`);
      expect(r.stdout).toContain(`Quiz score: ${phase.quiz.length}/${phase.quiz.length}`);
      expect(progress().phases[phase.id]).toMatchObject({ quiz: { score: phase.quiz.length, total: phase.quiz.length } });
      expect(progress().phases[phase.id]!.passedAt).not.toBeNull();
    }
    const p = progress();
    expect(p.current).toBeNull();
    expect(p.completedAt).not.toBeNull();
    const status = await runBin(['status'], { cwd: ws });
    expect(status.stdout).toContain('You finished every phase');
  });
});

describe.sequential('grading with verify', () => {
  // Three folders: a solved one, an untouched starter, and one that submitted nothing.
  const grading = tempDir('lnh-grade-');
  const solved = join(grading, 'solved');
  const starter = join(grading, 'starter');
  mkdirSync(join(grading, 'empty'), { recursive: true });
  cpSync(first.paths.starterDir, join(solved, first.id), { recursive: true });
  cpSync(first.paths.solutionDir, join(solved, first.id), { recursive: true });
  cpSync(first.paths.starterDir, join(starter, first.id), { recursive: true });
  const args = ['verify', first.number];

  it('pretty: exit 0 on the solution, with ✓ per check', async () => {
    const r = await runBin(args, { cwd: solved, timeoutMs: CHECK_RUN_MS });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ /);
    expect(r.stdout).not.toMatch(/✗ /);
  });

  it('json: Exercism v3 per folder (array), pass / fail / not submitted; exit 1', { timeout: 2 * CHECK_RUN_MS + 10_000 }, async () => {
    const r = await runBin([...args, '--dir', 'solved', '--dir', 'starter', '--dir', 'empty', '--reporter', 'json'], { cwd: grading, timeoutMs: 2 * CHECK_RUN_MS });
    expect(r.code, r.stderr).toBe(1);
    const docs = JSON.parse(r.stdout) as Array<{ version: number; status: string; dir: string; tests: Array<Record<string, unknown>> }>;
    expect(docs.map((d) => [d.dir, d.version, d.status])).toEqual([
      ['solved', 3, 'pass'],
      ['starter', 3, 'fail'],
      ['empty', 3, 'fail'],
    ]);
    for (const doc of docs) {
      for (const t of doc.tests) {
        expect(['pass', 'fail', 'error']).toContain(t['status']);
        for (const key of ['name', 'message', 'output', 'test_code', 'task_id', 'group']) expect(t, key).toHaveProperty(key);
      }
    }
    const groups = first.groups.map((g) => g.id);
    for (const t of docs[0]!.tests) {
      expect(groups).toContain(t['group']);
      expect(t['task_id']).toBe(groups.indexOf(t['group'] as string) + 1);
    }
    expect(docs[1]!.tests.some((t) => t['status'] === 'fail' && typeof t['message'] === 'string' && (t['message'] as string).length > 20)).toBe(true);
    // A missing phase counts every one of its checks (the score model, src/report/score.ts).
    expect(docs[2]!.tests).toHaveLength(docs[0]!.tests.length);
    expect(docs[2]!.tests[0]!['message']).toMatch(/Not submitted/);
  });

  it('junit --out: parseable XML with a suite per folder and phase', async () => {
    const r = await runBin([...args, '--dir', 'starter', '--dir', 'empty', '--reporter', 'junit', '--out', 'out/junit.xml'], { cwd: grading, timeoutMs: CHECK_RUN_MS });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Wrote the junit report for 2 folders to out\/junit\.xml/);
    const root = parseXml(readFileSync(join(grading, 'out', 'junit.xml'), 'utf8'));
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attrs['name'])).toEqual([`starter: ${first.id}`, `empty: ${first.id}`]);
    expect(findAll(suites[0]!, 'failure').length).toBeGreaterThan(0);
    expect(Number(root.attrs['tests'])).toBe(findAll(root, 'testcase').length);
  });

  it('csv: one row per folder with passed/total, 0/N for the folder that did not submit', async () => {
    const r = await runBin([...args, '--dir', 'solved', '--dir', 'empty', '--reporter', 'csv'], { cwd: grading, timeoutMs: CHECK_RUN_MS });
    // Exit 2 here would mean a check could not run (infrastructure): the status column names how many; rerun as pretty to see which.
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const rows = r.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe(`dir,${first.id},total,status`);
    const [, passed, total] = /^solved,(\d+)\/(\d+),/.exec(rows[1]!) ?? [];
    expect(Number(passed)).toBeGreaterThan(0);
    expect(passed).toBe(total);
    expect(rows[2]).toBe(`empty,0/${total},0/${total},empty submission (no phase folder)`);
  });
});

describe('refusals', () => {
  it('a corrupt progress file: clear sentence, exit 2, file untouched', async () => {
    const dir = tempDir('lnh-corrupt-');
    await runBin(['init'], { cwd: dir });
    const file = join(dir, PROGRESS_FILE);
    const broken = readFileSync(file, 'utf8').replace('"hintsUsed": 0', '"hintsUsed": -1');
    writeFileSync(file, broken);
    for (const cmd of ['next', 'status', 'hint']) {
      const r = await runBin([cmd], { cwd: dir });
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toMatch(/The progress file .* is damaged: ".*hintsUsed" should be a whole number \(0 or more\), but it is -1\./);
      expect(r.stderr).toMatch(/It was left untouched/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('no workspace, unknown phase, unknown flag, old Node: one sentence each, exit 2', async () => {
    const dir = tempDir('lnh-refuse-');
    const cases: Array<[string[], RegExp, NodeJS.ProcessEnv?]> = [
      [['hint'], /No learn-node-http workspace here.*\n.*npx learn-node-http init/],
      [['verify', '42'], /Unknown phase "42"\. This course has: /],
      [['verify', '--colour'], /Unknown option "--colour"/],
      [['status'], /needs Node\.js 20\.19 or newer.*this is Node\.js 18\.20\.4/, cleanEnv({ LEARN_NODE_HTTP_TEST_NODE_VERSION: '18.20.4' })],
    ];
    for (const [argv, message, env] of cases) {
      const r = await runBin(argv, { cwd: dir, ...(env ? { env } : {}) });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('watch', () => {
  it('prints its first line at once, re-runs after a save, and exits 0 on Ctrl-C (SIGINT)', { timeout: 2 * CHECK_RUN_MS + 30_000 }, async () => {
    const dir = tempDir('lnh-watch-');
    expect((await runBin(['next'], { cwd: dir })).code).toBe(0);
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./spawn.ts');
    const child = spawn(process.execPath, [BIN, 'watch'], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = async (what: string, test: () => boolean, ms: number): Promise<void> => {
      const deadline = performance.now() + ms;
      while (!test()) {
        if (performance.now() > deadline) throw new Error(`watch: no ${what} within ${ms} ms. Output so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const runsDone = (): number => out.split('Waiting for you to save').length - 1;
    try {
      // How fast is for `npm run bench`; here only that it comes first, before any result.
      await waitFor('first line', () => out.includes('Watching '), 10_000);
      expect(out.trimStart().split('\n')[0]).toMatch(/^Watching /);
      await waitFor('end of the first run', () => runsDone() === 1, CHECK_RUN_MS);
      writeFileSync(join(dir, first.id, first.starter[0]!), readFileSync(join(dir, first.id, first.starter[0]!), 'utf8') + '\n// saved\n');
      await waitFor('a second run after the save', () => runsDone() === 2, CHECK_RUN_MS);
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running 10 s after SIGINT'), 10_000))]);
      expect(code).toBe(0);
      expect(out).toContain('Stopped watching.');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
