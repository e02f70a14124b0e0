/**
 * A grade sheet: one row per graded folder, one column per phase with "passed/total", a
 * total column, and a status column last (so the columns before it keep their places):
 * `ok`, or what makes the grade worth a second look (`retried`, `stopped: <why>`,
 * `could not run: N checks`, joined with "; "). A phase the folder did not submit shows
 * 0/N, N taken from a folder that did submit it (or "not submitted" when no folder did).
 * RFC 4180 quoting; CRLF line ends, which spreadsheets expect.
 */
import type { DirReport } from './model.ts';
import { phaseScore } from './model.ts';
import { reviewStatus } from './notes.ts';

export function renderCsv(reports: readonly DirReport[], phaseIds: readonly string[]): string {
  const rows: string[][] = [['dir', ...phaseIds, 'total', 'status']];
  for (const report of reports) {
    let passed = 0;
    let total = 0;
    const cells = phaseIds.map((id) => {
      const run = report.runs.find((r) => r.phase === id);
      const score = run ? phaseScore(run, reports) : null;
      if (score === null) return 'not submitted';
      passed += score.passed;
      total += score.total;
      return `${score.passed}/${score.total}`;
    });
    rows.push([report.label, ...cells, `${passed}/${total}`, reviewStatus(report)]);
  }
  return rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

function field(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
