/**
 * Shows which check is running while checks run (they take seconds: servers start, big
 * files stream). On a terminal: one spinner line, rewritten in place and cleared at the
 * end, so the final report is not cluttered. Elsewhere (CI logs, pipes): one plain line
 * per check as it starts, so a stuck run still shows where it is.
 */
import type { ChalkInstance } from 'chalk';
import type { ProgressEvent } from '../runner/types.ts';
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
  if (stream.isTTY !== true) {
    return {
      onProgress(event) {
        if (event.type === 'check-start') stream.write(`  running: ${event.title}\n`);
      },
      stop() {},
    };
  }
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
