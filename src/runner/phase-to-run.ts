import { statSync } from 'node:fs';
import type { Phase } from '../course/types.ts';
import type { PhaseToRun } from './types.ts';

/**
 * Whether a phase's (or a submission's) folder is there: it exists and is a folder. A phase
 * whose folder is not there is "not submitted": nothing runs for it. The runner decides that
 * for itself; the CLI's progress display and the batch grader ask first only so that nothing
 * starts (a spinner, a grading process) for a run with nothing to check.
 */
export function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

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
