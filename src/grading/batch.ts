/**
 * Grades many submissions: a canary first, then the class, `jobs` at a time.
 *
 * - Canary: the reference solution is graded first, the same way. If it does not pass, the
 *   machine (or the install) is broken, not the students' code, and the batch stops before
 *   grading anyone. Its list of checks also tells which checks a stopped submission missed.
 * - Retry: a submission whose grading hit an infrastructure error (a check that could not
 *   reach a verdict, or a grading process that died) is graded once more; the report says so.
 * - Isolation is the grader's job (grade-in-child.ts): here a submission is just a job.
 */
import path from 'node:path';
import type { Phase } from '../course/types.ts';
import { notSubmittedRun, type DirReport } from '../report/model.ts';
import type { CheckResult, PhaseRun, ProgressEvent } from '../runner/types.ts';
import { applyStarterRule } from './starter-rule.ts';
import type { GradeOutcome, GradeSubmission, SubmissionJob } from './types.ts';
import { isFolder, phaseToRun } from '../runner/phase-to-run.ts';

export interface Submission {
  readonly dir: string;
  readonly label: string;
}

export type BatchEvent =
  /** expectedMs: how long the canary takes on a quiet machine (expectedCanaryMs). */
  | { readonly type: 'canary-done'; readonly report: DirReport; readonly expectedMs: number }
  | { readonly type: 'submission-done'; readonly report: DirReport; readonly done: number; readonly total: number }
  | { readonly type: 'retrying'; readonly label: string; readonly reason: string }
  | { readonly type: 'progress'; readonly label: string; readonly event: ProgressEvent };

export interface BatchOptions {
  readonly submissions: readonly Submission[];
  readonly phases: readonly Phase[];
  /** Submissions graded at the same time. */
  readonly jobs: number;
  /** Time budget per submission (per attempt), in quiet-machine time (paced-budget.ts). */
  readonly budgetMs: number;
  readonly canary: boolean;
  readonly grade: GradeSubmission;
  readonly onEvent?: (event: BatchEvent) => void;
  /** Ctrl-C: no new submission starts, nothing is retried, running ones are stopped. */
  readonly signal?: AbortSignal;
}

/** The reference solution failed on this machine: nothing was graded. */
export class CanaryFailure extends Error {
  override readonly name = 'CanaryFailure';
  constructor(readonly report: DirReport) {
    const bad = report.runs.flatMap((run) => run.results).filter((r) => r.status === 'fail' || r.status === 'error');
    super(
      `The reference solution did not pass on this machine (${bad.length} check${bad.length === 1 ? '' : 's'} failed or could not run), ` +
        'so grades from this machine could not be trusted: the machine or the install is broken, not the students’ code. Nothing was graded.\n' +
        bad
          .slice(0, 8)
          .map((r) => `  ✗ ${r.phase.slice(0, 2)} · ${r.title}: ${r.message.split('\n')[0]}`)
          .join('\n') +
        (bad.length > 8 ? `\n  … and ${bad.length - 8} more` : '') +
        '\nCheck free memory, disk space and that no other program is using many ports, then run the batch again (or run the canary alone: verify --all --dir <package>/solutions).',
    );
  }
}

/**
 * How long the canary (every selected phase of the reference solution, in one process)
 * takes on a quiet machine: measured on the 2-core CI machine, 4.7 s for phase 06 alone
 * and 16 s for all seven phases (README, Benchmarks). A canary several times slower means
 * a busy or slow machine: the batch says so, with the figures, before grading anyone.
 */
export function expectedCanaryMs(phaseCount: number): number {
  return Math.max(5000, 2300 * phaseCount);
}

/** Slower than this many times the expected time: worth a warning. */
export const SLOW_CANARY_FACTOR = 2.5;

/** The warning for a canary far slower than expected, with the figures; null when it was not. */
export function slowCanaryWarning(tookMs: number, expectedMs: number): string | null {
  if (tookMs <= expectedMs * SLOW_CANARY_FACTOR) return null;
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return (
    `Warning: the canary took ${s(tookMs)}, ${(tookMs / expectedMs).toFixed(1)}× the ${s(expectedMs)} it takes on a quiet machine: ` +
    'this machine is busy or slow right now. A check whose timing could not be trusted is reported as "could not run" and retried, never as a student\'s failure; ' +
    'for grades you can stand behind, grade when the machine is quiet, or with fewer --jobs.'
  );
}

