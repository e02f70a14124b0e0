/**
 * The terminal view of a batch: one row per submission, "passed/total" per phase, a total
 * and what needs a second look, then one line for the whole class. A class of 300 printed
 * check by check would scroll for minutes; this fits a screen, and the per-check detail is
 * one flag away (--reporter json --out results/). Columns are padded on the plain text
 * before colouring, so escape codes never shift the alignment.
 */
import type { ChalkInstance } from 'chalk';
import { phaseScore, type DirReport } from './model.ts';
import { gradingFlags, noteParts } from './notes.ts';

const NOT_SUBMITTED = '—';

interface Cell {
  readonly text: string;
  readonly paint: (text: string) => string;
}

export function renderSummaryTable(reports: readonly DirReport[], phaseIds: readonly string[], c: ChalkInstance): string {
  const scoreCell = (score: { passed: number; total: number } | null): Cell => {
    if (score === null) return { text: NOT_SUBMITTED, paint: c.red };
    const paint = score.total > 0 && score.passed === score.total ? c.green : score.passed === 0 ? c.red : c.yellow;
    return { text: `${score.passed}/${score.total}`, paint };
  };

  const header = ['submission', ...phaseIds.map(shortId), 'total', 'notes'];
  const rows: Cell[][] = [];
  let fullMarks = 0;
  let secondLook = 0;
  let passedAll = 0;
  let totalAll = 0;
  for (const report of reports) {
    let passed = 0;
    let total = 0;
    const cells = phaseIds.map((id) => {
      const run = report.runs.find((r) => r.phase === id);
      if (run === undefined) return scoreCell(null);
      const score = phaseScore(run, reports);
      passed += score?.passed ?? 0;
      total += score?.total ?? 0;
      // A phase nobody submitted has no known total; a folder missing it still shows "—".
      return scoreCell(run.notSubmitted ? null : score);
    });
    const notes = noteParts(report);
    const flags = gradingFlags(report);
    if (total > 0 && passed === total && flags.couldNotRun === 0) fullMarks++;
    if (notes.length > 0) secondLook++;
    passedAll += passed;
    totalAll += total;
    rows.push([
      { text: report.label, paint: (s) => s },
      ...cells,
      scoreCell({ passed, total }),
      { text: notes.join('; '), paint: c.yellow },
    ]);
  }

  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col]!.text.length)));
  const last = header.length - 1;
  // Score columns line up on the right, like numbers; the label and notes on the left.
  const pad = (text: string, col: number): string => (col === 0 || col === last ? text.padEnd(widths[col]!) : text.padStart(widths[col]!));
  const line = (cells: string[]): string => cells.join('  ').trimEnd();

  const out = [c.bold(line(header.map(pad)))];
  for (const row of rows) out.push(line(row.map((cell, col) => (col === last ? cell.paint(cell.text) : cell.paint(pad(cell.text, col))))));

  const parts = [`${reports.length} submission${reports.length === 1 ? '' : 's'}`, `${fullMarks} with full marks`];
  if (secondLook > 0) parts.push(`${secondLook} to look at again (see notes)`);
  parts.push(`${passedAll}/${totalAll} checks passed`);
  out.push('', parts.join(', ') + '.');
  return `${out.join('\n')}\n`;
}

/** "03-routing" → "03": seven full ids would make the table wider than a terminal. */
function shortId(id: string): string {
  return /^\d+/.exec(id)?.[0] ?? id;
}
