/**
 * What running a phase's hidden checks produces. The runner (the only module that
 * imports vitest/node) returns these; commands and reporters only ever see these.
 */

/**
 * pass: the learner's code behaved. fail: it misbehaved (their bug).
 * error: the check itself could not run (infrastructure: our bug or the machine's).
 * skip: the check does not apply on this platform (e.g. SIGTERM on Windows).
 */
export type CheckStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface CheckResult {
  readonly phase: string;
  /** The id the check declares (checks/_harness/check.ts), unique within its phase and never derived from the title. */
  readonly id: string;
  /** The CheckGroup id from phase.json (the describe block of the check). */
  readonly group: string;
  /** The sentence the learner reads, e.g. "GET /boom answers 500 with a generic JSON error". */
  readonly title: string;
  readonly status: CheckStatus;
  /** Empty on pass; on fail the teaching message (sent, got, usually means, where to look, next command). */
  readonly message: string;
  readonly durationMs: number;
  /** Server output captured during the check (stdout+stderr tail), for reports. */
  readonly output?: string;
  /** Path of the check file relative to the package, for Exercism's test_code. */
  readonly file: string;
  /**
   * Set when the check failed because the learner's server never became ready: one cause
   * behind every such check, which reporters show once (pretty.ts).
   */
  readonly cause?: 'server-did-not-start';
}

export interface PhaseRun {
  readonly phase: string;
  readonly targetDir: string;
  readonly results: readonly CheckResult[];
  readonly durationMs: number;
  /** The phase folder is missing in the workspace: nothing ran, every check counts as failed. */
  readonly notSubmitted?: boolean;
  /** Every starter file is as the course handed it out: the phase scores 0 (src/grading/starter-rule.ts). */
  readonly untouchedStarter?: boolean;
}

export type ProgressEvent =
  | { readonly type: 'check-start'; readonly phase: string; readonly title: string; readonly group: string }
  | { readonly type: 'check-end'; readonly result: CheckResult };

/** One phase to grade: its checks and the learner's folder for it. */
export interface PhaseToRun {
  readonly phaseId: string;
  readonly checksDir: string;
  readonly targetDir: string;
  readonly entry: readonly string[];
  /** group id → the LESSON.md section that teaches it, for a failure's Read line (phaseToRun fills it from phase.json). */
  readonly lessonSections?: Readonly<Record<string, string>>;
}

export interface RunChecksOptions {
  /** Graded side by side in one run; a phase whose folder is missing comes back not submitted. */
  readonly phases: readonly PhaseToRun[];
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Check files run side by side (default: LEARN_NODE_HTTP_MAX_WORKERS, else 3 for one phase and 4 for several). */
  readonly maxWorkers?: number;
  /**
   * Keep the runner's vitest instance after this run, for the next run of the same phases
   * in the same folders (watch runs them after every save). The caller ends it with
   * `closeWarm(holder)` when it stops; a run of anything else replaces it. Without a
   * holder, every run starts its own and closes it.
   */
  readonly keepWarm?: KeepWarm;
}

/** Where a caller keeps the runner warm between runs (RunChecksOptions.keepWarm). */
export interface KeepWarm {
  /** The runner's own state between runs; only the runner reads it. */
  session?: { readonly key: string; close(): Promise<void> };
}

/** Ends what `holder` keeps warm; nothing if it keeps nothing. */
export async function closeWarm(holder: KeepWarm): Promise<void> {
  const session = holder.session;
  holder.session = undefined;
  await session?.close();
}

/** Runs the hidden checks of one or more phases and returns one PhaseRun per phase, in order. */
export type RunChecks = (opts: RunChecksOptions) => Promise<PhaseRun[]>;
