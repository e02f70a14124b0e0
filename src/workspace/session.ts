/**
 * What most commands start with: the workspace around the working folder, its validated
 * progress, and the phase a command is about (the argument, or else the current phase).
 */
import type { Phase } from '../course/types.ts';
import { findPhase, loadCourse } from '../course/load.ts';
import { UserError } from '../errors.ts';
import { findWorkspace, requireWorkspace } from './find.ts';
import { readProgress, type PhaseProgress, type Progress } from './progress.ts';

export interface Session {
  readonly root: string;
  readonly progress: Progress;
}

export function openSession(cwd: string, phases: readonly Phase[]): Session {
  const root = requireWorkspace(cwd);
  return { root, progress: readProgress(root, phases.map((p) => p.id)) };
}

/** The progress of the workspace around `cwd`, or null outside one (lesson and quiz work anywhere). */
export function progressIfAny(cwd: string, phases: readonly Phase[]): Progress | null {
  const root = findWorkspace(cwd);
  return root === null ? null : readProgress(root, phases.map((p) => p.id));
}

export interface PhaseSession extends Session {
  readonly phases: readonly Phase[];
  readonly phase: Phase;
  readonly entry: PhaseProgress;
}

/**
 * How every command about one unlocked phase of a workspace starts (hint, solution,
 * reset, watch): the course, the workspace and its progress, the phase named by `arg`
 * (else the current one) and its progress entry.
 */
export function openPhaseSession(courseRoot: string | undefined, cwd: string, arg: string | undefined): PhaseSession {
  const phases = loadCourse(courseRoot);
  const { root, progress } = openSession(cwd, phases);
  const phase = pickPhase(phases, arg, progress);
  return { phases, root, progress, phase, entry: unlockedProgress(progress, phase) };
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
