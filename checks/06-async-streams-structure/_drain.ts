/**
 * The graceful-shutdown scenario shared by the SIGTERM and SIGINT checks: a slow
 * request in flight, an idle keep-alive connection, then the signal.
 */
import { Client } from 'undici';
import { attempt, type Attempt } from '../_harness/http.ts';
import type { ExitInfo } from '../_harness/processes.ts';
import { accepts, type RunningServer } from '../_harness/start-server.ts';

export const SLOW_MS = 800;
/** After the last response, a drained server exits in ~10 ms; this is generous. */
export const EXIT_WITHIN_MS = 2000;

export interface DrainRun {
  readonly server: RunningServer;
  readonly signal: NodeJS.Signals;
  readonly slow: Attempt;
  /** Did a new connection get refused shortly after the signal? */
  readonly refusedAfterSignal: boolean;
  /** The exit, if it came within EXIT_WITHIN_MS of the slow response. */
  readonly exit?: ExitInfo;
  /** Milliseconds from the slow response's end to the exit. */
  readonly exitLagMs?: number;
}

export async function drainScenario(server: RunningServer, signal: NodeJS.Signals): Promise<DrainRun> {
  // An idle keep-alive connection: one finished request, socket left open in the pool.
  const idle = new Client(server.origin, { keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
  try {
    await attempt(server, { path: '/messages' }, { reset: false, dispatcher: idle });
    // `reset: true` closes the slow request's connection after its response, as a load
    // balancer would; a connection still open would hold a correct server until it drops.
    const slowDone = attempt(server, { path: '/slow' }, { reset: true, headersWithinMs: SLOW_MS + 3000 });
    await inFlight(server, '/slow');
    server.signal(signal);
    // Well inside the slow request's time: once it ends, a server may exit, and a dead
    // server refuses connections without having done anything right.
    const refusedAfterSignal = await refusedWithin(server, SLOW_MS / 2);
    const slow = await slowDone;
    const slowEndedAt = performance.now();
    const exit = await server.proc.waitForExit(EXIT_WITHIN_MS);
    const exitLagMs = exit ? Math.max(0, Math.round(server.proc.startedAt + exit.afterMs - slowEndedAt)) : undefined;
    return { server, signal, slow, refusedAfterSignal, exit, exitLagMs };
  } finally {
    await idle.destroy().catch(() => {});
  }
}

/**
 * Waits until the server is running the handler for `path`: a signal sent before that
 * would test start-up, not draining. The preload reports it; the short pause after
 * lets the handler reach its first await.
 */
export async function inFlight(server: RunningServer, path: string): Promise<void> {
  await server.waitForRequest(path, 5000);
  await delay(50);
}

/** True once a new connection is refused; false if connections are still accepted after `withinMs`. */
async function refusedWithin(server: RunningServer, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  do {
    if (!(await accepts(server.host, server.port, 300))) return true;
    await delay(25);
  } while (performance.now() < deadline);
  return false;
}

export const ON_WINDOWS = process.platform === 'win32';
export const WINDOWS_NOTE = 'POSIX signals cannot be sent to a process on Windows; run this check on Linux or macOS';

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
