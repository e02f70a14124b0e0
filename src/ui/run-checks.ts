/**
 * Runs checks with a live progress display. A missing folder is "not submitted" (nothing
 * runs); a runner that throws becomes one `error` result per phase, so a broken run is
 * reported as infrastructure trouble and never as the learner's failure.
 */
import type { Phase } from '../course/types.ts';
import { notSubmittedRun } from '../report/model.ts';
import { isFolder, phaseToRun } from '../runner/phase-to-run.ts';
import type { PhaseRun, RunChecksOptions } from '../runner/types.ts';
import type { Ui } from './context.ts';
import { progressDisplay } from './progress.ts';

/** One phase in one folder. */
export async function runPhaseWithProgress(ui: Ui, phase: Phase, targetDir: string, options: RunOptions = {}): Promise<PhaseRun> {
  const [run] = await runPhasesWithProgress(ui, [{ phase, targetDir }], `checking ${phase.number}`, options);
  return run!;
}

type Target = { readonly phase: Phase; readonly targetDir: string };
type RunOptions = Pick<RunChecksOptions, 'onProgress' | 'maxWorkers' | 'keepWarm'>;

/** Several phases in one run (side by side, one vitest start-up), results in the order given. */
export async function runPhasesWithProgress(ui: Ui, targets: readonly Target[], label: string, options: RunOptions = {}): Promise<PhaseRun[]> {
  // Checked here too (the runner does it as well) so that nothing starts, not even the spinner, for folders that are not there.
  const present = targets.filter(({ targetDir }) => isFolder(targetDir));
  const ran = present.length === 0 ? [] : await runPresent(ui, present, label, options);
  return targets.map((target) => ran[present.indexOf(target)] ?? notSubmittedRun(target.phase, target.targetDir));
}

async function runPresent(ui: Ui, targets: readonly Target[], label: string, { onProgress, maxWorkers, keepWarm }: RunOptions): Promise<PhaseRun[]> {
  const started = performance.now();
  const display = progressDisplay(ui.ctx.stderr, ui.ce, label);
  try {
    const run = await ui.ctx.loadRunner();
    return await run({
      phases: targets.map(({ phase, targetDir }) => phaseToRun(phase, targetDir)),
      onProgress: (event) => {
        display.onProgress(event);
        onProgress?.(event);
      },
      ...(maxWorkers !== undefined ? { maxWorkers } : {}),
      ...(keepWarm ? { keepWarm } : {}),
    });
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const durationMs = performance.now() - started;
    return targets.map(({ phase, targetDir }) => ({
      phase: phase.id,
      targetDir,
      durationMs,
      results: [
        {
          phase: phase.id,
          id: 'run-checks',
          group: '',
          title: `Run the checks of ${phase.id}`,
          status: 'error',
          message: `The checks could not be run (a problem with learn-node-http or this machine, not with your code):\n${detail}\nIf it happens again, please report it.`,
          durationMs,
          file: '',
        },
      ],
    }));
  } finally {
    display.stop();
  }
}
