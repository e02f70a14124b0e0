/**
 * What a batch prints on stderr while it runs: one line per finished submission, and for the
 * canary and each retry. A class can take many minutes; these lines show it is moving.
 * Standard output stays free for the report itself.
 */
import type { Ui } from '../ui/context.ts';
import { scoreSubmission, scoreText, submissionStateParts } from '../report/score.ts';
import { slowCanaryWarning, type BatchEvent } from './batch.ts';

/** One line on stderr per finished submission (and for the canary and retries): progress for a long batch. */
export function announceBatchEvent(ui: Ui, event: BatchEvent): void {
  switch (event.type) {
    case 'canary-done': {
      const took = event.report.durationMs ?? 0;
      ui.err(`  canary: the reference solution passes ${scoreText(scoreSubmission(event.report))} checks (${seconds(took)}).`);
      const warning = slowCanaryWarning(took, event.expectedMs);
      if (warning !== null) ui.err(ui.ce.yellow(`  ${warning}`));
      break;
    }
    case 'retrying':
      ui.err(`  ${event.label}: grading again once, because ${event.reason}.`);
      break;
    case 'submission-done': {
      const { report } = event;
      const score = scoreSubmission(report);
      const notes = [...submissionStateParts(score), report.attempts ? 'retried once' : '', report.stoppedReason ? `stopped: ${report.stoppedReason}` : ''].filter(Boolean).join('; ');
      const width = String(event.total).length;
      ui.err(`  [${String(event.done).padStart(width)}/${event.total}] ${report.label}: ${scoreText(score)} (${seconds(report.durationMs ?? 0)})${notes ? ` — ${notes}` : ''}`);
      break;
    }
    case 'progress':
      break;
  }
}

/** A duration as the batch lines show it: "12.3 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
