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
 * The points are the sum of tests[].score (so every score must be a number) and the
 * maximum is max_score, both summed over the runners. Its log prints each test's name,
 * the test_code under it, and the message only for an `error`: so a failing check's
 * teaching text goes into test_code too, where the student will see it.
 *
 * Scoring: each graded phase is worth PHASE_POINTS, split evenly over its scored checks
 * (platform-skipped ones excluded), so partial credit shows and max_score is the same for
 * every submission. A phase that was not submitted is one failing test scored 0 that still
 * adds its points to max_score. Shares are whole hundredths that add up to exactly
 * PHASE_POINTS (10 over 3 checks: 3.34 + 3.33 + 3.33). The action adds them up in binary
 * floating point, so its summary table may print 69.99999999999999 where the hundredths
 * make exactly 70 (its per-runner line rounds to two decimals and reads 70.00); no choice
 * of two-decimal shares avoids that, short of quarter points, which would split unevenly.
 *
 * GitHub Classroom itself has been sunset and that action is marked deprecated; the format
 * is kept because the action still runs where it is set up. CSV and JSON are the portable
 * ways out (see COURSE.md).
 */
import type { Phase } from '../course/types.ts';
import type { CheckResult } from '../runner/types.ts';
import { stripAnsi } from '../ui/style.ts';
import { resultsOf, type DirReport } from './model.ts';
import { noticeSentences } from './notes.ts';
import { installedSuite, type SuiteInfo } from './suite.ts';

/** What one phase is worth, whatever its number of checks. */
export const PHASE_POINTS = 10;

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

/**
 * `points` split over `count` checks in whole hundredths that sum to exactly `points`:
 * every share is the floor, and the hundredths left over go one each to the first checks.
 */
export function splitPoints(count: number, points: number = PHASE_POINTS): number[] {
  const hundredths = Math.round(points * 100);
  const base = Math.floor(hundredths / count);
  const extra = hundredths - base * count;
  return Array.from({ length: count }, (_, i) => (base + (i < extra ? 1 : 0)) / 100);
}

export function toClassroom(report: DirReport, phases: readonly Phase[], suite: SuiteInfo = installedSuite()): ClassroomResults {
  for (const limit of TEXT_LIMITS) {
    const results = build(report, phases, suite, limit);
    if (limit === 0 || Buffer.byteLength(JSON.stringify(results)) <= JSON_BYTE_BUDGET) return results;
  }
  throw new Error('unreachable: the last text limit always returns');
}

/** One object for one folder; an array of them (each with its `dir`) for several. */
export function renderClassroom(reports: readonly DirReport[], phases: readonly Phase[], suite: SuiteInfo = installedSuite()): string {
  const objects = reports.map((r) => toClassroom(r, phases, suite));
  // Compact: the text travels base64-encoded in one environment variable (see JSON_BYTE_BUDGET).
  return `${JSON.stringify(objects.length === 1 ? objects[0] : objects)}\n`;
}

function build(report: DirReport, phases: readonly Phase[], suite: SuiteInfo, textLimit: number): ClassroomResults {
  const tests: ClassroomTest[] = [];
  const statuses: Array<ClassroomTest['status']> = [];
  for (const run of report.runs) {
    const phase = phases.find((p) => p.id === run.phase);
    const scored = resultsOf(run).filter((r) => r.status !== 'skip');
    if (scored.length === 0) {
      // Every check skipped (or none reported): nothing to grade here, and saying 10/10 or
      // 0/10 would both be a guess. An error sends the grade to a person.
      tests.push({
        name: `${run.phase.slice(0, 2)} · ${phase?.title ?? run.phase}: no check could be scored`,
        status: 'error',
        score: 0,
        message: `None of the checks of ${run.phase} ran on this machine (all were skipped), so this phase has no grade. Grade it on Linux or macOS.`,
        test_code: '',
        filename: '',
        line_no: 0,
        execution_time: seconds(run.durationMs),
      });
      statuses.push('error');
      continue;
    }
    const shares = splitPoints(scored.length);
    scored.forEach((result, i) => {
      tests.push(toTest(result, result.status === 'pass' ? shares[i]! : 0, textLimit));
      statuses.push(result.status as ClassroomTest['status']);
    });
  }
  const out: ClassroomResults = {
    version: 1,
    status: statuses.includes('error') ? 'error' : statuses.includes('fail') ? 'fail' : 'pass',
    max_score: PHASE_POINTS * report.runs.length,
    tests,
    dir: report.label,
    suite,
  };
  const sentences = noticeSentences(report);
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
