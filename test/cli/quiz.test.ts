/**
 * The quick-check quiz as a learner meets it: without a terminal it prints the questions
 * (exit 0) and says how to answer; each workspace sees its own, stable order of choices,
 * the same in print, in --answers and in the arrow-key prompt; a retake keeps the best score
 * and the history; a wrong answer names the right choice and explains it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCourse } from '../../src/course/load.ts';
import { packageRoot } from '../../src/course/paths.ts';
import { stripAnsi } from '../../src/ui/style.ts';
import { PROGRESS_FILE, type Progress } from '../../src/workspace/progress.ts';
import { FIRST, fixtureCourse, removeTempDirs, runCli, tempDir } from './helpers.ts';
import { answersFor, shownQuiz } from './quiz-order.ts';
import { runBin } from './spawn.ts';

/** What the arrow-key prompt was given, per question, and the reply it gives back. */
const prompted: Array<{ message: string; choices: string[] }> = [];
let reply: (choices: Array<{ name: string; message: string }>, questionIndex: number) => string = () => '0';
vi.mock('enquirer', () => ({
  default: {
    prompt: async (options: { message: string; choices: Array<{ name: string; message: string }> }) => {
      prompted.push({ message: options.message, choices: options.choices.map((c) => c.message) });
      return { choice: reply(options.choices, prompted.length - 1) };
    },
  },
}));

afterAll(removeTempDirs);

const course = loadCourse(packageRoot);
const phase01 = course[0]!;
const readProgress = (ws: string): Progress => JSON.parse(readFileSync(join(ws, PROGRESS_FILE), 'utf8')) as Progress;
const writeProgressJson = (ws: string, p: unknown): void => writeFileSync(join(ws, PROGRESS_FILE), `${JSON.stringify(p, null, 2)}\n`);

/** The questions as printed: per question, its choices in printed order (the number is checked to be the position). */
function printedChoices(stdout: string): string[][] {
  const questions: string[][] = [];
  for (const line of stdout.split('\n')) {
    if (/^\d+\. /.test(line)) questions.push([]);
    const choice = /^ {4}(\d+)\) (.*)$/.exec(line);
    if (choice) {
      const current = questions.at(-1)!;
      expect(Number(choice[1]), line).toBe(current.length);
      current.push(choice[2]!);
    }
  }
  return questions;
}

/** --answers picking, in each printed question, the choice whose text is quiz.json's key. */
function keyNumbers(printed: string[][]): string {
  return printed.map((choices, i) => choices.indexOf(phase01.quiz[i]!.choices[phase01.quiz[i]!.answer]!)).join(',');
}

/** A new workspace of the real course (the first phase unlocked). */
async function realWorkspace(): Promise<string> {
  const ws = tempDir('lnh-quiz-ws-');
  expect((await runCli(['next'], { cwd: ws, courseRoot: packageRoot })).code).toBe(0);
  return ws;
}

