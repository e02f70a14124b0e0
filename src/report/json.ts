/**
 * Exercism's results.json, version 3 (https://exercism.org/docs/building/tooling/test-runners/interface):
 * { version: 3, status, message?, tests: [{ name, status, message, output, test_code, task_id }] }.
 * Additions, which v3 consumers ignore: per test `phase`, `group` and `id`; per report `dir`,
 * `skipped` (v3 has no "skip" status, so platform-skipped checks are listed there instead
 * of being passed off as passes), `suite` (the package version and a hash of the checks
 * that produced the grade, see suite.ts) and, from batch grading, `attempts` (when the
 * folder was graded more than once) and `stopped` (why its grading was cut short); the
 * `message` then says so in words. One folder → one object; several folders → an array
 * of them, or with jsonFilesPerSubmission one file each.
 *
 * `test_code` is what the student should look at: the request that showed the problem as
 * a pasteable curl/printf line, else what the check asserts, else (a pass) the command
 * that runs the check. The top-level `message` is set only when the status is `error`, as
 * v3 asks; otherwise the same sentences (retried, stopped early, not submitted…) are in
 * `notes`. `score` carries the score model's numbers (score.ts), the ones every report shows.
 */
import type { Phase } from '../course/types.ts';
import { stripAnsi } from '../ui/style.ts';
import { fileNamesFor } from './file-names.ts';
import { allResults, groupIndex, verdict, type DirReport } from './model.ts';
import { codeToLookAt } from './message-parts.ts';
import { noticeSentences } from './notes.ts';
import { scoreSubmission, submissionStateParts } from './score.ts';
import { installedSuite, type SuiteInfo } from './suite.ts';

/** Exercism shows at most this much output per test. */
const OUTPUT_LIMIT = 500;

export interface ExercismTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  message: string | null;
  output: string | null;
  test_code: string;
  task_id: number | null;
  phase: string;
  group: string;
  id: string;
}

export interface ExercismResults {
  version: 3;
  status: 'pass' | 'fail' | 'error';
  message?: string;
  tests: ExercismTest[];
  dir: string;
  skipped: Array<{ name: string; message: string }>;
  suite: SuiteInfo;
  /** Present when batch grading ran this folder more than once. */
  attempts?: number;
  /** Present when batch grading cut this folder short: why. */
  stopped?: string;
  /** The score model's numbers (score.ts): what CSV, JUnit and Classroom show too. */
  score?: { passed: number; total: number; phases: Array<{ phase: string; state: string; passed: number; total: number }> };
  /** What `message` would say when the status is not "error" (v3 keeps `message` for errors). */
  notes?: string;
}

export function toExercism(report: DirReport, phases: readonly Phase[], suite: SuiteInfo = installedSuite()): ExercismResults {
  const results = allResults(report);
  const scored = results.filter((r) => r.status !== 'skip');
  const status = verdict(scored);
  const tests = scored.map(
    (r): ExercismTest => ({
      name: `${r.phase.slice(0, 2)} · ${r.title}`,
      status: r.status as ExercismTest['status'],
      message: r.status === 'pass' ? null : stripAnsi(r.message),
      output: r.output ? clip(stripAnsi(r.output)) : null,
      // What to look at: the request that showed the problem, or what the check asserts.
      test_code: codeToLookAt(r.message, r.phase),
      task_id: groupIndex(phases, r.phase, r.group),
      phase: r.phase,
      group: r.group,
      id: r.id,
    }),
  );
  const out: ExercismResults = {
    version: 3,
    status,
    tests,
    dir: report.label,
    skipped: results.filter((r) => r.status === 'skip').map((r) => ({ name: r.title, message: stripAnsi(r.message) })),
    suite,
  };
  if ((report.attempts ?? 1) > 1) out.attempts = report.attempts!;
  if (report.stoppedReason) out.stopped = report.stoppedReason;
  const score = scoreSubmission(report);
  out.score = { passed: score.passed, total: score.total, phases: score.phases.map(({ phase, state, passed, total }) => ({ phase, state, passed, total })) };
  const sentences = [...submissionStateParts(score).map((p) => `${p.replace(/^./, (ch) => ch.toUpperCase())}.`), ...noticeSentences(report)];
  if (status === 'error') {
    const broken = scored.filter((r) => r.status === 'error').map((r) => r.title);
    sentences.push(`Some checks could not run (an infrastructure problem, not the submission's fault): ${broken.join('; ')}.`);
  }
  // v3 reserves the top-level message for status "error"; other notes go in `notes`.
  if (sentences.length > 0) {
    if (status === 'error') out.message = sentences.join(' ');
    else out.notes = sentences.join(' ');
  }
  return out;
}

export function renderJson(reports: readonly DirReport[], phases: readonly Phase[], suite: SuiteInfo = installedSuite()): string {
  const objects = reports.map((r) => toExercism(r, phases, suite));
  return `${JSON.stringify(objects.length === 1 ? objects[0] : objects, null, 2)}\n`;
}

/**
 * One results.json per submission, for `--out <folder>`: a class of 300 becomes 300 small
 * files a platform can pick up one by one, named after each folder's label
 * (`submissions/alice` → `alice.results.json`), never two with the same name.
 */
export function jsonFilesPerSubmission(
  reports: readonly DirReport[],
  phases: readonly Phase[],
  suite: SuiteInfo = installedSuite(),
): Array<{ fileName: string; text: string }> {
  const names = fileNamesFor(reports.map((r) => r.label), '.results.json');
  return reports.map((report, i) => ({ fileName: names[i]!, text: `${JSON.stringify(toExercism(report, phases, suite), null, 2)}\n` }));
}

function clip(text: string): string {
  return text.length <= OUTPUT_LIMIT ? text : `${text.slice(0, OUTPUT_LIMIT - 30)}\n... (output truncated)`;
}
