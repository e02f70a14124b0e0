/**
 * One folder, graded in this process: every phase asked for in one check run (what learners
 * and CI do). The progress display is the same as `next` and `watch` show. Several folders go
 * through run-batch.ts instead, each in a process of its own.
 */
import { join } from 'node:path';
import type { Phase } from '../course/types.ts';
import type { DirReport } from '../report/model.ts';
import type { Ui } from '../ui/context.ts';
import { runPhasesWithProgress } from '../ui/run-checks.ts';
import type { GradedDir } from './expand-dirs.ts';
import { applyStarterRule } from './starter-rule.ts';

export async function gradeInProcess(ui: Ui, { dir, label }: GradedDir, selected: readonly Phase[]): Promise<DirReport> {
  const folders = label === '.' ? 'this folder' : label;
  // First feedback at once: the checks themselves need a second or more before their first line.
  ui.err(`Running the checks of ${selected.map((p) => p.id).join(', ')} in ${folders} …`);
  const what = selected.length === 1 ? selected[0]!.number : `${selected.length} phases`;
  const started = performance.now();
  const runs = await runPhasesWithProgress(ui, selected.map((phase) => ({ phase, targetDir: join(dir, phase.id) })), `checking ${what}`);
  return { dir, label, runs: runs.map((run, i) => applyStarterRule(run, selected[i]!)), durationMs: Math.round(performance.now() - started) };
}
