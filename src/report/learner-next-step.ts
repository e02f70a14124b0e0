/**
 * What a learner's `verify` ends with, after the pretty report: the one next step. Only in
 * learner mode (in a workspace, without --dir), where the check run was also recorded in the
 * progress file; what was recorded decides the step (a pass of the current phase → `next`).
 */
import type { ChalkInstance } from 'chalk';
import type { Phase } from '../course/types.ts';
import { couldNotRunText, failureFooter, NPX, phasePassedText, verifyCommand } from '../ui/messages.ts';
import type { GradedPhase, RecordedRuns } from '../workspace/check-runs.ts';
import { isPassed } from '../workspace/history.ts';
import { phaseAfterPass } from '../workspace/queue.ts';

/** Learner mode: what was graded, and what the progress file says now (null: it could not be read or written). */
export interface LearnerRun {
  readonly graded: readonly GradedPhase[];
  readonly recorded: RecordedRuns | null;
  readonly phases: readonly Phase[];
}

/** How to run the same grading again, when more than one phase was graded. */
const VERIFY_ALL = `${NPX} verify --all`;

/**
 * The one next step, after the pretty report of a learner's verify: the current phase passed
 * → `next`; a phase failed → `verify NN`, the command every ✗ above ends with; checks that
 * could not run → the same command again. A phase graded that is not the current one says
 * why its pass was not recorded.
 */
export function learnerFooter(learner: LearnerRun, c: ChalkInstance): string[] {
  const { graded, recorded, phases } = learner;
  const progress = recorded?.progress ?? null;
  const lines: string[] = [];
  // With several phases graded (--all), the folders of locked phases are missing as expected:
  // the score counts them, the next step does not.
  const expectedMissing = (g: GradedPhase): boolean => g.verdict === 'missing' && graded.length > 1 && progress !== null && progress.phases[g.phase.id] === undefined;
  const failed = graded.filter((g) => g.verdict === 'fail' || (g.verdict === 'missing' && !expectedMissing(g)));
  const errored = graded.filter((g) => g.verdict === 'error');
  if (errored.length > 0) lines.push(couldNotRunText(errored.length === 1 ? verifyCommand(errored[0]!.phase) : VERIFY_ALL, c));
  if (failed.length === 1) {
    const { phase, verdict: v } = failed[0]!;
    const entry = progress?.phases[phase.id];
    if (v === 'missing' && progress !== null && entry === undefined) {
      lines.push(`Phase ${phase.number} is not unlocked yet${progress.current ? `: your current phase is ${progress.current} (${c.cyan(`${NPX} verify`)})` : ''}.`);
    } else if (v === 'missing' && progress !== null) {
      const restore = progress.current === phase.id ? `${NPX} next` : `${NPX} reset ${phase.number}`;
      lines.push(`There is no ${phase.id}/ folder in your workspace: ${c.cyan(restore)} copies its starter files again.`);
    } else {
      lines.push(...failureFooter(phase, entry !== undefined ? phase.hints.length - entry.hintsUsed : null, c));
    }
  } else if (failed.length > 1) {
    lines.push(`Fix what is marked ${c.red('✗')}, then run ${c.cyan(VERIFY_ALL)}`);
  }
  if (recorded?.passedCurrent) {
    const phase = recorded.passedCurrent;
    if (lines.length > 0) lines.push('');
    lines.push(phasePassedText(phase, phaseAfterPass(phases, recorded.progress, phase) === undefined, c));
  } else if (progress !== null && graded.length === 1 && graded[0]!.verdict === 'pass') {
    const { phase } = graded[0]!;
    const entry = progress.phases[phase.id];
    if (entry === undefined) lines.push(c.dim(`Phase ${phase.number} is not unlocked yet, so nothing was recorded.`));
    else if (!isPassed(entry) && progress.current !== null) {
      lines.push(c.dim(`Phase ${phase.number} is not your current phase (${progress.current}), so only the check run was recorded: next works on ${progress.current}.`));
    }
  }
  return lines;
}
