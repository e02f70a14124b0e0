/**
 * `watch`: run the phase's checks now, then again after every save in the phase folder.
 * Each check's line is printed the moment that check finishes (the learner who just saved
 * wants the first ✓ or ✗ now, not after the slowest check), then the summary. Saves are
 * debounced briefly and a save during a run queues exactly one more run. Ctrl-C stops at
 * once, even mid-run.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import type { ChalkInstance } from 'chalk';
import type { CommandResult, CommandRun } from './types.ts';
import type { Phase } from '../course/types.ts';
import { UserError } from '../errors.ts';
import { forWatch } from '../report/message-parts.ts';
import { exitCodeFor, resultsOf, tally } from '../report/model.ts';
import { closeWarm, type CheckResult, type KeepWarm, type PhaseRun, type ProgressEvent } from '../runner/types.ts';
import { NPX } from '../ui/messages.ts';
import { resultStream, type ResultStream } from '../ui/progress.ts';
import { runPhaseWithProgress } from '../ui/run-checks.ts';
import { formatDuration } from '../ui/style.ts';
import { SOLUTION_DIR } from '../workspace/scaffold.ts';
import { openPhaseSession } from '../workspace/session.ts';

/**
 * Fewer check workers than `verify` uses: in watch the learner waits for the FIRST result
 * line, and on a 2-core machine four workers spend the first second loading the harness and
 * starting four servers at once (measured: first result 0.89 s with 2 workers, 1.57 s with 4;
 * the whole run of phase 01 1.90 s against 2.16 s). LEARN_NODE_HTTP_MAX_WORKERS overrides it.
 */
const WATCH_WORKERS = 2;

/**
 * Editors save a file in a burst of events (truncate + write, or write a temporary file +
 * rename) that lands within a few milliseconds; waiting for the burst to end keeps a run
 * from grading a half-written file. Every millisecond here is waited on every save (it was
 * 250 ms, a sixth of the 1.5 s budget for the first result line), so keep it short.
 */
const DEBOUNCE_MS = 50;
/** Files whose change can change a check's outcome. */
const WATCHED = /\.(?:[cm]?[tj]s|json)$/;
const CLEAR_SCREEN = '\u001b[2J\u001b[H';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const { root, phase, progress } = openPhaseSession(ctx.courseRoot, ctx.cwd, args.positionals[0]);
  const folder = join(root, phase.id);
  const shown = relative(ctx.cwd, folder) || '.';
  if (!existsSync(folder)) {
    throw new UserError(`There is no folder ${shown}/ to watch. Restore the starter files with: ${NPX} reset ${phase.number}`);
  }

  /** One vitest instance for every run of this watch (see KeepWarm), ended when watching stops. */
  const warm: KeepWarm = {};
  let running = false;
  let again = false;
  let stopped = false;
  let firstRun = true;
  /** Files saved since the last run started (named in the next run's heading). */
  const saved = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const cycle = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    do {
      again = false;
      if (ctx.stdout.isTTY) ctx.stdout.write(CLEAR_SCREEN); // fresh screen per run, like a test watcher
      ui.out(
        firstRun
          ? `Watching ${shown}/ for phase ${phase.id}: checks run now and after every save. Ctrl-C stops.`
          : `${savedFiles([...saved], shown)} changed: checking phase ${phase.number} again …`,
      );
      firstRun = false;
      saved.clear();
      const live = withoutRunCommand(resultStream(ctx.stdout, c, ctx.stderr));
      const phaseRun = await runPhaseWithProgress(ui, phase, folder, {
        onProgress: live.onProgress,
        keepWarm: warm,
        ...(ctx.env['LEARN_NODE_HTTP_MAX_WORKERS'] ? {} : { maxWorkers: WATCH_WORKERS }),
      });
      if (stopped) return;
      ui.out(closingLines(phaseRun, phase, live, c).join('\n'));
      const code = exitCodeFor([{ dir: root, label: shown, runs: [phaseRun] }]);
      ui.out(
        code === 0
          ? c.green(
              progress.current === phase.id
                ? `All checks pass: run ${NPX} next for the quick check and the next phase (Ctrl-C stops watching)`
                : `All checks of phase ${phase.number} pass. (Ctrl-C stops watching)`,
            )
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
      // Between runs, vitest closes first; a run still going ends with the process (exitNow)
      // at once, as it always has: closing vitest mid-run would wait for its checks.
      void (running ? Promise.resolve() : closeWarm(warm)).finally(() => resolvePromise(result));
    };
    const removeInterrupt = ctx.onInterrupt(() => {
      ui.out('\nStopped watching.');
      stop({ exitCode: 0, exitNow: true });
    });
    try {
      watcher = watch(folder, (_event, name) => {
        const file = name?.toString() ?? '';
        if (file !== '' && (file.startsWith('.') || file.startsWith(SOLUTION_DIR) || !WATCHED.test(file))) return;
        if (file !== '') saved.add(file);
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
      void closeWarm(warm).finally(() => rejectPromise(error));
    }
    void cycle().catch(fail);
  });
};

/**
 * The streamed lines without "Then run: npx learn-node-http verify NN": watch re-runs on
 * every save, so each failure says that instead (message-parts.ts forWatch).
 */
function withoutRunCommand(live: ResultStream): ResultStream {
  const adapt = (result: CheckResult): CheckResult => (result.message ? { ...result, message: forWatch(result.message) } : result);
  return {
    onProgress: (event: ProgressEvent) => live.onProgress(event.type === 'check-end' ? { ...event, result: adapt(event.result) } : event),
    print: (result) => live.print(adapt(result)),
    printed: (result) => live.printed(result),
  };
}

/** "server.ts", "server.ts and router.ts", "3 files in 04-middleware/". */
function savedFiles(files: readonly string[], shown: string): string {
  if (files.length === 0) return `A file in ${shown}/`;
  if (files.length <= 2) return files.join(' and ');
  return `${files.length} files in ${shown}/`;
}

/**
 * After the streamed lines: any result that came without a check-end event (a check file
 * that failed to load, a missing folder, a runner that crashed), then the summary and the
 * lesson sections to reread, as in the pretty report.
 */
function closingLines(phaseRun: PhaseRun, phase: Phase, live: ResultStream, c: ChalkInstance): string[] {
  const results = resultsOf(phaseRun);
  for (const result of results) if (!live.printed(result)) live.print(result);
  const t = tally(results);
  const parts = [`${t.passed} of ${t.total} checks passed`];
  if (t.errored > 0) parts.push(`${t.errored} could not run`);
  if (t.skipped > 0) parts.push(`${t.skipped} skipped on this platform`);
  const colour = t.errored > 0 ? c.yellow : t.passed === t.total ? c.green : c.red;
  const lines = [`  ${colour(parts.join(', '))} ${c.dim(`(${formatDuration(phaseRun.durationMs)})`)}`];
  const failingGroups = new Set(results.filter((r) => r.status === 'fail').map((r) => r.group));
  const sections = phase.groups.filter((g) => failingGroups.has(g.id)).map((g) => `“${g.lessonSection}”`);
  if (sections.length > 0) lines.push(`  Reread in ${phase.id}/LESSON.md: ${sections.join(', ')}`);
  return lines;
}
