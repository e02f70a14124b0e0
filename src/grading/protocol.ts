/** What the batch and a submission's grading process say to each other over IPC. */
import type { PhaseRun, PhaseToRun, ProgressEvent } from '../runner/types.ts';

export interface WorkerJob {
  readonly phases: readonly PhaseToRun[];
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly event: ProgressEvent }
  | { readonly type: 'done'; readonly runs: readonly PhaseRun[] }
  | { readonly type: 'failed'; readonly message: string };
