/**
 * What GitHub Classroom's released reporter action does with our output, reimplemented from
 * its source for tests (none of its code is copied here). Read at
 * github.com/classroom-resources/autograding-grading-reporter, commit 43c2d9f (the v1 line):
 *
 * - src/main.js: `runners` input split on ","; for each, the env variable
 *   `${runner.trim().toUpperCase()}_RESULTS`, base64-decoded, JSON.parse'd. Anything thrown
 *   is caught; if the runners input does not match /^([a-zA-Z0-9]+,)*[a-zA-Z0-9]+$/ the job
 *   fails with "The runners input must be a comma-separated list of strings." (whatever
 *   the real error was), else with the error's message. Then: any result with status
 *   "fail" → "Some tests failed."; else any "error" → "Some tests errored.".
 * - src/console-results.js + src/helpers/test-helpers.js: per runner, the log's points are
 *   (tests with status "pass" / all tests) × max_score, printed as
 *   "Total points for <runner>: <points.toFixed(2)>/<max_score>" when max_score is not 0;
 *   it reads `results.tests.length`, so a result without `tests` (an array) throws.
 * - src/notify-classroom.js: the recorded points: the sum of every test's `score` over the
 *   runners with a truthy max_score, and the sum of those max_scores, as
 *   "Points <total>/<max>" (plain number formatting, no rounding).
 */

export interface ReporterRun {
  /** Lines the action logs that carry numbers ("Total points for …"). */
  readonly log: string[];
  /** The annotation Classroom records, e.g. "Points 50/91"; absent when the run threw first. */
  readonly recorded?: string;
  readonly totalPoints?: number;
  readonly maxPoints?: number;
  /** The job's failure message, if it fails. */
  readonly failed?: string;
}

interface Test {
  status: string;
  score?: number;
}
interface Results {
  status: string;
  max_score?: number;
  tests: Test[];
}

export function runGradingReporter(runnersInput: string, env: Record<string, string | undefined>): ReporterRun {
  const log: string[] = [];
  try {
    const runnerResults = runnersInput.split(',').map((runner) => {
      const encoded = env[`${runner.trim().toUpperCase()}_RESULTS`];
      if (encoded === undefined) throw new TypeError('The first argument must be of type string (Buffer.from(undefined))');
      return { runner, results: JSON.parse(Buffer.from(encoded, 'base64').toString('utf-8')) as Results };
    });
    for (const { runner, results } of runnerResults) {
      const max = results.max_score || 0;
      const passed = results.tests.reduce((n, t) => (t.status === 'pass' ? n + 1 : n), 0);
      const score = (passed / results.tests.length) * max;
      if (max !== 0) log.push(`Total points for ${runner}: ${score.toFixed(2)}/${max}`);
    }
    let totalPoints = 0;
    let maxPoints = 0;
    for (const { results } of runnerResults) {
      if (!results.max_score) continue;
      maxPoints += results.max_score;
      for (const { score } of results.tests) totalPoints += score as number;
    }
    const recorded = maxPoints ? `Points ${totalPoints}/${maxPoints}` : undefined;
    const failed = runnerResults.some((r) => r.results.status === 'fail')
      ? 'Some tests failed.'
      : runnerResults.some((r) => r.results.status === 'error')
        ? 'Some tests errored.'
        : undefined;
    return { log, totalPoints, maxPoints, ...(recorded ? { recorded } : {}), ...(failed ? { failed } : {}) };
  } catch (error) {
    const ok = /^([a-zA-Z0-9]+,)*[a-zA-Z0-9]+$/.test(runnersInput);
    return { log, failed: ok ? (error as Error).message : 'The runners input must be a comma-separated list of strings.' };
  }
}

/** The env a workflow step hands the action: base64 of the file's text, as `base64 -w 0` makes it. */
export function encodeForReporter(text: string): string {
  return Buffer.from(text).toString('base64');
}