export async function gradeBatch(options: BatchOptions): Promise<DirReport[]> {
  let expected: ReadonlyMap<string, readonly CheckResult[]> | undefined;
  if (options.canary) {
    const canary = await gradeSubmission(options, { dir: path.dirname(options.phases[0]!.paths.solutionDir), label: 'reference solution' }, 0, undefined, true);
    // Ctrl-C during the canary: nothing was graded, and the machine is not to blame.
    if (options.signal?.aborted === true) return [];
    options.onEvent?.({ type: 'canary-done', report: canary, expectedMs: expectedCanaryMs(options.phases.length) });
    const broken = canary.runs.some((run) => run.notSubmitted || run.results.some((r) => r.status === 'fail' || r.status === 'error'));
    if (broken) throw new CanaryFailure(canary);
    expected = new Map(canary.runs.map((run) => [run.phase, run.results]));
  }

  const reports: DirReport[] = new Array(options.submissions.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < options.submissions.length && options.signal?.aborted !== true) {
      const index = next++;
      const report = await gradeSubmission(options, options.submissions[index]!, index + 1, expected, false);
      reports[index] = report;
      options.onEvent?.({ type: 'submission-done', report, done: ++done, total: options.submissions.length });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, options.submissions.length)) }, worker));
  return reports;
}

async function gradeSubmission(
  options: BatchOptions,
  submission: Submission,
  index: number,
  expected: ReadonlyMap<string, readonly CheckResult[]> | undefined,
  reference: boolean,
): Promise<DirReport> {
  const started = performance.now();
  const targets = options.phases.map((phase) => ({ phase, targetDir: reference ? phase.paths.solutionDir : path.join(submission.dir, phase.id) }));
  const present = targets.filter((t) => isFolder(t.targetDir));
  const job: SubmissionJob = {
    dir: submission.dir,
    label: submission.label,
    index,
    budgetMs: options.budgetMs,
    phases: present.map(({ phase, targetDir }) => phaseToRun(phase, targetDir)),
    onProgress: (event) => options.onEvent?.({ type: 'progress', label: submission.label, event }),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let attempts = 0;
  let outcome: GradeOutcome = { runs: [] };
  if (present.length > 0) {
    outcome = await options.grade(job);
    attempts = 1;
    const reason = retryReason(outcome);
    if (reason !== undefined && options.signal?.aborted !== true) {
      options.onEvent?.({ type: 'retrying', label: submission.label, reason });
      outcome = await options.grade(job);
      attempts = 2;
    }
  }
  const runs = targets.map(({ phase, targetDir }): PhaseRun => {
    const run = outcome.runs.find((r) => r.phase === phase.id);
    // A missing phase counts every check the canary ran (else the phase's check files list them).
    if (run === undefined) return notSubmittedRun(phase, targetDir, expected?.get(phase.id));
    const complete = outcome.stoppedReason !== undefined && !outcome.graderFailed ? withUnfinished(run, expected?.get(phase.id), outcome.stoppedReason) : run;
    return reference ? complete : applyStarterRule(complete, phase);
  });
  return {
    dir: submission.dir,
    label: submission.label,
    runs,
    ...(attempts > 1 ? { attempts } : {}),
    ...(outcome.stoppedReason !== undefined ? { stoppedReason: outcome.stoppedReason } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}

/** Why a second attempt is worth it: the grader failed, or a check could not reach a verdict. */
function retryReason(outcome: GradeOutcome): string | undefined {
  if (outcome.graderFailed) return outcome.stoppedReason ?? 'the grading process failed';
  const errored = outcome.runs.flatMap((run) => run.results).filter((r) => r.status === 'error');
  if (errored.length > 0) return `${errored.length} check${errored.length === 1 ? '' : 's'} could not run (${errored[0]!.title})`;
  return undefined;
}

/**
 * A run cut short: the checks that finished keep their results; every check the reference
 * solution has that did not finish fails with the reason (so the total stays the phase's
 * real total). Without a canary the missing checks are unknown: one failure stands for them.
 */
function withUnfinished(run: PhaseRun, expected: readonly CheckResult[] | undefined, reason: string): PhaseRun {
  const message =
    `Grading of this submission was stopped because ${reason}, before this check finished. ` +
    'A server that hangs, never answers or never starts listening makes every check wait for its deadline. ' +
    `To see what happens, grade this phase alone: npx learn-node-http verify ${run.phase} --dir <this submission>.`;
  if (expected === undefined) {
    const stopped: CheckResult = { phase: run.phase, id: 'time-budget', group: '', title: 'Every check finished within the time budget', status: 'fail', message, durationMs: 0, file: '' };
    return { ...run, results: [...run.results, stopped] };
  }
  // In the reference's (stable) order, as a complete run would list them.
  const finished = new Map(run.results.map((r) => [r.id, r]));
  const results = expected.map((r): CheckResult => finished.get(r.id) ?? { phase: r.phase, id: r.id, group: r.group, title: r.title, status: 'fail', message, durationMs: 0, file: r.file });
  const extra = run.results.filter((r) => !expected.some((e) => e.id === r.id));
  return { ...run, results: [...results, ...extra] };
}
