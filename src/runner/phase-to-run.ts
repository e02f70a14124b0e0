import type { Phase } from '../course/types.ts';
import type { PhaseToRun } from './types.ts';

/** A loaded phase and the learner's folder for it, as the runner takes them. */
export function phaseToRun(phase: Phase, targetDir: string): PhaseToRun {
  return {
    phaseId: phase.id,
    checksDir: phase.paths.checksDir,
    targetDir,
    entry: phase.entry,
    lessonSections: Object.fromEntries(phase.groups.map((group) => [group.id, group.lessonSection])),
  };
}
