/**
 * What a timing check saw, in order, as one line a failure message can show: "timeline:
 * 0 ms GET /slow sent · 62 ms request in the server · 115 ms SIGTERM · 870 ms /slow
 * answered 200 · 881 ms exit 0". A drain that went wrong is then visible (the exit before
 * the answer), not only described. Only observes: verdicts never read it.
 */
import type { ExitInfo } from '../_process/processes.ts';

export interface TimelineStep {
  /** performance.now() when it happened (or was seen). */
  readonly atMs: number;
  readonly what: string;
}

/** Steps recorded as they happen; `mark` returns the time it recorded. */
export class Timeline {
  readonly steps: TimelineStep[] = [];

  mark(what: string, atMs: number = performance.now()): number {
    this.steps.push({ atMs, what });
    return atMs;
  }

  /** The one-line form (timelineLine). */
  line(): string {
    return timelineLine(this.steps);
  }
}

/**
 * "timeline: 0 ms A · 62 ms B": in order of time (steps at the same time keep the order they
 * were recorded in), in whole milliseconds from the first step recorded. "" when empty.
 */
export function timelineLine(steps: readonly TimelineStep[]): string {
  if (steps.length === 0) return '';
  const origin = steps[0]!.atMs;
  const ordered = steps.map((step, index) => ({ step, index })).sort((a, b) => a.step.atMs - b.step.atMs || a.index - b.index);
  return `timeline: ${ordered.map(({ step }) => `${Math.round(step.atMs - origin)} ms ${step.what}`).join(' · ')}`;
}

/** `got` with the timeline on a line of its own, indented under "Got:" (unchanged when there is none). */
export function withTimeline(got: string, timeline: Timeline | readonly TimelineStep[]): string {
  const line = timeline instanceof Timeline ? timeline.line() : timelineLine(timeline);
  return line ? `${got}\n          ${line}` : got;
}

/** A process's end as a timeline step: "exit 0", "killed by SIGTERM". */
export function exitStep(exit: ExitInfo): string {
  if (exit.stoppedBecause) return 'stopped by the checks';
  return exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`;
}
