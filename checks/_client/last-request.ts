/**
 * The last request the checks sent to each process, as the line a learner can paste (a
 * curl line, or a printf | nc line for raw bytes). When a server dies after a check that
 * passed, the failure names this request: the one it answered just before it crashed.
 *
 * Keyed by the process (ChildHandle), so every way of sending (http.ts, raw-socket.ts)
 * records into the same place without knowing about RunningServer.
 */
import type { ChildHandle } from '../_process/processes.ts';

interface Sent {
  readonly line: string;
  /** How many requests the checks have sent to this process so far. */
  readonly count: number;
}

const lastSent = new WeakMap<ChildHandle, Sent>();

export function noteRequest(proc: ChildHandle | undefined, line: string): void {
  if (!proc) return;
  lastSent.set(proc, { line, count: (lastSent.get(proc)?.count ?? 0) + 1 });
}

/** The last request sent to `proc`, as a pasteable line, if any was. */
export function lastRequest(proc: ChildHandle): string | undefined {
  return lastSent.get(proc)?.line;
}

/** How many requests the checks have sent to `proc` (to tell whether a check used a server). */
export function requestCount(proc: ChildHandle): number {
  return lastSent.get(proc)?.count ?? 0;
}
