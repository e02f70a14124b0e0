/** The reporter names `verify --reporter` accepts, and one function to render any of them. */
import type { ChalkInstance } from 'chalk';
import type { Phase } from '../course/types.ts';
import { renderCsv } from './csv.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import type { DirReport } from './model.ts';
import { renderPretty } from './pretty.ts';

export const REPORTERS = ['pretty', 'json', 'junit', 'csv'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export function isReporter(name: string): name is ReporterName {
  return (REPORTERS as readonly string[]).includes(name);
}

export function render(
  name: ReporterName,
  reports: readonly DirReport[],
  phases: readonly Phase[],
  phaseIds: readonly string[],
  c: ChalkInstance,
): string {
  switch (name) {
    case 'pretty':
      return renderPretty(reports, phases, c);
    case 'json':
      return renderJson(reports, phases);
    case 'junit':
      return renderJunit(reports, phases);
    case 'csv':
      return renderCsv(reports, phaseIds);
  }
}
