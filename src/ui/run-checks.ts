/**
 * Runs one phase's checks against one folder with a live progress display. A missing folder
 * is "not submitted" (nothing runs); a runner that throws becomes one `error` result, so a
 * broken run is reported as infrastructure trouble and never as the learner's failure.
 */
import { existsSync, statSync } from 'node:fs';
import type { Phase } from '../course/types.ts';
import { notSubmittedRun } from '../report/model.ts';
import type { PhaseRun } from '../runner/types.ts';
import type { Ui } from './context.ts';
import { progressDisplay } from './progress.ts';

export async function runChecks(ui: Ui, phase: Phase, targetDir: string, label = `checking ${phase.number}`): Promise<PhaseRun> {
  if (!existsSync(targetDir) || !statSync(targetDir).isDirectory()) return notSubmittedRun(phase, targetDir);
  const started = performance.now();
  const display = progressDisplay(ui.ctx.stderr, ui.ce, label);
  try {
    const runPhaseChecks = await ui.ctx.loadRunner();
    return await runPhaseChecks({
      phaseId: phase.id,
      checksDir: phase.paths.checksDir,
      targetDir,
      entry: phase.entry,
      onProgress: display.onProgress,
    });
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return {
      phase: phase.id,
      targetDir,
      durationMs: performance.now() - started,
      results: [
        {
          phase: phase.id,
          id: 'run-checks',
          group: '',
          title: `Run the checks of ${phase.id}`,
          status: 'error',
          message: `The checks could not be run (a problem with learn-node-http or this machine, not with your code):\n${detail}\nIf it happens again, please report it.`,
          durationMs: performance.now() - started,
          file: '',
        },
      ],
    };
  } finally {
    display.stop();
  }
}
