/**
 * Shows which check is running while checks run (they take seconds: servers start, big
 * files stream). On a terminal: one spinner line, rewritten in place and cleared at the
 * end, so the final report is not cluttered. Elsewhere (CI logs, pipes): nothing, so the
 * report is not printed twice.
 * `watch` also streams each check's result as it finishes (resultStream, below).
 */
import type { ChalkInstance } from 'chalk';
import { resultLines, startFailureLines } from '../report/pretty.ts';
import type { CheckResult, ProgressEvent } from '../runner/types.ts';
import { marks, type StreamLike } from './style.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ProgressDisplay {
  readonly onProgress: (event: ProgressEvent) => void;
  /** Clears the spinner line; safe to call twice. */
  stop(): void;
}

export function progressDisplay(stream: StreamLike, c: ChalkInstance, label: string): ProgressDisplay {
  let done = 0;
  let failed = 0;
  // Without a terminal nothing is shown while checks run: in a log or a pipe, per-check
  // lines would only repeat the report that follows (every check has a deadline, so a run
  // cannot sit there silently for long).
  if (stream.isTTY !== true) return { onProgress() {}, stop() {} };
  let title = 'starting';
  let frame = 0;
  const width = Math.max(20, (stream.columns ?? 80) - 1);
  const draw = (): void => {
    const counts = failed > 0 ? `${done} done, ${failed} failing` : `${done} done`;
    const line = `${FRAMES[frame++ % FRAMES.length]} ${label} (${counts}): ${title}`;
    stream.write(`\r\u001b[2K${c.cyan(line.length > width ? `${line.slice(0, width - 1)}…` : line)}`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  draw();
  let stopped = false;
  return {
    onProgress(event) {
      if (event.type === 'check-start') {
        title = event.title;
      } else {
        done++;
        if (event.result.status === 'fail' || event.result.status === 'error') failed++;
        title = `${marks[event.result.status]} ${event.result.title}`;
      }
      draw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write('\r\u001b[2K');
    },
  };
}

export interface ResultStream {
  readonly onProgress: (event: ProgressEvent) => void;
  /** Prints a result that came with no event (a check file that failed to load, a runner crash). */
  print(result: CheckResult): void;
  /** Whether this result (by id) has been printed already. */
  printed(result: CheckResult): boolean;
}

/**
 * Each check's result the moment it finishes, for `watch`: a learner who just saved wants
 * the first ✓ or ✗ now, not after the slowest check. The lines are the pretty report's
 * (✓/✗ line, the teaching message under a failure), in the order checks finish. On a
 * terminal the spinner's line is cleared first, so the result takes its place and the
 * spinner redraws under it.
 */
export function resultStream(out: StreamLike, c: ChalkInstance, spinner: StreamLike): ResultStream {
  const done = new Set<string>();
  const clearSpinner = out.isTTY === true && spinner.isTTY === true ? '\r\u001b[2K' : '';
  let startShown = false;
  const print = (result: CheckResult): void => {
    done.add(result.id);
    // The first check the server's failure to start stopped shows why; the others one line each.
    const firstStartFailure = result.cause === 'server-did-not-start' && !startShown;
    if (firstStartFailure) startShown = true;
    const lines = [...(firstStartFailure ? startFailureLines(result, c) : []), ...resultLines(result, c, { startShown })];
    out.write(`${clearSpinner}${lines.join('\n')}\n`);
  };
  return {
    onProgress(event) {
      if (event.type === 'check-end') print(event.result);
    },
    print,
    printed: (result) => done.has(result.id),
  };
}
