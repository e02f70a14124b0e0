/**
 * What most commands start with: the workspace around the working folder, its validated
 * progress, and the phase a command is about (the argument, or else the current phase).
 */
import type { Phase } from '../course/types.ts';
import { findPhase } from '../course/load.ts';
import { UserError } from '../errors.ts';
import { requireWorkspace } from './find.ts';
import { readProgress, type PhaseProgress, type Progress } from './progress.ts';

export interface Session {
  readonly root: string;
  readonly progress: Progress;
}

export function openSession(cwd: string, phases: readonly Phase[]): Session {
  const root = requireWorkspace(cwd);
  return { root, progress: readProgress(root, phases.map((p) => p.id)) };
}

/** The phase named by `arg`, else the current one, else (course finished) the last one. */
export function pickPhase(phases: readonly Phase[], arg: string | undefined, progress: Progress | null): Phase {
  if (arg !== undefined) return findPhase(phases, arg);
  if (progress?.current) return findPhase(phases, progress.current);
  if (progress) return phases[phases.length - 1]!;
  return phases[0]!;
}

/** The progress entry of an unlocked phase; a locked phase is a UserError that says how to unlock it. */
export function unlockedProgress(progress: Progress, phase: Phase): PhaseProgress {
  const entry = progress.phases[phase.id];
  if (entry) return entry;
  const current = progress.current ?? 'the current phase';
  throw new UserError(`Phase ${phase.id} is not unlocked yet. Finish ${current} first: npx learn-node-http next`);
}
