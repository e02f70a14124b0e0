/**
 * `watch`: run the phase's checks now, then again after every save in the phase folder.
 * Saves are debounced (editors write several events per save) and a save during a run
 * queues exactly one more run. Ctrl-C stops at once, even mid-run.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import type { CommandResult, CommandRun } from '../cli.ts';
import { UserError } from '../errors.ts';
import { exitCodeFor } from '../report/model.ts';
import { renderPretty } from '../report/pretty.ts';
import { NPX } from '../ui/messages.ts';
import { runChecks } from '../ui/run-checks.ts';
import { SOLUTION_DIR } from '../workspace/scaffold.ts';
import { openPhaseSession } from '../workspace/session.ts';

const DEBOUNCE_MS = 250;
/** Files whose change can change a check's outcome. */
const WATCHED = /\.(?:[cm]?[tj]s|json)$/;

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const { phases, root, phase } = openPhaseSession(ctx.courseRoot, ctx.cwd, args.positionals[0]);
  const folder = join(root, phase.id);
  const shown = relative(ctx.cwd, folder) || '.';
  if (!existsSync(folder)) {
    throw new UserError(`There is no folder ${shown}/ to watch. Restore the starter files with: ${NPX} reset ${phase.number}`);
  }

  ui.out(`Watching ${shown}/ for phase ${phase.id}: checks run now and after every save. Ctrl-C stops.`);

  let running = false;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const cycle = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    do {
      again = false;
      if (ctx.stdout.isTTY) ctx.stdout.write('\u001b[2J\u001b[H'); // fresh screen per run, like a test watcher
      const phaseRun = await runChecks(ui, phase, folder);
      if (stopped) return;
      ui.out(renderPretty([{ dir: root, label: shown, runs: [phaseRun] }], phases, c));
      const code = exitCodeFor([{ dir: root, label: shown, runs: [phaseRun] }]);
      ui.out(
        code === 0
          ? c.green(`All checks pass. Record it and move on: ${NPX} next   (Ctrl-C stops watching)`)
          : c.dim(`Waiting for you to save a file in ${shown}/ … (Ctrl-C stops)`),
      );
    } while (again && !stopped);
    running = false;
  };

  return new Promise<CommandResult>((resolvePromise, rejectPromise) => {
    let watcher: FSWatcher | undefined;
    const stop = (result: CommandResult): void => {
      stopped = true;
      clearTimeout(timer);
      watcher?.close();
      removeInterrupt();
      resolvePromise(result);
    };
    const removeInterrupt = ctx.onInterrupt(() => {
      ui.out('\nStopped watching.');
      stop({ exitCode: 0, exitNow: true });
    });
    try {
      watcher = watch(folder, (_event, name) => {
        const file = name?.toString() ?? '';
        if (file !== '' && (file.startsWith('.') || file.startsWith(SOLUTION_DIR) || !WATCHED.test(file))) return;
        clearTimeout(timer);
        timer = setTimeout(() => void cycle().catch(fail), DEBOUNCE_MS);
      });
      watcher.on('error', (error) => fail(error));
    } catch (error) {
      fail(error);
      return;
    }
    function fail(error: unknown): void {
      stopped = true;
      clearTimeout(timer);
      watcher?.close();
      removeInterrupt();
      rejectPromise(error);
    }
    void cycle().catch(fail);
  });
};
