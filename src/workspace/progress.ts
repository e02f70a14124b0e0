/**
 * The progress file, learn-node-http.json, at the root of a workspace (format documented in
 * docs/progress-file.md). It is the learner's record, so it is treated like their code:
 * validated on every read with a sentence that says how to repair it, never silently reset,
 * and written atomically (temp file + rename) so a crash mid-write cannot leave half a file.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFsError, UserError } from '../errors.ts';
import { validateHistory, type PhaseEvent } from './history.ts';

export const PROGRESS_FILE = 'learn-node-http.json';
export const PROGRESS_FORMAT_VERSION = 1;

export interface QuizRecord {
  /** The chosen choice per question, in order, as its index in quiz.json (not the shuffled number shown). */
  answers: number[];
  score: number;
  total: number;
  answeredAt: string;
}

export interface PhaseProgress {
  unlockedAt: string;
  passedAt: string | null;
  /** How many times `next` or `verify` (in the workspace, without --dir) ran this phase's checks. */
  attempts: number;
  /** How many hints `hint` has revealed so far. */
  hintsUsed: number;
  solutionViewed: boolean;
  /** The best quiz attempt (highest score; on a tie the later one), or null before the first. */
  quiz: QuizRecord | null;
  /**
   * Every quiz attempt, oldest first. Absent in files written before it existed (their one
   * recorded attempt joins the history at the next retake).
   */
  quizAttempts?: QuizRecord[];
  /**
   * Every pass `next` or `verify` saw of the current phase and every `reset`, oldest first (history.ts). Absent in files
   * written before it existed: then `passedAt` alone says whether the phase passed.
   */
  history?: PhaseEvent[];
}

export interface Progress {
  formatVersion: 1;
  /** The learn-node-http version that created the workspace (later runs keep it). */
  courseVersion: string;
  createdAt: string;
  /**
   * A random id written once, when the workspace is created; the quiz derives this learner's
   * order of choices from it. Absent in older files (the quiz then uses createdAt).
   */
  workspaceId?: string;
  /** The phase `next` works on; null once every phase has passed. */
  current: string | null;
  completedAt: string | null;
  phases: Record<string, PhaseProgress>;
}

export function newProgress(courseVersion: string, firstPhase: string, now: Date): Progress {
  const at = now.toISOString();
  return {
    formatVersion: PROGRESS_FORMAT_VERSION,
    courseVersion,
    createdAt: at,
    workspaceId: randomUUID(),
    current: firstPhase,
    completedAt: null,
    phases: { [firstPhase]: newPhaseProgress(now) },
  };
}

export function newPhaseProgress(now: Date): PhaseProgress {
  return { unlockedAt: now.toISOString(), passedAt: null, attempts: 0, hintsUsed: 0, solutionViewed: false, quiz: null };
}

/**
 * Records one quiz attempt: appended to the history, and kept as `quiz` when it is at least
 * as good as the best so far. Returns the best before this attempt (null on the first).
 */
export function recordQuizAttempt(entry: PhaseProgress, attempt: QuizRecord): QuizRecord | null {
  const previousBest = entry.quiz;
  const history = entry.quizAttempts ?? (previousBest === null ? [] : [previousBest]);
  entry.quizAttempts = [...history, attempt];
  if (previousBest === null || atLeastAsGood(attempt, previousBest)) entry.quiz = attempt;
  return previousBest;
}

/** Compares quiz results by the share answered right (a course update may change the number of questions). */
export function atLeastAsGood(attempt: { score: number; total: number }, best: { score: number; total: number }): boolean {
  const ratio = (r: { score: number; total: number }) => (r.total === 0 ? 0 : r.score / r.total);
  return ratio(attempt) >= ratio(best);
}

/**
 * Reads and validates the progress file of the workspace at `root`.
 * `knownPhases` are the course's phase ids: a `current` outside them cannot be worked on.
 */
export function readProgress(root: string, knownPhases: readonly string[]): Progress {
  const file = join(root, PROGRESS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`Could not read ${file}: ${(error as Error).message}.`);
  }
  // Some Windows editors save UTF-8 with a byte order mark: it is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, `it is not valid JSON (${(error as Error).message})`);
  }
  return validateProgress(data, file, knownPhases);
}

