/**
 * Which phase `next` moves to once a phase passes. Without resets that is simply the phase
 * after it. After a `reset`, later phases may already be unlocked (and hold the learner's
 * work), so the answer is the first phase that still needs a pass:
 *   1. the first phase after the one that passed that has not passed (unlocked or not), else
 *   2. the first earlier phase that was reset and has not passed since, else
 *   3. none: the course is complete.
 * Earlier phases that simply have no pass on record are not sent back to: that happens only in
 * a progress file rebuilt by `init` (it cannot know what passed), and nobody asked to redo them.
 */
import type { Phase } from '../course/types.ts';
import { isPassed, pendingReset } from './history.ts';
import type { Progress } from './progress.ts';

export function phaseAfterPass(phases: readonly Phase[], progress: Progress, passed: Phase): Phase | undefined {
  const at = phases.indexOf(passed);
  const later = phases.slice(at + 1).find((p) => {
    const entry = progress.phases[p.id];
    return entry === undefined || !isPassed(entry);
  });
  if (later !== undefined) return later;
  return phases.slice(0, at).find((p) => {
    const entry = progress.phases[p.id];
    return entry !== undefined && pendingReset(entry) !== null;
  });
}
