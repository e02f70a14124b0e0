/**
 * Shared by the CLI tests: a small two-phase fixture course written to a temp folder, an
 * in-memory CommandContext (captured output, fixed clock, fake runner), and temp folders
 * that are removed afterwards.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/main.ts';
import type { CheckResult, PhaseRun, ProgressEvent } from '../../src/runner/types.ts';
import type { CommandContext, PhaseToRun, RunChecks } from '../../src/ui/context.ts';

const made: string[] = [];

export function tempDir(prefix = 'lnh-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
}

export const FIRST = '01-first-steps';
export const SECOND = '02-second-steps';

function phaseJson(id: string, title: string): string {
  return JSON.stringify({
    formatVersion: 1,
    id,
    title,
    summary: `The ${title.toLowerCase()} of the fixture course.`,
    entry: ['main.ts', 'server.ts'],
    starter: ['server.ts', 'data/sample.json'],
    edit: ['server.ts'],
    hints: ['Look at the first TODO.', 'Use a try/catch around the await.', 'Almost there: catch, log, answer 500.'],
    estimateMinutes: 30,
    groups: [
      { id: 'alpha', title: 'Alpha works', lessonSection: 'Alpha' },
      { id: 'beta', title: 'Beta works', lessonSection: 'Beta' },
    ],
  });
}

const QUIZ = JSON.stringify({
  formatVersion: 1,
  questions: [
    { question: 'Which is right?', choices: ['this one', 'that one'], answer: 1, explanation: 'That one, because.' },
    { question: 'And now?', choices: ['a', 'b', 'c'], answer: 0, explanation: 'a, because.' },
  ],
});

/** A complete, valid two-phase course (phases/, solutions/, checks/) under a new temp folder. */
export function fixtureCourse(): string {
  const root = tempDir('lnh-course-');
  for (const [id, title] of [
    [FIRST, 'First steps'],
    [SECOND, 'Second steps'],
  ] as const) {
    writeFiles(root, {
      [`phases/${id}/phase.json`]: phaseJson(id, title),
      [`phases/${id}/quiz.json`]: QUIZ,
      [`phases/${id}/LESSON.md`]: `# ${title}\n\n## Alpha\n\nText.\n\n## Beta\n\nMore text.\n`,
      [`phases/${id}/starter/server.ts`]: `// TODO: make it work (${id})\nexport {};\n`,
      [`phases/${id}/starter/data/sample.json`]: '[]\n',
      [`solutions/${id}/server.ts`]: `// solved ${id}\nexport {};\n`,
      [`solutions/${id}/main.ts`]: `import './server.ts';\n`,
      [`checks/${id}/alpha.check.ts`]: '',
    });
  }
  return root;
}

export function result(phase: string, id: string, status: CheckResult['status'], message = ''): CheckResult {
  return { phase, id, group: id.startsWith('b') ? 'beta' : 'alpha', title: `The ${id} check`, status, message, durationMs: 12, file: `checks/${phase}/${id}.check.ts` };
}

/**
 * A runner that grades by file content: a phase folder whose server.ts mentions "solved"
 * passes; otherwise the beta check fails. Records every call.
 */
export function fakeRunner(calls: FakeRunnerCall[] = []): RunChecks {
  return async ({ phases, onProgress }) => Promise.all(phases.map((phase) => gradeOne({ ...phase, ...(onProgress ? { onProgress } : {}) }, calls)));
}

/** One phase as the fake runner saw it (the options of the old single-phase runner). */
export type FakeRunnerCall = PhaseToRun & { readonly onProgress?: (event: ProgressEvent) => void };

async function gradeOne(opts: FakeRunnerCall, calls: FakeRunnerCall[]): Promise<PhaseRun> {
  {
    calls.push(opts);
    const { readFileSync, existsSync } = await import('node:fs');
    const file = join(opts.targetDir, 'server.ts');
    const solved = existsSync(file) && readFileSync(file, 'utf8').includes('solved');
    const results = [result(opts.phaseId, 'alpha', 'pass'), result(opts.phaseId, 'beta', solved ? 'pass' : 'fail', 'Expected status 500, got nothing after 2 s.\nRun: npx learn-node-http hint')];
    for (const r of results) {
      opts.onProgress?.({ type: 'check-start', phase: r.phase, title: r.title, group: r.group });
      opts.onProgress?.({ type: 'check-end', result: r });
    }
    const run: PhaseRun = { phase: opts.phaseId, targetDir: opts.targetDir, results, durationMs: 42 };
    return run;
  }
}

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly courseRoot: string;
  readonly runner?: RunChecks;
  readonly env?: NodeJS.ProcessEnv;
  readonly tty?: boolean;
  readonly now?: Date;
}

/** Runs the CLI in-process with captured output and a fake runner. */
export async function runCli(argv: string[], options: RunOptions): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const tty = options.tty ?? false;
  const ctx: CommandContext = {
    cwd: options.cwd,
    env: options.env ?? {},
    stdout: { write: (s: string) => (stdout += s), isTTY: tty, columns: 80 },
    stderr: { write: (s: string) => (stderr += s), isTTY: tty, columns: 80 },
    stdin: { isTTY: tty },
    now: () => options.now ?? new Date('2026-11-23T10:00:00.000Z'),
    courseRoot: options.courseRoot,
    loadRunner: async () => options.runner ?? fakeRunner(),
    // A batch grades each folder in this process with the same (fake) runner.
    loadGrader: async () => async (job) => ({ runs: await (options.runner ?? fakeRunner())({ phases: job.phases, ...(job.onProgress ? { onProgress: job.onProgress } : {}) }) }),
    onInterrupt: () => () => {},
  };
  const outcome = await main(argv, ctx);
  return { code: outcome.exitCode, stdout, stderr };
}

/** What `watch` printed so far, read while it runs. */
export interface WatchOutput {
  stdout: string;
  stderr: string;
}

/**
 * The context `watch` runs in for these tests: no terminal, a fixed clock, `runner` for the
 * checks, its output collected in `output`, and `interrupt()` standing in for Ctrl-C.
 */
export function watchContext(cwd: string, courseRoot: string, runner: RunChecks): { ctx: CommandContext; output: WatchOutput; interrupt: () => void } {
  const output: WatchOutput = { stdout: '', stderr: '' };
  let onInterrupt: (() => void) | undefined;
  const ctx: CommandContext = {
    cwd,
    env: {},
    stdout: { write: (s: string) => (output.stdout += s), isTTY: false, columns: 80 },
    stderr: { write: (s: string) => (output.stderr += s), isTTY: false, columns: 80 },
    stdin: { isTTY: false },
    now: () => new Date('2026-11-23T10:00:00.000Z'),
    courseRoot,
    loadRunner: async () => runner,
    loadGrader: async () => {
      throw new Error('watch never grades a batch');
    },
    onInterrupt: (handler) => {
      onInterrupt = handler;
      return () => (onInterrupt = undefined);
    },
  };
  return { ctx, output, interrupt: () => onInterrupt!() };
}