/** Throws a repair-oriented UserError for the first problem; returns the data typed on success. */
export function validateProgress(data: unknown, file: string, knownPhases: readonly string[]): Progress {
  const problem = (path: string, want: string, found: unknown): never => {
    throw corrupt(file, `"${path}" should be ${want}, but it is ${describe(found)}`);
  };
  if (!isObject(data)) problem('(top level)', 'a JSON object', data);
  const root = data as Record<string, unknown>;
  if (typeof root['formatVersion'] === 'number' && root['formatVersion'] > PROGRESS_FORMAT_VERSION) {
    throw new UserError(
      `${file} was written by a newer learn-node-http (progress format ${root['formatVersion']}; this version reads format ${PROGRESS_FORMAT_VERSION}). Run the newer version: npx learn-node-http@latest status`,
    );
  }
  if (root['formatVersion'] !== PROGRESS_FORMAT_VERSION) problem('formatVersion', String(PROGRESS_FORMAT_VERSION), root['formatVersion']);
  if (typeof root['courseVersion'] !== 'string') problem('courseVersion', 'a version string like "0.1.0"', root['courseVersion']);
  if (!isTimestamp(root['createdAt'])) problem('createdAt', 'an ISO date-time string', root['createdAt']);
  if (root['workspaceId'] !== undefined && (typeof root['workspaceId'] !== 'string' || root['workspaceId'] === '')) {
    problem('workspaceId', 'a non-empty string (or absent)', root['workspaceId']);
  }
  if (root['completedAt'] !== null && !isTimestamp(root['completedAt'])) problem('completedAt', 'null or an ISO date-time string', root['completedAt']);
  if (!isObject(root['phases'])) problem('phases', 'an object keyed by phase id', root['phases']);
  const phases = root['phases'] as Record<string, unknown>;
  for (const [id, entry] of Object.entries(phases)) {
    const at = `phases.${id}`;
    if (!isObject(entry)) problem(at, 'an object', entry);
    const p = entry as Record<string, unknown>;
    if (!isTimestamp(p['unlockedAt'])) problem(`${at}.unlockedAt`, 'an ISO date-time string', p['unlockedAt']);
    if (p['passedAt'] !== null && !isTimestamp(p['passedAt'])) problem(`${at}.passedAt`, 'null or an ISO date-time string', p['passedAt']);
    if (!isCount(p['attempts'])) problem(`${at}.attempts`, 'a whole number (0 or more)', p['attempts']);
    if (!isCount(p['hintsUsed'])) problem(`${at}.hintsUsed`, 'a whole number (0 or more)', p['hintsUsed']);
    if (typeof p['solutionViewed'] !== 'boolean') problem(`${at}.solutionViewed`, 'true or false', p['solutionViewed']);
    const checkRecord = (path: string, record: unknown, what: string): void => {
      if (!isObject(record)) problem(path, what, record);
      const q = record as Record<string, unknown>;
      if (!Array.isArray(q['answers']) || !q['answers'].every(isCount)) problem(`${path}.answers`, 'an array of choice numbers', q['answers']);
      if (!isCount(q['score'])) problem(`${path}.score`, 'a whole number (0 or more)', q['score']);
      if (!isCount(q['total'])) problem(`${path}.total`, 'a whole number (0 or more)', q['total']);
      if (!isTimestamp(q['answeredAt'])) problem(`${path}.answeredAt`, 'an ISO date-time string', q['answeredAt']);
    };
    if (p['quiz'] !== null) checkRecord(`${at}.quiz`, p['quiz'], 'null or an object { answers, score, total, answeredAt }');
    const attempts = p['quizAttempts'];
    if (attempts !== undefined) {
      if (!Array.isArray(attempts)) problem(`${at}.quizAttempts`, 'an array of quiz attempts (or absent)', attempts);
      (attempts as unknown[]).forEach((record, i) => checkRecord(`${at}.quizAttempts[${i}]`, record, 'an object { answers, score, total, answeredAt }'));
    }
    if (p['history'] !== undefined) validateHistory(p['history'], `${at}.history`, problem);
  }
  const current = root['current'];
  if (current !== null) {
    if (typeof current !== 'string') problem('current', 'null or a phase id', current);
    if (!knownPhases.includes(current as string)) {
      throw corrupt(file, `"current" names the phase "${String(current)}", which this course does not have (it has ${knownPhases.join(', ')})`);
    }
    if (!(current as string in phases)) {
      throw corrupt(file, `"current" is "${String(current)}" but "phases" has no entry for it`);
    }
  }
  return data as Progress;
}

/**
 * Atomic replace: a reader (or a crash) sees the old file or the new one, never a mix.
 * A read-only progress file (no write bit) is never replaced: the rename would swap it for
 * a writable one behind the learner's back. A write that fails is a sentence, not a crash.
 */
export function writeProgress(root: string, progress: Progress): void {
  const file = join(root, PROGRESS_FILE);
  if ((statSync(root).mode & 0o222) === 0) {
    throw new UserError(`The workspace folder ${root} is read-only, so your progress was not saved (nothing changed). Make it writable (chmod u+w ${root}) and run the command again.`);
  }
  try {
    if ((statSync(file).mode & 0o222) === 0) {
      throw new UserError(`The progress file ${file} is read-only, so it was not changed. To let learn-node-http record your progress, make it writable: chmod u+w ${file}`);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    // No file yet: it is being created.
  }
  const temp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, `${JSON.stringify(progress, null, 2)}\n`, { flag: 'w' });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new UserError(`Could not save your progress to ${file} (${describeFsError(error)}); it was left as it was. Make the workspace folder and the file writable, then run the command again.`);
  }
}

function corrupt(file: string, what: string): UserError {
  return new UserError(
    `The progress file ${file} is damaged: ${what}.\n` +
      `It was left untouched. Repair that value by hand (the format is described in docs/progress-file.md of the learn-node-http package), ` +
      `or restore an earlier copy (for example: git checkout -- ${PROGRESS_FILE}). Your phase folders are not affected.`,
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isTimestamp(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
