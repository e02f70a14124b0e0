/**
 * The terminal report: per phase, the checks under their group (in the order the lesson
 * teaches them), a ✓/✗ line per check, the teaching message under each failure, which
 * lesson sections to reread, and a one-line summary.
 */
import type { ChalkInstance } from 'chalk';
import type { Phase } from '../course/types.ts';
import type { CheckResult } from '../runner/types.ts';
import { formatDuration, indent, marks } from '../ui/style.ts';
import { resultsOf, tally, type DirReport } from './model.ts';

export function renderPretty(reports: readonly DirReport[], phases: readonly Phase[], c: ChalkInstance): string {
  const blocks: string[] = [];
  for (const report of reports) {
    for (const run of report.runs) {
      const phase = phases.find((p) => p.id === run.phase);
      const lines: string[] = [];
      const where = reports.length > 1 ? c.dim(`  in ${report.label}`) : '';
      lines.push(c.bold(`${run.phase}${phase ? ` · ${phase.title}` : ''}`) + where);
      const results = resultsOf(run);
      const t = tally(results);
      if (run.notSubmitted) {
        // One line, not a ✗ per check: the folder is missing, and every check says only that.
        lines.push(c.yellow(`  Not submitted: there is no folder ${run.phase}/, so this phase scores 0 of ${t.total} check${t.total === 1 ? '' : 's'}.`));
        blocks.push(lines.join('\n'));
        continue;
      }
      // One cause, one message: when the server never started, its failure is shown once,
      // above the groups, and every check it stopped is listed as not run.
      const startFailure = results.find((r) => r.cause === 'server-did-not-start');
      if (startFailure) lines.push(...startFailureLines(startFailure, c, results.filter((r) => r.cause === startFailure.cause).length));
      for (const [heading, members] of byGroup(results, phase)) {
        const passed = members.filter((r) => r.status === 'pass' || r.status === 'skip').length;
        lines.push(`  ${c.bold(heading)} ${c.dim(`${passed}/${members.length}`)}`);
        for (const result of members) lines.push(...resultLines(result, c, { startShown: startFailure !== undefined }).map((line) => `  ${line}`));
      }
      const parts = [run.untouchedStarter ? `0 of ${t.total} checks credited: the starter files are unchanged (untouched starter)` : `${t.passed} of ${t.total} checks passed`];
      if (t.errored > 0) parts.push(`${t.errored} could not run`);
      if (t.skipped > 0) parts.push(`${t.skipped} skipped on this platform`);
      const colour = t.errored > 0 ? c.yellow : t.passed === t.total ? c.green : c.red;
      lines.push(`  ${colour(parts.join(', '))} ${c.dim(`(${formatDuration(run.durationMs)})`)}`);
      const sections = failingSections(results, phase);
      if (sections.length > 0) lines.push(`  Reread in ${run.phase}/LESSON.md: ${sections.map((s) => `“${s}”`).join(', ')}`);
      blocks.push(lines.join('\n'));
    }
  }
  return `${blocks.join('\n\n')}\n`;
}

/** The server-did-not-start failure, once: a headline, then its teaching message. */
export function startFailureLines(result: CheckResult, c: ChalkInstance, stopped?: number): string[] {
  const count = stopped === undefined ? 'its checks' : `${stopped} check${stopped === 1 ? '' : 's'}`;
  const headline = `${c.red(marks.fail)} ${c.bold(`Your server did not start, so ${count} could not run:`)}`;
  return [`  ${headline}`, ...indent(result.message.trimEnd(), '      ').split('\n')];
}

export interface ResultLineOptions {
  /** The server-did-not-start message is already on screen: such a check gets one line. */
  readonly startShown?: boolean;
}

/** The lines of one check: its ✓/✗ line, and under a failure the teaching message (watch prints these as checks finish). */
export function resultLines(result: CheckResult, c: ChalkInstance, options: ResultLineOptions = {}): string[] {
  if (options.startShown && result.cause === 'server-did-not-start') {
    return [`  ${c.red(marks.fail)} ${result.title} ${c.dim('(not run: the server did not start)')}`];
  }
  const time = result.durationMs > 0 ? c.dim(` ${formatDuration(result.durationMs)}`) : '';
  switch (result.status) {
    case 'pass':
      return [`  ${c.green(marks.pass)} ${result.title}${time}`];
    case 'skip':
      return [`  ${c.dim(`${marks.skip} ${result.title} (skipped${result.message ? `: ${result.message}` : ''})`)}`];
    case 'fail':
    case 'error': {
      const mark = result.status === 'fail' ? c.red(marks.fail) : c.yellow(marks.error);
      const label = result.status === 'error' ? c.yellow(' (could not run: not your code\'s fault)') : '';
      const lines = [`  ${mark} ${c.bold(result.title)}${label}${time}`];
      // Line by line: a caller indents each line it gets, and a joined block would be indented only on its first.
      if (result.message.trim() !== '') lines.push(...indent(result.message.trimEnd(), '      ').split('\n'));
      return lines;
    }
  }
}

/**
 * Results under a heading per check group, in phase.json's order (the lesson's order);
 * a group phase.json does not name (e.g. a check file that failed to load) comes last.
 */
function byGroup(results: readonly CheckResult[], phase: Phase | undefined): [string, CheckResult[]][] {
  const known = phase?.groups ?? [];
  const headings = new Map<string, [string, CheckResult[]]>(known.map((g) => [g.id, [g.title, []]]));
  for (const result of results) {
    if (!headings.has(result.group)) headings.set(result.group, [result.group, []]);
    headings.get(result.group)![1].push(result);
  }
  return [...headings.values()].filter(([, members]) => members.length > 0);
}

function failingSections(results: readonly CheckResult[], phase: Phase | undefined): string[] {
  if (!phase) return [];
  // A check the server's failure to start stopped says nothing about its own section.
  const groups = new Set(results.filter((r) => r.status === 'fail' && r.cause === undefined).map((r) => r.group));
  return phase.groups.filter((g) => groups.has(g.id)).map((g) => g.lessonSection);
}
