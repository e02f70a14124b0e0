/**
 * The score model: the one function that turns a graded folder into numbers. Every report
 * (CSV, JSON, JUnit, Classroom, the batch's progress lines, the terminal summary) shows
 * what scoreSubmission returns, so one student never has two scores.
 *
 * - One point per check. A phase's total is its number of checks; platform-skipped checks
 *   are left out of the total (they were not asked of this student).
 * - A phase that was not submitted counts every one of its checks, each failed
 *   (model.ts notSubmittedRun): its total is the same as for a student who submitted it.
 * - A phase whose starter files are unchanged scores 0 (src/grading/starter-rule.ts).
 * - A check that could not run (`error`) earns nothing and is counted in `errored`, so the
 *   grade is flagged for a second look rather than silently lowered.
 *
 * "Not submitted", "untouched starter" and "empty" (no phase folder at all) are states
 * beside the numbers, never in their place.
 */
import { resultsOf, tally, type DirReport } from './model.ts';

export type PhaseState = 'graded' | 'not submitted' | 'untouched starter';

export interface PhaseScore {
  readonly phase: string;
  readonly state: PhaseState;
  readonly passed: number;
  /** Checks that count (skipped ones left out). */
  readonly total: number;
  readonly errored: number;
}

export interface SubmissionScore {
  readonly passed: number;
  readonly total: number;
  readonly errored: number;
  readonly phases: readonly PhaseScore[];
  /** Phase ids in these states, in course order. */
  readonly notSubmitted: readonly string[];
  readonly untouched: readonly string[];
  /** Not one phase folder was there. */
  readonly empty: boolean;
}

export function scoreSubmission(report: DirReport): SubmissionScore {
  const phases = report.runs.map((run): PhaseScore => {
    const t = tally(resultsOf(run));
    const state: PhaseState = run.notSubmitted ? 'not submitted' : run.untouchedStarter ? 'untouched starter' : 'graded';
    return { phase: run.phase, state, passed: state === 'graded' ? t.passed : 0, total: t.total, errored: t.errored };
  });
  const sum = (key: 'passed' | 'total' | 'errored'): number => phases.reduce((n, p) => n + p[key], 0);
  const notSubmitted = phases.filter((p) => p.state === 'not submitted').map((p) => p.phase);
  return {
    passed: sum('passed'),
    total: sum('total'),
    errored: sum('errored'),
    phases,
    notSubmitted,
    untouched: phases.filter((p) => p.state === 'untouched starter').map((p) => p.phase),
    empty: phases.length > 0 && notSubmitted.length === phases.length,
  };
}

/** The same numbers added up over a class. */
export function scoreClass(reports: readonly DirReport[]): { passed: number; total: number; errored: number; missing: number; empty: number } {
  let passed = 0;
  let total = 0;
  let errored = 0;
  let missing = 0;
  let empty = 0;
  for (const report of reports) {
    const s = scoreSubmission(report);
    passed += s.passed;
    total += s.total;
    errored += s.errored;
    missing += s.notSubmitted.length;
    if (s.empty) empty++;
  }
  return { passed, total, errored, missing, empty };
}

/** "49/91": how the numbers read in a cell or a progress line. */
export function scoreText(score: { passed: number; total: number }): string {
  return `${score.passed}/${score.total}`;
}

/**
 * What to say beside the numbers about what was submitted: "empty submission (no phase
 * folder)", or "not submitted: 06, 07; untouched starter: 05"; empty when all was submitted.
 */
export function submissionStateParts(score: SubmissionScore): string[] {
  if (score.empty) return ['empty submission (no phase folder)'];
  const parts: string[] = [];
  if (score.notSubmitted.length > 0) parts.push(`not submitted: ${score.notSubmitted.map(shortId).join(', ')}`);
  if (score.untouched.length > 0) parts.push(`untouched starter: ${score.untouched.map(shortId).join(', ')}`);
  return parts;
}

function shortId(id: string): string {
  return /^\d+/.exec(id)?.[0] ?? id;
}
