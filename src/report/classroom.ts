/**
 * The result format of GitHub Classroom's autograding, as the action
 * classroom-resources/autograding-grading-reporter reads it
 * (https://github.com/classroom-resources/autograding-grading-reporter, src/main.js and
 * src/helpers/test-helpers.js). An earlier workflow step base64-encodes this JSON into its
 * output; the reporter step gets it in an environment variable named after the runner id
 * in capitals plus `_RESULTS` (`learn-node-http` → `LEARN-NODE-HTTP_RESULTS`) and reads
 *
 *   { version: 1, status: 'pass'|'fail'|'error', max_score,
 *     tests: [{ name, status, score, message, test_code, filename, line_no, execution_time }] }
 *
 * The action's points are the sum of tests[].score and its maximum is max_score, summed over
 * the runners (src/notify-classroom.js). Its log, though, computes each runner's points
 * another way: passed tests / all tests × max_score (src/helpers/test-helpers.js). The two
 * agree only when every test is worth the same, so the score model (score.ts) is used as
 * it is: one point per check, max_score = the number of checks. Points are then whole
 * numbers, exact in any arithmetic, full marks add up to exactly max_score, and the log's
 * "Total points" line shows the recorded points. A phase that was not submitted lists every
 * one of its checks, failed; a check that passes on an unchanged starter is failed with the
 * reason (starter-rule.ts). Platform-skipped checks are left out; a phase whose every check
 * was skipped has no test, and the result's status is `error` with a message saying so.
 *
 * The action reads one object per runner, so a batch writes one file per submission
 * (classroomFilesPerSubmission, `--out DIR/`); an array is never produced.
 *
 * GitHub Classroom itself has been sunset and that action is marked deprecated; the format
 * is kept because the action still runs where it is set up. CSV and JSON are the portable
 * ways out (see COURSE.md).
 */
import type { Phase } from '../course/types.ts';
import type { CheckResult } from '../runner/types.ts';
import { stripAnsi } from '../ui/style.ts';
import { fileNamesFor } from './file-names.ts';
import { resultsOf, type DirReport } from './model.ts';
import { noticeSentences } from './notes.ts';
import { scoreSubmission, submissionStateParts } from './score.ts';
import { installedSuite, type SuiteInfo } from './suite.ts';

/**
 * The reporter hands the base64 text to the action in one environment variable, and Linux
 * refuses to start a process with a single variable over 128 KiB. Base64 grows the text by
 * a third, so the JSON must stay well under 96 KiB: messages are shortened until it does.
 */
const JSON_BYTE_BUDGET = 90_000;
const TEXT_LIMITS = [800, 400, 160, 0] as const;

export interface ClassroomTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  score: number;
  message: string;
  test_code: string;
  filename: string;
  line_no: number;
  execution_time: string;
}

export interface ClassroomResults {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: ClassroomTest[];
  /** Extras the reporter ignores: which folder, which checks, and batch-grading notes. */
  dir: string;
  suite: SuiteInfo;
  message?: string;
  attempts?: number;
  stopped?: string;
}

export function toClassroom(report: DirReport, phases: readonly Phase[], suite: SuiteInfo = installedSuite()): ClassroomResults {
  for (const limit of TEXT_LIMITS) {
    const results = build(report, phases, suite, limit);
    if (limit === 0 || Buffer.byteLength(JSON.stringify(results)) <= JSON_BYTE_BUDGET) return results;
  }
  throw new Error('unreachable: the last text limit always returns');
}

/** The result of one folder (the workflow grades one repository). */
export function renderClassroom(reports: readonly DirReport[], phases: readonly Phase[], suite: SuiteInfo = installedSuite()): string {
  if (reports.length !== 1) throw new Error('renderClassroom takes one folder; a batch writes classroomFilesPerSubmission');
  // Compact: the text travels base64-encoded in one environment variable (see JSON_BYTE_BUDGET).
  return `${JSON.stringify(toClassroom(reports[0]!, phases, suite))}\n`;
}

/** One result file per submission, for `--out DIR/` (`submissions/alice` → `alice.classroom.json`). */
export function classroomFilesPerSubmission(reports: readonly DirReport[], phases: readonly Phase[], suite: SuiteInfo = installedSuite()): Array<{ fileName: string; text: string }> {
  const names = fileNamesFor(reports.map((r) => r.label), '.classroom.json');
  return reports.map((report, i) => ({ fileName: names[i]!, text: `${JSON.stringify(toClassroom(report, phases, suite))}\n` }));
}

function build(report: DirReport, phases: readonly Phase[], suite: SuiteInfo, textLimit: number): ClassroomResults {
  const tests: ClassroomTest[] = [];
  const unscorable: string[] = [];
  for (const run of report.runs) {
    const scored = resultsOf(run).filter((r) => r.status !== 'skip');
    if (scored.length === 0) {
      unscorable.push(run.phase);
      continue;
    }
    for (const result of scored) tests.push(toTest(result, result.status === 'pass' ? 1 : 0, textLimit));
  }
  const score = scoreSubmission(report);
  const statuses = tests.map((t) => t.status);
  const out: ClassroomResults = {
    version: 1,
    status: statuses.includes('error') || unscorable.length > 0 ? 'error' : statuses.includes('fail') ? 'fail' : 'pass',
    // Equal to tests.length: the action's log and its recorded points then agree.
    max_score: score.total,
    tests,
    dir: report.label,
    suite,
  };
  const sentences = noticeSentences(report);
  const state = submissionStateParts(score);
  if (state.length > 0) sentences.unshift(`${state.join('; ')}.`.replace(/^./, (ch) => ch.toUpperCase()));
  for (const phase of unscorable) {
    const title = phases.find((p) => p.id === phase)?.title ?? phase;
    sentences.push(`None of the checks of ${phase} (${title}) ran on this machine (all were skipped), so that phase has no grade: grade it on Linux or macOS.`);
  }
  if (sentences.length > 0) out.message = sentences.join(' ');
  if ((report.attempts ?? 1) > 1) out.attempts = report.attempts!;
  if (report.stoppedReason) out.stopped = report.stoppedReason;
  return out;
}

function toTest(result: CheckResult, score: number, textLimit: number): ClassroomTest {
  const text = result.status === 'pass' ? '' : clip(stripAnsi(result.message).trim(), textLimit, `npx learn-node-http verify ${result.phase.slice(0, 2)}`);
  return {
    name: `${result.phase.slice(0, 2)} · ${result.title}`,
    status: result.status as ClassroomTest['status'],
    score,
    message: text,
    // The reporter prints test_code under every test but the message only for errors.
    test_code: result.status === 'fail' ? text : '',
    filename: result.file,
    line_no: 0,
    execution_time: seconds(result.durationMs),
  };
}

/** At most `limit` characters; a shortened text says which command shows all of it. */
function clip(text: string, limit: number, command: string): string {
  if (text.length <= limit) return text;
  const tail = `… (shortened; \`${command}\` shows all of it)`;
  if (limit <= tail.length * 2) return tail;
  return `${text.slice(0, limit - tail.length - 1).trimEnd()}\n${tail}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}
