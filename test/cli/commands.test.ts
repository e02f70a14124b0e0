/**
 * Every command in-process against a two-phase fixture course and a fake runner: the
 * workspace flow (create, fail, pass, quiz, unlock, complete), hints, solution, reset,
 * status, lesson, quiz, and the refusals. The real runner is exercised in e2e.test.ts.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeRunnerCall } from './helpers.ts';
import { packageRoot as ROOT } from '../../src/course/paths.ts';
import { PROGRESS_FILE, type Progress } from '../../src/workspace/progress.ts';
import { FIRST, SECOND, fakeRunner, fixtureCourse, removeTempDirs, runCli, tempDir, writeFiles } from './helpers.ts';
import { answersFor, shownQuiz } from './quiz-order.ts';

afterAll(removeTempDirs);

let courseRoot: string;
let ws: string;
const cli = (argv: string[], extra: { tty?: boolean; runner?: ReturnType<typeof fakeRunner>; cwd?: string } = {}) =>
  runCli(argv, { cwd: extra.cwd ?? ws, courseRoot, ...(extra.runner ? { runner: extra.runner } : {}), ...(extra.tty ? { tty: true } : {}) });
const progress = (): Progress => JSON.parse(readFileSync(join(ws, PROGRESS_FILE), 'utf8')) as Progress;
const solve = (phase: string): void => writeFileSync(join(ws, phase, 'server.ts'), '// solved by the learner\n');

beforeEach(() => {
  courseRoot = fixtureCourse();
  ws = tempDir('lnh-ws-');
});

describe('next', () => {
  it('in an empty folder creates the workspace and the first phase, and says what to do', async () => {
    const r = await cli(['next']);
    expect(r.code).toBe(0);
    for (const f of [PROGRESS_FILE, 'package.json', 'tsconfig.json', '.gitignore', `${FIRST}/server.ts`, `${FIRST}/data/sample.json`, `${FIRST}/LESSON.md`]) {
      expect(existsSync(join(ws, f)), f).toBe(true);
    }
    expect(existsSync(join(ws, SECOND))).toBe(false);
    expect(r.stdout).toContain(`${FIRST}/LESSON.md`);
    expect(r.stdout).toContain(`${FIRST}/server.ts`);
    expect(r.stdout).toContain('npx learn-node-http next');
    const p = progress();
    expect(p).toMatchObject({ formatVersion: 1, current: FIRST, completedAt: null });
    expect(p.phases[FIRST]).toEqual({ unlockedAt: '2026-11-23T10:00:00.000Z', passedAt: null, attempts: 0, hintsUsed: 0, solutionViewed: false, quiz: null });
    const pkg = JSON.parse(readFileSync(join(ws, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/node', 'tsx', 'typescript']);
    // The same versions as the course's own: typescript and @types/node are its devDependencies, tsx a runtime one.
    const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.devDependencies).toEqual({
      '@types/node': own.devDependencies['@types/node'],
      tsx: own.dependencies.tsx,
      typescript: own.devDependencies.typescript,
    });
  });

  it('refuses to create a workspace in a folder that already holds files', async () => {
    writeFiles(ws, { 'notes.txt': 'mine' });
    const r = await cli(['next']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a learn-node-http workspace, and it is not empty \(it holds notes\.txt\)/);
    expect(r.stderr).toContain('npx learn-node-http init my-course');
    expect(readdirSync(ws)).toEqual(['notes.txt']);
  });

  it('on failure shows ✗ with the message, records the attempt and exits 1', async () => {
    await cli(['next']);
    const calls: FakeRunnerCall[] = [];
    const r = await cli(['next'], { runner: fakeRunner(calls) });
    expect(r.code).toBe(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ phaseId: FIRST, targetDir: join(ws, FIRST), entry: ['main.ts', 'server.ts'] });
    expect(calls[0]!.checksDir).toBe(join(courseRoot, 'checks', FIRST));
    expect(r.stdout).toContain('✓ The alpha check');
    expect(r.stdout).toContain('✗ The beta check');
    expect(r.stdout).toContain('Expected status 500, got nothing after 2 s.');
    expect(r.stdout).toContain('1 of 2 checks passed');
    expect(r.stdout).toContain('“Beta”');
    expect(r.stdout).toMatch(/npx learn-node-http hint.*3 hints left/);
    expect(r.stderr).not.toContain('running:'); // progress lines go to a terminal only
    expect(progress().phases[FIRST]).toMatchObject({ attempts: 1, passedAt: null });
    expect(progress().current).toBe(FIRST);
  });

  it('on success records the quiz from --answers, unlocks and scaffolds the next phase, then completes the course', async () => {
    await cli(['next']);
    await cli(['next']); // one failing attempt
    solve(FIRST);
    // quiz.json choices 1 ("that one", right) and 2 ("c", wrong), in the numbers this workspace shows.
    const r = await cli(['next', '--answers', answersFor(ws, courseRoot, FIRST, [1, 2])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Phase 01 passed.');
    expect(r.stdout).toContain('Quiz score: 1/2');
    expect(r.stdout).toMatch(new RegExp(`correct: +${shownQuiz(ws, courseRoot, FIRST)[1]!.answer}\\) a\n`));
    expect(r.stdout).toContain('Unlocked phase 02.');
    expect(existsSync(join(ws, SECOND, 'server.ts'))).toBe(true);
    let p = progress();
    expect(p.current).toBe(SECOND);
    expect(p.phases[FIRST]).toMatchObject({ attempts: 2, passedAt: '2026-11-23T10:00:00.000Z', quiz: { answers: [1, 2], score: 1, total: 2 } });
    expect(p.phases[SECOND]).toMatchObject({ attempts: 0, passedAt: null });

    solve(SECOND);
    const last = await cli(['next']); // no terminal, no --answers: the questions, and how to answer them
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/There is no terminal to ask in, so here they are/);
    expect(last.stdout).toContain('quiz 02 --answers N,N');
    expect(last.stdout).toContain('You finished every phase');
    expect(last.stdout).toMatch(/01-first-steps: 2 attempts, quiz 1\/2/);
    expect(last.stdout).toMatch(/02-second-steps: 1 attempt, quiz not taken/);
    p = progress();
    expect(p.current).toBeNull();
    expect(p.completedAt).toBe('2026-11-23T10:00:00.000Z');

    const again = await cli(['next']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('You finished every phase');
  });

  it('rejects malformed --answers before running any check', async () => {
    await cli(['next']);
    const calls: FakeRunnerCall[] = [];
    for (const answers of ['1', '1,5', 'a,b', '1,0,0']) {
      const r = await cli(['next', '--answers', answers], { runner: fakeRunner(calls) });
      expect(r.code, answers).toBe(2);
      expect(r.stderr).toMatch(/--answers/);
    }
    expect(calls).toHaveLength(0);
  });

  it('a runner that throws is an infrastructure error (exit 2), not the learner failing', async () => {
    await cli(['next']);
    const r = await cli(['next'], { runner: async () => Promise.reject(new Error('vitest exploded')) });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('could not run');
    expect(r.stdout).toContain('vitest exploded');
  });

  it('re-creates a deleted phase folder from the starter instead of running checks', async () => {
    await cli(['next']);
    const { rmSync } = await import('node:fs');
    rmSync(join(ws, FIRST), { recursive: true });
    const r = await cli(['next']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/was missing, so the starter files were copied again/);
    expect(existsSync(join(ws, FIRST, 'server.ts'))).toBe(true);
  });
});

describe('init', () => {
  it('creates a workspace in a new folder and keeps files that exist', async () => {
    writeFiles(ws, { 'course/tsconfig.json': '{"mine":true}\n', [`course/${FIRST}/server.ts`]: '// my work\n' });
    const r = await cli(['init', 'course']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kept\s+tsconfig\.json \(already there: not overwritten\)/);
    expect(r.stdout).toMatch(new RegExp(`kept\\s+${FIRST}/server\\.ts`));
    expect(r.stdout).toContain('cd course');
    expect(readFileSync(join(ws, 'course/tsconfig.json'), 'utf8')).toBe('{"mine":true}\n');
    expect(readFileSync(join(ws, `course/${FIRST}/server.ts`), 'utf8')).toBe('// my work\n');
    expect(existsSync(join(ws, 'course', PROGRESS_FILE))).toBe(true);
    const again = await cli(['init', 'course']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already a learn-node-http workspace/);
  });
});

describe('commands that need a workspace', () => {
  it.each([['status'], ['hint'], ['solution'], ['reset'], ['watch']])('%s outside a workspace says how to start one (exit 2)', async (cmd) => {
    const r = await cli([cmd]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No learn-node-http workspace here/);
    expect(r.stderr).toContain('npx learn-node-http init');
  });
});

describe('hint', () => {
  it('reveals one more hint per call, records it, and stops at the last', async () => {
    await cli(['next']);
    const first = await cli(['hint']);
    expect(first.stdout).toContain('Hint 1 of 3 (new):');
    expect(first.stdout).toContain('Look at the first TODO.');
    expect(first.stdout).not.toContain('Hint 2');
    expect(progress().phases[FIRST]!.hintsUsed).toBe(1);
    const second = await cli(['hint', '01']);
    expect(second.stdout).toContain('Hint 2 of 3 (new):');
    expect(second.stdout).toContain('Use a try/catch');
    await cli(['hint']);
    const fourth = await cli(['hint']);
    expect(fourth.stdout).toContain('Hint 3 of 3:');
    expect(fourth.stdout).not.toContain('(new)');
    expect(fourth.stdout).toContain('That was the last hint');
    expect(fourth.stdout).toContain('solution 01 --force');
    expect(progress().phases[FIRST]!.hintsUsed).toBe(3);
  });

  it('refuses a locked phase and names the current one', async () => {
    await cli(['next']);
    const r = await cli(['hint', '02']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/02-second-steps is not unlocked yet\. Finish 01-first-steps first/);
  });
});

describe('solution', () => {
  it('is refused before the phase passes, allowed with --force, recorded, and never touches the learner files', async () => {
    await cli(['next']);
    writeFileSync(join(ws, FIRST, 'server.ts'), '// my attempt\n');
    const refused = await cli(['solution']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/opens once the phase passes/);
    expect(refused.stderr).toContain('solution 01 --force');
    expect(existsSync(join(ws, FIRST, '.solution'))).toBe(false);
    expect(progress().phases[FIRST]!.solutionViewed).toBe(false);

    const forced = await cli(['solution', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(ws, FIRST, '.solution', 'server.ts'), 'utf8')).toContain('solved 01-first-steps');
    expect(existsSync(join(ws, FIRST, '.solution', 'main.ts'))).toBe(true);
    expect(readFileSync(join(ws, FIRST, 'server.ts'), 'utf8')).toBe('// my attempt\n');
    expect(progress().phases[FIRST]!.solutionViewed).toBe(true);
  });

  it('is allowed without --force once the phase passed', async () => {
    await cli(['next']);
    solve(FIRST);
    await cli(['next', '--answers', '1,0']);
    const r = await cli(['solution', '01']);
    expect(r.code).toBe(0);
    expect(existsSync(join(ws, FIRST, '.solution', 'server.ts'))).toBe(true);
  });
});

describe('reset', () => {
  it('moves the phase folder to a dated backup and restores the starter', async () => {
    await cli(['next']);
    writeFileSync(join(ws, FIRST, 'server.ts'), '// hours of work\n');
    writeFileSync(join(ws, FIRST, 'notes.md'), 'my notes\n');
    const r = await cli(['reset']);
    expect(r.code).toBe(0);
    const backup = join(ws, 'backups', FIRST, '2026-11-23T10-00-00');
    expect(readFileSync(join(backup, 'server.ts'), 'utf8')).toBe('// hours of work\n');
    expect(readFileSync(join(backup, 'notes.md'), 'utf8')).toBe('my notes\n');
    expect(readFileSync(join(ws, FIRST, 'server.ts'), 'utf8')).toContain('// TODO');
    expect(existsSync(join(ws, FIRST, 'notes.md'))).toBe(false);
    expect(r.stdout).toContain(`backups/${FIRST}/2026-11-23T10-00-00/`);
    const twice = await cli(['reset']);
    expect(twice.code).toBe(0);
    expect(existsSync(join(ws, 'backups', FIRST, '2026-11-23T10-00-00-2', 'server.ts'))).toBe(true);
  });
});

describe('status, lesson, quiz', () => {
  it('status shows current and locked phases', async () => {
    await cli(['next']);
    const r = await cli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/▶ 01-first-steps {2}First steps {2}current · 0 check runs, hints 0\/3, quiz not taken/);
    expect(r.stdout).toMatch(/· 02-second-steps {2}Second steps {2}\(locked\)/);
  });

  it('lesson prints the shipped lesson, with or without a workspace', async () => {
    const r = await cli(['lesson', '02']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# Second steps');
    expect(r.stdout).toContain('## Beta');
  });

  it('quiz without a terminal and without --answers prints the questions and how to answer, exit 0', async () => {
    await cli(['next']);
    const r = await cli(['quiz']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('quiz 01 --answers N,N');
    expect(r.stdout).toContain('1. Which is right?');
    expect(r.stdout).toMatch(/^ {4}[01]\) that one$/m);
  });

  it('quiz --answers grades and records; a retake keeps the best and the history', async () => {
    await cli(['next']);
    const r = await cli(['quiz', '--answers', answersFor(ws, courseRoot, FIRST, [1, 0])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Quiz score: 2/2');
    expect(progress().phases[FIRST]!.quiz).toMatchObject({ answers: [1, 0], score: 2, total: 2 });
    await cli(['quiz', '01', '--answers', answersFor(ws, courseRoot, FIRST, [0, 0])]);
    expect(progress().phases[FIRST]!.quiz).toMatchObject({ answers: [1, 0], score: 2 });
    expect(progress().phases[FIRST]!.quizAttempts!.map((a) => a.score)).toEqual([2, 1]);
  });
});

describe('a damaged progress file', () => {
  const cases: Array<[string, (text: string) => string, RegExp]> = [
    ['truncated JSON', (t) => t.slice(0, 40), /is not valid JSON/],
    ['a wrong type', (t) => t.replace('"attempts": 0', '"attempts": "zero"'), /"phases\.01-first-steps\.attempts" should be a whole number \(0 or more\), but it is "zero"/],
    ['an unknown current phase', (t) => t.replace('"current": "01-first-steps"', '"current": "09-nope"'), /"current" names the phase "09-nope", which this course does not have/],
    ['a newer format', (t) => t.replace('"formatVersion": 1', '"formatVersion": 7'), /written by a newer learn-node-http/],
  ];
  it.each(cases)('%s: clear sentence, exit 2, file untouched, nothing else written', async (_name, damage, message) => {
    await cli(['next']);
    const file = join(ws, PROGRESS_FILE);
    const broken = damage(readFileSync(file, 'utf8'));
    writeFileSync(file, broken);
    const calls: FakeRunnerCall[] = [];
    for (const cmd of [['next'], ['status'], ['hint'], ['reset']]) {
      const r = await cli(cmd, { runner: fakeRunner(calls) });
      expect(r.code, cmd[0]).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(calls).toHaveLength(0);
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(existsSync(join(ws, 'backups'))).toBe(false);
  });
});
