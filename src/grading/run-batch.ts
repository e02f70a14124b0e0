/**
 * A batch as `verify` runs it from the command line: the grader that puts each submission in
 * a process of its own (grade-in-child.ts), a temp folder removed whatever happens, Ctrl-C,
 * the defaults for --jobs and --budget, and the opening and closing lines on stderr. The
 * scheduling itself (canary, jobs at a time, retries) is batch.ts, which knows nothing of
 * processes or terminals so that tests can drive it with a fake grader.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Phase } from '../course/types.ts';
import { UserError } from '../errors.ts';
import type { DirReport } from '../report/model.ts';
import type { Ui } from '../ui/context.ts';
import { CanaryFailure, gradeBatch } from './batch.ts';
import { announceBatchEvent, seconds } from './batch-progress.ts';
import type { GradedDir } from './expand-dirs.ts';

export interface BatchSettings {
  /** Submissions graded at the same time (--jobs); default: one per core. */
  readonly jobs: number | undefined;
  /** Per submission (--budget); default: defaultBudgetSeconds. */
  readonly budgetSeconds: number | undefined;
  /** Grade the reference solution first (not --no-canary). */
  readonly canary: boolean;
}

/**
 * Per submission: generous for a healthy one (a whole course takes ~15 s alone, a few times
 * that with neighbours on a small machine), short enough that one hanging submission cannot
 * hold a class hostage. Each check has its own much shorter deadlines inside.
 */
export function defaultBudgetSeconds(phaseCount: number): number {
  return Math.max(60, 30 + 30 * phaseCount);
}

/**
 * Grades `dirs` on the `selected` phases. Returns the reports in the order given, or
 * 'interrupted' after Ctrl-C (every grading process stopped, and said so: the command then
 * ends without a report). A failed canary becomes a UserError: the machine is at fault and
 * nothing was graded.
 */
export async function runBatch(ui: Ui, dirs: readonly GradedDir[], selected: readonly Phase[], options: BatchSettings): Promise<DirReport[] | 'interrupted'> {
  const settings = {
    jobs: options.jobs ?? Math.max(1, os.availableParallelism()),
    budgetMs: (options.budgetSeconds ?? defaultBudgetSeconds(selected.length)) * 1000,
    canary: options.canary,
  };
  const { ctx } = ui;
  const batchId = ctx.env['LEARN_NODE_HTTP_BATCH_ID'] || randomUUID();
  const tmpRoot = join(os.tmpdir(), `learn-node-http-batch-${batchId.slice(0, 8)}-${process.pid}`);
  const grade = await ctx.loadGrader({
    batchId,
    tmpRoot,
    cacheDir: ctx.env['LEARN_NODE_HTTP_CACHE'] || join(os.tmpdir(), 'learn-node-http-cache'),
    workersPerSubmission: Math.max(2, Math.ceil(6 / settings.jobs)),
  });
  const controller = new AbortController();
  const removeInterrupt = ctx.onInterrupt(() => controller.abort());
  const started = performance.now();
  ui.err(
    `Grading ${dirs.length} folder${dirs.length === 1 ? '' : 's'} (${selected.length === 1 ? selected[0]!.id : `${selected.length} phases`}), ` +
      `${settings.jobs} at a time, at most ${Math.round(settings.budgetMs / 1000)} s each …`,
  );
  if (settings.canary) ui.err('First the reference solution, as a canary: if it fails here, the machine is at fault and nothing is graded.');
  try {
    const reports = await gradeBatch({
      submissions: dirs,
      phases: selected,
      jobs: settings.jobs,
      budgetMs: settings.budgetMs,
      canary: settings.canary,
      grade,
      signal: controller.signal,
      onEvent: (event) => announceBatchEvent(ui, event),
    });
    if (controller.signal.aborted) {
      ui.err('Interrupted: every grading process was stopped and its temp folder removed. No report was written.');
      return 'interrupted';
    }
    ui.err(`Graded ${dirs.length} folder${dirs.length === 1 ? '' : 's'} in ${seconds(performance.now() - started)}.`);
    return reports;
  } catch (error) {
    if (error instanceof CanaryFailure) throw new UserError(error.message);
    throw error;
  } finally {
    removeInterrupt();
    rmSync(tmpRoot, { recursive: true, force: true, maxRetries: 3 });
  }
}