describe('without a terminal', () => {
  it('`quiz 01` (the real CLI, stdin not a terminal) prints the numbered questions and how to answer, exit 0', async () => {
    const top = tempDir('lnh-quiz-bin-');
    expect((await runBin(['init', 'course'], { cwd: top })).code).toBe(0);
    const r = await runBin(['quiz', '01'], { cwd: join(top, 'course') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const printed = printedChoices(r.stdout);
    expect(printed).toHaveLength(phase01.quiz.length);
    phase01.quiz.forEach((q, i) => {
      expect(r.stdout).toContain(`${i + 1}. ${q.question}`);
      expect([...printed[i]!].sort()).toEqual([...q.choices].sort());
    });
    expect(r.stdout).toContain(`npx learn-node-http quiz 01 --answers ${phase01.quiz.map(() => 'N').join(',')}`);
    expect(r.stdout).toMatch(/numbered from 0/);
  });

  it('outside a workspace it prints the questions too, exit 0', async () => {
    const r = await runCli(['quiz', '01'], { cwd: tempDir(), courseRoot: packageRoot });
    expect(r.code).toBe(0);
    expect(printedChoices(r.stdout)).toHaveLength(phase01.quiz.length);
  });

  it('`next` prints the questions of the phase that just passed before it asks for --answers', async () => {
    const courseRoot = fixtureCourse();
    const ws = tempDir('lnh-quiz-next-');
    await runCli(['next'], { cwd: ws, courseRoot });
    writeFileSync(join(ws, FIRST, 'server.ts'), '// solved\n');
    const r = await runCli(['next'], { cwd: ws, courseRoot });
    expect(r.code).toBe(0);
    const question = r.stdout.indexOf('1. Which is right?');
    const howTo = r.stdout.indexOf('npx learn-node-http quiz 01 --answers N,N');
    expect(question).toBeGreaterThan(r.stdout.indexOf('Phase 01 passed.'));
    expect(howTo).toBeGreaterThan(question);
    expect(r.stdout).not.toMatch(/next --answers/);
    expect(printedChoices(r.stdout).map((c) => c.length)).toEqual([2, 3]);
    expect(readProgress(ws).phases[FIRST]!.quiz).toBeNull();
  });
});

describe('the order of choices', () => {
  it('is the same on every run in one workspace, and the printed numbers are the ones --answers takes', async () => {
    const ws = await realWorkspace();
    const first = await runCli(['quiz', '01'], { cwd: ws, courseRoot: packageRoot });
    const second = await runCli(['quiz', '01'], { cwd: ws, courseRoot: packageRoot });
    expect(second.stdout).toBe(first.stdout);
    const answers = keyNumbers(printedChoices(first.stdout));
    const graded = await runCli(['quiz', '01', '--answers', answers], { cwd: ws, courseRoot: packageRoot });
    expect(graded.code).toBe(0);
    expect(graded.stdout).toContain(`Quiz score: ${phase01.quiz.length}/${phase01.quiz.length}`);
    // Recorded as quiz.json numbers, whatever order they were shown in.
    expect(readProgress(ws).phases[phase01.id]!.quiz!.answers).toEqual(phase01.quiz.map((q) => q.answer));
    // Still the same order after answering.
    expect((await runCli(['quiz', '01'], { cwd: ws, courseRoot: packageRoot })).stdout).toBe(first.stdout);
  });

  it('differs between two workspaces (each gets a random id when it is created)', async () => {
    const a = await realWorkspace();
    const b = await realWorkspace();
    const idA = readProgress(a).workspaceId;
    const idB = readProgress(b).workspaceId;
    expect(idA).toMatch(/^[0-9a-f-]{36}$/);
    expect(idB).toMatch(/^[0-9a-f-]{36}$/);
    expect(idA).not.toBe(idB);
    const printedA = printedChoices((await runCli(['quiz', '01'], { cwd: a, courseRoot: packageRoot })).stdout);
    const printedB = printedChoices((await runCli(['quiz', '01'], { cwd: b, courseRoot: packageRoot })).stdout);
    // Five questions of four choices: the same order everywhere would happen once in 24^5 pairs.
    expect(printedA.some((choices, i) => choices.join('\n') !== printedB[i]!.join('\n'))).toBe(true);
  });

  it('is not quiz.json order for every learner: over a few workspaces the key moves', async () => {
    const courseRoot = fixtureCourse();
    const positions = new Set<string>();
    for (let n = 0; n < 8; n++) {
      const ws = tempDir('lnh-quiz-many-');
      await runCli(['next'], { cwd: ws, courseRoot });
      positions.add(shownQuiz(ws, courseRoot, FIRST).map((q) => q.answer).join(','));
    }
    expect(positions.size).toBeGreaterThan(1);
  });

  it('in a workspace from before the id existed, is derived from createdAt: stable, and the file still loads', async () => {
    const ws = await realWorkspace();
    const old = readProgress(ws) as Progress & { workspaceId?: string };
    delete old.workspaceId;
    writeProgressJson(ws, old);
    const first = await runCli(['quiz', '01'], { cwd: ws, courseRoot: packageRoot });
    expect(first.code, first.stderr).toBe(0);
    expect((await runCli(['quiz', '01'], { cwd: ws, courseRoot: packageRoot })).stdout).toBe(first.stdout);
    const graded = await runCli(['quiz', '01', '--answers', keyNumbers(printedChoices(first.stdout))], { cwd: ws, courseRoot: packageRoot });
    expect(graded.stdout).toContain(`Quiz score: ${phase01.quiz.length}/${phase01.quiz.length}`);
    expect(readProgress(ws).workspaceId).toBeUndefined();
    expect((await runCli(['status'], { cwd: ws, courseRoot: packageRoot })).code).toBe(0);
  });

  it('is the same in the arrow-key prompt as in print', async () => {
    const ws = await realWorkspace();
    const printed = printedChoices((await runCli(['quiz', '01'], { cwd: ws, courseRoot: packageRoot })).stdout);
    prompted.length = 0;
    // Pick the key in each prompt, found by its text.
    reply = (choices, i) => choices.find((c) => c.message.endsWith(phase01.quiz[i]!.choices[phase01.quiz[i]!.answer]!))!.name;
    const r = await runCli(['quiz', '01'], { cwd: ws, courseRoot: packageRoot, tty: true });
    expect(r.code).toBe(0);
    expect(prompted.map((p) => p.choices)).toEqual(printed.map((choices) => choices.map((text, n) => `${n}) ${text}`)));
    expect(stripAnsi(r.stdout)).toContain(`Quiz score: ${phase01.quiz.length}/${phase01.quiz.length}`);
    expect(readProgress(ws).phases[phase01.id]!.quiz!.answers).toEqual(phase01.quiz.map((q) => q.answer));
  });
});

describe('retakes and feedback (fixture course)', () => {
  let courseRoot: string;
  let ws: string;
  const cli = (argv: string[], now?: Date) => runCli(argv, { cwd: ws, courseRoot, ...(now ? { now } : {}) });

  beforeEach(async () => {
    courseRoot = fixtureCourse();
    ws = tempDir('lnh-quiz-fx-');
    await cli(['next']);
  });

  it('a retake with a lower score keeps the best score and records every attempt', async () => {
    await cli(['quiz', '--answers', answersFor(ws, courseRoot, FIRST, [1, 0])], new Date('2026-11-23T10:00:00.000Z'));
    const worse = await cli(['quiz', '--answers', answersFor(ws, courseRoot, FIRST, [0, 0])], new Date('2026-11-24T10:00:00.000Z'));
    expect(worse.code).toBe(0);
    expect(worse.stdout).toContain('Quiz score: 1/2');
    expect(worse.stdout).toContain('Your best so far stays 2/2');
    const entry = readProgress(ws).phases[FIRST]!;
    expect(entry.quiz).toEqual({ answers: [1, 0], score: 2, total: 2, answeredAt: '2026-11-23T10:00:00.000Z' });
    expect(entry.quizAttempts).toEqual([
      { answers: [1, 0], score: 2, total: 2, answeredAt: '2026-11-23T10:00:00.000Z' },
      { answers: [0, 0], score: 1, total: 2, answeredAt: '2026-11-24T10:00:00.000Z' },
    ]);
    expect((await cli(['status'])).stdout).toMatch(/quiz 2\/2/);
    const better = await cli(['quiz', '--answers', answersFor(ws, courseRoot, FIRST, [1, 0])], new Date('2026-11-25T10:00:00.000Z'));
    expect(better.stdout).toContain('Your best so far for this quiz: 2/2');
    expect(readProgress(ws).phases[FIRST]!.quiz!.answeredAt).toBe('2026-11-25T10:00:00.000Z');
    expect(readProgress(ws).phases[FIRST]!.quizAttempts).toHaveLength(3);
  });

  it('a progress file written before the history existed keeps its attempt as the first of the history', async () => {
    const p = readProgress(ws);
    p.phases[FIRST]!.quiz = { answers: [1, 0], score: 2, total: 2, answeredAt: '2026-11-20T10:00:00.000Z' };
    delete p.phases[FIRST]!.quizAttempts;
    writeProgressJson(ws, p);
    await cli(['quiz', '--answers', answersFor(ws, courseRoot, FIRST, [0, 1])]);
    const entry = readProgress(ws).phases[FIRST]!;
    expect(entry.quiz!.score).toBe(2);
    expect(entry.quizAttempts!.map((a) => [a.score, a.answeredAt])).toEqual([
      [2, '2026-11-20T10:00:00.000Z'],
      [0, '2026-11-23T10:00:00.000Z'],
    ]);
  });

  it('a wrong answer names the right choice, its number and text, and explains why', async () => {
    const shown = shownQuiz(ws, courseRoot, FIRST);
    const r = await cli(['quiz', '--answers', answersFor(ws, courseRoot, FIRST, [0, 0])]);
    expect(r.stdout).toContain('✗ 1. Which is right?');
    expect(r.stdout).toContain(`you chose:   ${shown[0]!.order.indexOf(0)}) this one`);
    expect(r.stdout).toContain(`correct:     ${shown[0]!.answer}) that one`);
    expect(r.stdout).toContain('why: That one, because.');
    // A right answer gets no "correct:" line.
    expect(r.stdout).toContain('✓ 2. And now?');
    expect(r.stdout.split('✓ 2. And now?')[1]).not.toContain('correct:');
  });

  it('a damaged workspaceId or quiz history is a sentence naming the field, exit 2', async () => {
    const good = readProgress(ws);
    writeProgressJson(ws, { ...good, workspaceId: 42 });
    let r = await cli(['quiz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"workspaceId" should be a non-empty string/);
    const history = structuredClone(good);
    (history.phases[FIRST] as unknown as Record<string, unknown>)['quizAttempts'] = [{ score: 1 }];
    writeProgressJson(ws, history);
    r = await cli(['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"phases\.01-first-steps\.quizAttempts\[0\]\.answers" should be an array of choice numbers/);
  });
});
