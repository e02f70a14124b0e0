/**
 * Exercism's results.json, version 3 (https://exercism.org/docs/building/tooling/test-runners/interface):
 * { version: 3, status, message?, tests: [{ name, status, message, output, test_code, task_id }] }.
 * Additions, which v3 consumers ignore: per test `phase`, `group` and `id`; per report `dir`
 * and `skipped` (v3 has no "skip" status, so platform-skipped checks are listed there instead
 * of being passed off as passes). One folder → one object; several folders → an array of them.
 */
import type { Phase } from '../course/types.ts';
import { stripAnsi } from '../ui/style.ts';
import { allResults, groupIndex, verdict, type DirReport } from './model.ts';

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
}

export function toExercism(report: DirReport, phases: readonly Phase[]): ExercismResults {
  const results = allResults(report);
  const scored = results.filter((r) => r.status !== 'skip');
  const status = verdict(scored);
  const tests = scored.map(
    (r): ExercismTest => ({
      name: `${r.phase.slice(0, 2)} · ${r.title}`,
      status: r.status as ExercismTest['status'],
      message: r.status === 'pass' ? null : stripAnsi(r.message),
      output: r.output ? clip(stripAnsi(r.output)) : null,
      test_code: r.file,
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
  };
  if (status === 'error') {
    const broken = scored.filter((r) => r.status === 'error').map((r) => r.title);
    out.message = `Some checks could not run (an infrastructure problem, not the submission's fault): ${broken.join('; ')}.`;
  }
  return out;
}

export function renderJson(reports: readonly DirReport[], phases: readonly Phase[]): string {
  const objects = reports.map((r) => toExercism(r, phases));
  return `${JSON.stringify(objects.length === 1 ? objects[0] : objects, null, 2)}\n`;
}

function clip(text: string): string {
  return text.length <= OUTPUT_LIMIT ? text : `${text.slice(0, OUTPUT_LIMIT - 30)}\n... (output truncated)`;
}
