/**
 * JUnit XML, the format CI systems and grading dashboards read: one <testsuite> per folder
 * and phase, one <testcase> per check, with <failure>, <error> or <skipped>. A failure's
 * `message` is the reason in one line ("Expected: …; got: …"), its body the whole message;
 * `classname` starts with the submission's label (several folders, or a named one), so a
 * dashboard groups checks per student; times are wall times (a phase's span, the batch's
 * wall time at the root), never sums of checks that ran side by side. Text is escaped
 * and stripped of characters XML 1.0 forbids (ANSI escapes, stray control bytes from logs).
 */
import type { Phase } from '../course/types.ts';
import { stripAnsi } from '../ui/style.ts';
import { reasonLine } from './message-parts.ts';
import { resultsOf, tally, type DirReport } from './model.ts';
import { scoreSubmission } from './score.ts';

export interface JunitOptions {
  /** Wall time of the whole grading (a batch: from start to end), for the root `time`. */
  readonly wallMs?: number;
}

export function renderJunit(reports: readonly DirReport[], phases: readonly Phase[], options: JunitOptions = {}): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  // Phases (and submissions) run side by side: the root time is the wall time, not a sum.
  const time = options.wallMs ?? Math.max(0, ...reports.map((r) => r.durationMs ?? Math.max(0, ...r.runs.map((run) => run.durationMs))));
  for (const report of reports) {
    const score = scoreSubmission(report);
    const prefix = reports.length > 1 || report.label !== '.' ? `${report.label}.` : '';
    for (const run of report.runs) {
      const results = resultsOf(run);
      const t = tally(results);
      tests += results.length;
      failures += t.failed;
      errors += t.errored;
      skipped += t.skipped;
      const title = phases.find((p) => p.id === run.phase)?.title;
      const name = reports.length > 1 ? `${report.label}: ${run.phase}` : run.phase;
      const cases = results.map((r) => {
        const head = `    <testcase classname="${attr(`${prefix}${run.phase}${r.group ? `.${r.group}` : ''}`)}" name="${attr(r.title)}" time="${seconds(r.durationMs)}"${r.file ? ` file="${attr(r.file)}"` : ''}`;
        const output = r.output ? `\n      <system-out>${text(r.output)}</system-out>` : '';
        switch (r.status) {
          case 'pass':
            return output ? `${head}>${output}\n    </testcase>` : `${head}/>`;
          case 'skip':
            return `${head}>\n      <skipped message="${attr(firstLine(r.message))}"/>${output}\n    </testcase>`;
          case 'fail':
          case 'error':
            return `${head}>\n      <${r.status === 'fail' ? 'failure' : 'error'} message="${attr(reasonLine(r.message))}">${text(r.message)}</${r.status === 'fail' ? 'failure' : 'error'}>${output}\n    </testcase>`;
        }
      });
      suites.push(
        `  <testsuite name="${attr(name)}" tests="${results.length}" failures="${t.failed}" errors="${t.errored}" skipped="${t.skipped}" time="${seconds(run.durationMs)}">\n` +
          `    <properties>\n      <property name="dir" value="${attr(report.dir)}"/>\n      <property name="phase" value="${attr(run.phase)}"/>${title ? `\n      <property name="title" value="${attr(title)}"/>` : ''}${run.notSubmitted ? '\n      <property name="submitted" value="false"/>' : ''}\n      <property name="state" value="${attr(score.phases.find((p) => p.phase === run.phase)?.state ?? 'graded')}"/>\n    </properties>\n` +
          `${cases.join('\n')}\n  </testsuite>`,
      );
    }
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="learn-node-http" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(time)}">\n` +
    `${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`
  );
}

// XML 1.0 allows tab, newline, carriage return and everything from U+0020 up (minus surrogates
// and U+FFFE/U+FFFF); anything else makes the whole file unparseable, so it is dropped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

function text(value: string): string {
  return stripAnsi(value).replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function firstLine(message: string): string {
  const line = stripAnsi(message).split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
