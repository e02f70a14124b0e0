/**
 * The last step of `verify`: the graded folders rendered in the format asked for and sent
 * where output.ts planned (standard output, one file, or a folder of one file per
 * submission), with the one-line score summary on stderr whenever standard output does not
 * already carry a pretty report. Returns the exit code: the grades' (model.ts exitCodeFor),
 * or 2 when the report had to be saved somewhere other than planned.
 */
import { Chalk } from 'chalk';
import type { Phase } from '../course/types.ts';
import type { Ui } from '../ui/context.ts';
import { classroomFilesPerSubmission } from './classroom.ts';
import { render, type ReporterName } from './index.ts';
import { jsonFilesPerSubmission } from './json.ts';
import { exitCodeFor, type DirReport } from './model.ts';
import { writeReport, type OutputPlan } from './output.ts';
import { scoreClass } from './score.ts';

export interface Delivery {
  readonly reporter: ReporterName;
  readonly reports: readonly DirReport[];
  /** Every phase of the course (the per-submission files list them all). */
  readonly phases: readonly Phase[];
  /** The phases graded. */
  readonly selected: readonly Phase[];
  readonly plan: OutputPlan;
  /** How long the grading took, for the pretty report's closing line. */
  readonly wallMs: number;
  /** Lines after a pretty report on standard output (a learner's next step); never in a file or another format. */
  readonly footer?: () => readonly string[];
}

export function deliverReport(ui: Ui, { reporter, reports, phases, selected, plan, wallMs, footer }: Delivery): number {
  const { ctx } = ui;
  const summary = summaryLine(reports);
  const code = exitCodeFor(reports);
  if (plan.kind === 'folder') {
    const files = reporter === 'classroom' ? classroomFilesPerSubmission(reports, phases) : jsonFilesPerSubmission(reports, phases);
    const written = writeReport(plan, { files }, ctx.cwd, reporter);
    if (written.problem !== undefined) {
      ui.err(written.problem);
      return 2;
    }
    ui.err(`Wrote ${files.length} ${reporter === 'classroom' ? 'classroom' : 'results'}.json files to ${written.where}: ${summary}.`);
    return code;
  }
  const text = render(reporter, reports, phases, selected.map((p) => p.id), reporter === 'pretty' && plan.kind === 'stdout' ? ui.c : new Chalk({ level: 0 }), { wallMs });
  if (plan.kind === 'file') {
    const written = writeReport(plan, { text }, ctx.cwd, reporter);
    if (written.problem !== undefined) {
      ui.err(written.problem);
      return 2;
    }
    ui.err(`Wrote the ${reporter} report for ${reports.length} folder${reports.length === 1 ? '' : 's'} to ${written.where}: ${summary}.`);
  } else {
    ctx.stdout.write(text);
    if (reporter !== 'pretty') ui.err(summary);
  }
  if (reporter === 'pretty' && plan.kind === 'stdout' && footer !== undefined) {
    for (const line of footer()) ui.out(line);
  }
  return code;
}

/** "12/14 checks passed, 1 could not run, …": the class's score in one line. */
function summaryLine(reports: readonly DirReport[]): string {
  const score = scoreClass(reports);
  return (
    `${score.passed}/${score.total} checks passed` +
    (score.errored > 0 ? `, ${score.errored} could not run` : '') +
    (score.missing > 0 ? `, ${score.missing} phase folder${score.missing === 1 ? '' : 's'} not submitted` : '') +
    (score.empty > 0 ? ` (${score.empty} empty submission${score.empty === 1 ? '' : 's'})` : '')
  );
}
