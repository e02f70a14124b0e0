/**
 * The data every reporter renders: for each graded folder, one PhaseRun per phase asked for.
 * A phase folder that is missing arrives as a run with `notSubmitted` whose checks all fail;
 * score.ts turns runs into the one set of numbers every report shows.
 */
import type { Phase } from '../course/types.ts';
import type { CheckResult, CheckStatus, PhaseRun } from '../runner/types.ts';
import { listChecks } from './check-list.ts';

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

/**
 * A phase folder that is missing: every check of the phase fails with "Not submitted", so
 * the phase counts all of its checks in every report. `checks` is the list to use (the
 * canary's, in a batch); without it the phase's check files are read (check-list.ts).
 */
export function notSubmittedRun(phase: Phase, targetDir: string, checks?: readonly Pick<CheckResult, 'id' | 'group' | 'title' | 'file' | 'status'>[]): PhaseRun {
  const listed = checks ?? listChecks(phase.id, phase.paths.checksDir);
  const message = notSubmittedMessage(phase.id, targetDir);
  const results = listed.map(
    (c): CheckResult => ({ phase: phase.id, id: c.id, group: c.group, title: c.title, status: 'status' in c && c.status === 'skip' ? 'skip' : 'fail', message, durationMs: 0, file: c.file }),
  );
  return { phase: phase.id, targetDir, results, durationMs: 0, notSubmitted: true };
}

function notSubmittedMessage(phaseId: string, targetDir: string): string {
  return `Not submitted: there is no folder ${phaseId}/ in ${targetDir.replace(/[\\/][^\\/]+$/, '')}, so none of this phase's checks ran.`;
}

/** The results to show for a run: the real ones, or (no check list known) one failure saying the folder is missing. */
export function resultsOf(run: PhaseRun): readonly CheckResult[] {
  if (!run.notSubmitted || run.results.length > 0) return run.results;
  return [
    {
      phase: run.phase,
      id: NOT_SUBMITTED_ID,
      group: '',
      title: `Phase folder ${run.phase}/ is present`,
      status: 'fail',
      message: notSubmittedMessage(run.phase, run.targetDir),
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

/** 1-based position of a check group within its phase (Exercism's task_id). */
export function groupIndex(phases: readonly Phase[], phaseId: string, groupId: string): number | null {
  const phase = phases.find((p) => p.id === phaseId);
  const index = phase?.groups.findIndex((g) => g.id === groupId) ?? -1;
  return index >= 0 ? index + 1 : null;
}

