/**
 * The data every reporter renders: for each graded folder, one PhaseRun per phase asked for.
 * A phase folder that is missing arrives as a run with `notSubmitted`; here it becomes one
 * synthetic failing result, so each reporter shows it the same way without special cases.
 */
import type { Phase } from '../course/types.ts';
import type { CheckResult, CheckStatus, PhaseRun } from '../runner/types.ts';

export interface DirReport {
  /** Absolute path of the graded folder. */
  readonly dir: string;
  /** How the folder is named in reports (the path as given on the command line). */
  readonly label: string;
  readonly runs: readonly PhaseRun[];
  /** Batch grading: 2 when an infrastructure error made the grader run this folder again. */
  readonly attempts?: number;
  /**
   * Batch grading: why grading of this folder was cut short (its time budget ran out, its
   * grading process died). The checks that had not finished are in `runs` as failures.
   */
  readonly stoppedReason?: string;
  /** Batch grading: wall time spent on this folder, retries included. */
  readonly durationMs?: number;
}

export interface Tally {
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  readonly skipped: number;
  /** Checks that count towards a score: everything but skipped ones. */
  readonly total: number;
}

export const NOT_SUBMITTED_ID = 'not-submitted';

export function notSubmittedRun(phase: Phase, targetDir: string): PhaseRun {
  return { phase: phase.id, targetDir, results: [], durationMs: 0, notSubmitted: true };
}

/** The results to show for a run: the real ones, or one failure saying the folder is missing. */
export function resultsOf(run: PhaseRun): readonly CheckResult[] {
  if (!run.notSubmitted) return run.results;
  return [
    {
      phase: run.phase,
      id: NOT_SUBMITTED_ID,
      group: '',
      title: `Phase folder ${run.phase}/ is present`,
      status: 'fail',
      message: `Not submitted: there is no folder ${run.phase}/ in ${run.targetDir.replace(/[\\/][^\\/]+$/, '')}, so none of this phase's checks ran.`,
      durationMs: 0,
      file: '',
    },
  ];
}

export function tally(results: readonly CheckResult[]): Tally {
  const count = (status: CheckStatus): number => results.filter((r) => r.status === status).length;
  const skipped = count('skip');
  return { passed: count('pass'), failed: count('fail'), errored: count('error'), skipped, total: results.length - skipped };
}

/** error beats fail beats pass: an infrastructure problem must never read as a learner's bug. */
export function verdict(results: readonly CheckResult[]): 'pass' | 'fail' | 'error' {
  if (results.some((r) => r.status === 'error')) return 'error';
  if (results.some((r) => r.status === 'fail')) return 'fail';
  return 'pass';
}

export function allResults(report: DirReport): CheckResult[] {
  return report.runs.flatMap((run) => [...resultsOf(run)]);
}

/** 0 all passed, 1 a check failed (or a phase is missing), 2 a check could not run. */
export function exitCodeFor(reports: readonly DirReport[]): 0 | 1 | 2 {
  const overall = verdict(reports.flatMap(allResults));
  return overall === 'pass' ? 0 : overall === 'fail' ? 1 : 2;
}

/**
 * How many checks a phase has, for "passed/total" columns when a folder did not submit it:
 * the largest count any graded folder produced (every submitted run lists every check).
 */
export function checkCount(phaseId: string, reports: readonly DirReport[]): number | null {
  let best: number | null = null;
  for (const report of reports) {
    for (const run of report.runs) {
      if (run.phase === phaseId && !run.notSubmitted) best = Math.max(best ?? 0, tally(run.results).total);
    }
  }
  return best;
}

/** 1-based position of a check group within its phase (Exercism's task_id). */
export function groupIndex(phases: readonly Phase[], phaseId: string, groupId: string): number | null {
  const phase = phases.find((p) => p.id === phaseId);
  const index = phase?.groups.findIndex((g) => g.id === groupId) ?? -1;
  return index >= 0 ? index + 1 : null;
}

/**
 * passed/total for one run; a phase that was not submitted scores 0 of the number of checks
 * other folders ran for it (null when no folder submitted it, so the total is unknown).
 */
export function phaseScore(run: PhaseRun, reports: readonly DirReport[]): { passed: number; total: number } | null {
  if (!run.notSubmitted) {
    const t = tally(run.results);
    return { passed: t.passed, total: t.total };
  }
  const n = checkCount(run.phase, reports);
  return n === null ? null : { passed: 0, total: n };
}

/** Totals over every folder and phase, counted the way the CSV counts them. */
export function overallScore(reports: readonly DirReport[]): { passed: number; total: number; errored: number; missing: number } {
  let passed = 0;
  let total = 0;
  let missing = 0;
  for (const report of reports) {
    for (const run of report.runs) {
      if (run.notSubmitted) missing++;
      const score = phaseScore(run, reports);
      passed += score?.passed ?? 0;
      total += score?.total ?? 0;
    }
  }
  return { passed, total, errored: tally(reports.flatMap(allResults)).errored, missing };
}
