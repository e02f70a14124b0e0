/**
 * What `verify` records when a learner runs it in their workspace (no --dir): the same
 * things `next` records for the checks it runs, so that every check run counts and a pass
 * seen by `verify` is not asked for again by `next`.
 *
 *   - every graded phase that is unlocked (has an entry) and whose folder was there gets one
 *     more attempt, whatever the verdict (as with `next`: a run is a run);
 *   - a pass is recorded only for the CURRENT phase. `next` moves on from the current phase
 *     only, through its quiz; recording a pass for another unlocked phase (say 05 while 03 is
 *     current after a reset) would make `next` skip that phase's quiz and jump past it later.
 *     A locked phase (no entry) is graded, never recorded.
 *
 * Grading comes first and never depends on this: the progress file is read AFTER the checks
 * ran (another command may have changed it meanwhile), and a file that cannot be read or
 * written is the caller's one-line note, not a failed verify.
 */
import type { Phase } from '../course/types.ts';
import { recordPass } from './history.ts';
import { readProgress, writeProgress, type Progress } from './progress.ts';

export interface GradedPhase {
  readonly phase: Phase;
  /** 'missing': the phase folder was not there, so no check ran. */
  readonly verdict: 'pass' | 'fail' | 'error' | 'missing';
}

export interface RecordedRuns {
  /** The progress as written (or as read, when there was nothing to record). */
  readonly progress: Progress;
  /** The phases that got an attempt, in the order graded. */
  readonly counted: readonly string[];
  /** The current phase, when this run saw it pass (its pass is recorded). */
  readonly passedCurrent: Phase | null;
}

/** Reads the progress of the workspace at `root`, records `graded`, writes it. Throws UserError when the file cannot be read or written. */
export function recordCheckRuns(root: string, phases: readonly Phase[], graded: readonly GradedPhase[], now: Date): RecordedRuns {
  const progress = readProgress(root, phases.map((p) => p.id));
  const counted: string[] = [];
  let passedCurrent: Phase | null = null;
  for (const { phase, verdict } of graded) {
    const entry = progress.phases[phase.id];
    if (entry === undefined || verdict === 'missing') continue;
    entry.attempts += 1;
    counted.push(phase.id);
    if (verdict === 'pass' && progress.current === phase.id) {
      recordPass(entry, now.toISOString());
      passedCurrent = phase;
    }
  }
  if (counted.length > 0) writeProgress(root, progress);
  return { progress, counted, passedCurrent };
}
