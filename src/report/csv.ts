/**
 * A grade sheet: one row per graded folder, one column per phase with "passed/total", a
 * total column, and a status column last (so the columns before it keep their places).
 * Every number comes from scoreSubmission (score.ts): a phase that was not submitted shows
 * 0/N with N its real number of checks, and the status says "not submitted: 06, 07" (or
 * "empty submission (no phase folder)", or "untouched starter: 05"), together with what
 * makes the grade worth a second look (`retried`, `stopped: <why>`, `could not run: N
 * checks`), joined with "; ". `ok` when there is nothing to say.
 * RFC 4180 quoting; CRLF line ends, which spreadsheets expect.
 */
import type { DirReport } from './model.ts';
import { reviewParts } from './notes.ts';
import { scoreSubmission, scoreText, submissionStateParts } from './score.ts';

export function renderCsv(reports: readonly DirReport[], phaseIds: readonly string[]): string {
  const rows: string[][] = [['dir', ...phaseIds, 'total', 'status']];
  for (const report of reports) {
    const score = scoreSubmission(report);
    const cells = phaseIds.map((id) => {
      const phase = score.phases.find((p) => p.phase === id);
      return phase ? scoreText(phase) : '';
    });
    const status = [...submissionStateParts(score), ...reviewParts(report)];
    rows.push([report.label, ...cells, scoreText(score), status.length === 0 ? 'ok' : status.join('; ')]);
  }
  return rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

function field(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
