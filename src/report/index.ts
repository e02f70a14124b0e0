/** The reporter names `verify --reporter` accepts, and one function to render any of them. */
import type { ChalkInstance } from 'chalk';
import type { Phase } from '../course/types.ts';
import { renderClassroom } from './classroom.ts';
import { renderCsv } from './csv.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import type { DirReport } from './model.ts';
import { renderPretty } from './pretty.ts';
import { installedSuite, type SuiteInfo } from './suite.ts';
import { renderSummaryTable } from './summary.ts';

export const REPORTERS = ['pretty', 'json', 'junit', 'csv', 'classroom'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export function isReporter(name: string): name is ReporterName {
  return (REPORTERS as readonly string[]).includes(name);
}

export interface RenderOptions {
  /** Which checks produced the grades (json, classroom); default: the installed package's. */
  readonly suite?: SuiteInfo;
  /** Wall time of the whole grading (junit's root time). */
  readonly wallMs?: number;
}

/** Printed under the batch table: where the per-check detail is. */
export const DETAILS_HINT = 'For every check of every submission: add --reporter json --out results/ (one results.json per submission), or grade one folder with --dir <folder>.';

export function render(
  name: ReporterName,
  reports: readonly DirReport[],
  phases: readonly Phase[],
  phaseIds: readonly string[],
  c: ChalkInstance,
  options: RenderOptions = {},
): string {
  switch (name) {
    case 'pretty':
      // One folder: every check with its teaching message. Several: a table that fits a screen.
      return reports.length > 1 ? `${renderSummaryTable(reports, phaseIds, c)}${c.dim(DETAILS_HINT)}\n` : renderPretty(reports, phases, c);
    case 'json':
      return renderJson(reports, phases, options.suite ?? installedSuite());
    case 'junit':
      return renderJunit(reports, phases, options.wallMs !== undefined ? { wallMs: options.wallMs } : {});
    case 'csv':
      return renderCsv(reports, phaseIds);
    case 'classroom':
      return renderClassroom(reports, phases, options.suite ?? installedSuite());
  }
}
