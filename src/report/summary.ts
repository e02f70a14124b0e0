/**
 * The terminal view of a batch: one row per submission, "passed/total" per phase, a total
 * and what needs a second look, then one line for the whole class. A class of 300 printed
 * check by check would scroll for minutes; this fits a screen, and the per-check detail is
 * one flag away (--reporter json --out results/). Columns are padded on the plain text
 * before colouring, so escape codes never shift the alignment.
 */
import type { ChalkInstance } from 'chalk';
import type { DirReport } from './model.ts';
import { gradingFlags, noteParts } from './notes.ts';
import { scoreSubmission, scoreText, submissionStateParts, type PhaseState } from './score.ts';

interface Cell {
  readonly text: string;
  readonly paint: (text: string) => string;
}

export function renderSummaryTable(reports: readonly DirReport[], phaseIds: readonly string[], c: ChalkInstance): string {
  const scoreCell = (score: { passed: number; total: number; state?: PhaseState }): Cell => {
    // A phase that was not there, or an unchanged starter, reads dim: 0 for a reason the notes give.
    const paint = score.state !== undefined && score.state !== 'graded' ? c.dim : score.total > 0 && score.passed === score.total ? c.green : score.passed === 0 ? c.red : c.yellow;
    return { text: scoreText(score), paint };
  };

  const header = ['submission', ...phaseIds.map(shortId), 'total', 'notes'];
  const rows: Cell[][] = [];
  let fullMarks = 0;
  let secondLook = 0;
  let empty = 0;
  let passedAll = 0;
  let totalAll = 0;
  for (const report of reports) {
    const score = scoreSubmission(report);
    const cells = phaseIds.map((id) => {
      const phase = score.phases.find((p) => p.phase === id);
      return phase ? scoreCell(phase) : { text: '', paint: (s: string) => s };
    });
    const review = noteParts(report);
    const notes = [...submissionStateParts(score), ...review];
    const flags = gradingFlags(report);
    if (score.total > 0 && score.passed === score.total && flags.couldNotRun === 0) fullMarks++;
    if (review.length > 0) secondLook++;
    if (score.empty) empty++;
    passedAll += score.passed;
    totalAll += score.total;
    rows.push([
      { text: report.label, paint: (s) => s },
      ...cells,
      scoreCell(score),
      { text: notes.join('; '), paint: review.length > 0 ? c.yellow : c.dim },
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
  if (empty > 0) parts.push(`${empty} empty`);
  if (secondLook > 0) parts.push(`${secondLook} to look at again (see notes)`);
  parts.push(`${passedAll}/${totalAll} checks passed`);
  out.push('', parts.join(', ') + '.');
  return `${out.join('\n')}\n`;
}

/** "03-routing" → "03": seven full ids would make the table wider than a terminal. */
function shortId(id: string): string {
  return /^\d+/.exec(id)?.[0] ?? id;
}
