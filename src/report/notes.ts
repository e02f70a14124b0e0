/**
 * What an instructor should look at twice, worded once for every report: a submission that
 * was graded again after an infrastructure error, one whose grading was cut short, and
 * checks that could not run (an `error`, never the student's fault). The CSV status
 * column, the terminal summary's notes and the JSON message all say it the same way.
 */
import { allResults, type DirReport } from './model.ts';

export interface GradingFlags {
  /** How many times the folder was graded again (attempts − 1). */
  readonly retries: number;
  readonly stoppedReason: string | null;
  /** Checks with status `error`. */
  readonly couldNotRun: number;
}

export function gradingFlags(report: DirReport): GradingFlags {
  return {
    retries: Math.max(0, (report.attempts ?? 1) - 1),
    stoppedReason: report.stoppedReason?.trim() ? report.stoppedReason.trim() : null,
    couldNotRun: allResults(report).filter((r) => r.status === 'error').length,
  };
}

export function retriedText(retries: number): string {
  return retries === 1 ? 'retried once' : retries === 2 ? 'retried twice' : `retried ${retries} times`;
}

/** Short notes for the terminal summary, e.g. ["retried once", "stopped: budget", "3 could not run"]. */
export function noteParts(report: DirReport): string[] {
  const flags = gradingFlags(report);
  const parts: string[] = [];
  if (flags.stoppedReason !== null) parts.push(`stopped: ${oneLine(flags.stoppedReason)}`);
  if (flags.couldNotRun > 0) parts.push(`${flags.couldNotRun} could not run`);
  if (flags.retries > 0) parts.push(retriedText(flags.retries));
  return parts;
}

/** The CSV status parts: what needs a second look ("stopped: …", "could not run: 2 checks", "retried"). */
export function reviewParts(report: DirReport): string[] {
  const flags = gradingFlags(report);
  const parts: string[] = [];
  if (flags.stoppedReason !== null) parts.push(`stopped: ${oneLine(flags.stoppedReason)}`);
  if (flags.couldNotRun > 0) parts.push(`could not run: ${flags.couldNotRun} check${flags.couldNotRun === 1 ? '' : 's'}`);
  if (flags.retries > 0) parts.push('retried');
  return parts;
}

/** The same as one cell: "ok" when there is nothing to look at twice. */
export function reviewStatus(report: DirReport): string {
  const parts = reviewParts(report);
  return parts.length === 0 ? 'ok' : parts.join('; ');
}

/** Whole sentences for a results file's message (empty when there is nothing to say). */
export function noticeSentences(report: DirReport): string[] {
  const flags = gradingFlags(report);
  const sentences: string[] = [];
  if (flags.retries > 0) {
    sentences.push(
      `This submission was graded ${flags.retries + 1} times: an infrastructure error (not the submission's fault) spoiled the first attempt, so the grader ran it again; these are the results of the last attempt.`,
    );
  }
  if (flags.stoppedReason !== null) {
    sentences.push(`Grading stopped early (${oneLine(flags.stoppedReason)}): the checks that had not finished are counted as failed.`);
  }
  return sentences;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
