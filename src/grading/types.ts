/** The contract between batch grading (batch.ts) and whatever grades one submission. */
import type { PhaseRun, PhaseToRun, ProgressEvent } from '../runner/types.ts';

export interface SubmissionJob {
  /** Absolute path of the submission folder (it holds phase folders). */
  readonly dir: string;
  /** How reports name it. */
  readonly label: string;
  /** One entry per phase to grade; targetDir points into `dir` (or at a reference solution). */
  readonly phases: readonly PhaseToRun[];
  /** Time budget for this submission, in quiet-machine time (paced-budget.ts); past it grading stops and what finished is kept. */
  readonly budgetMs: number;
  /** Position in the batch (0 = the canary), for markers and temp folder names. */
  readonly index: number;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Aborted on Ctrl-C: the grader kills everything of this submission at once. */
  readonly signal?: AbortSignal;
}

export interface GradeOutcome {
  readonly runs: readonly PhaseRun[];
  /** Set when grading was cut short: the budget ran out, or the grading process died. */
  readonly stoppedReason?: string;
  /** The grading process itself failed (not the submission): worth one retry. */
  readonly graderFailed?: boolean;
}

export type GradeSubmission = (job: SubmissionJob) => Promise<GradeOutcome>;
