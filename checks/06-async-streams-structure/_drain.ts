/**
 * The graceful-shutdown scenario shared by the SIGTERM and SIGINT checks: a slow
 * request in flight, an idle keep-alive connection, then the signal.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'undici';
import { attempt, type Attempt } from '../_client/http.ts';
import { fail, InfraError } from '../_harness/failures.ts';
import { describeMs, scaled } from '../_harness/pace.ts';
import { accepts } from '../_harness/ports.ts';
import type { RunningServer } from '../_harness/start-server.ts';
import type { ExitInfo } from '../_process/processes.ts';
import { exitStep, Timeline } from './_timeline.ts';

export const SLOW_MS = 800;
/** After the last response, a drained server exits in ~10 ms; this is generous (and stretched on a busy machine). */
export const EXIT_WITHIN_MS = 2000;

export interface DrainRun {
  readonly server: RunningServer;
  readonly signal: NodeJS.Signals;
  readonly slow: Attempt;
  /** Did a new connection get refused shortly after the signal? */
  readonly refusedAfterSignal: boolean;
  /** The exit, if it came within exitWithinMs of the slow response. */
  readonly exit?: ExitInfo;
  /** EXIT_WITHIN_MS as stretched for this machine's load. */
  readonly exitWithinMs: number;
  /** Milliseconds from the slow response's end to the exit. */
  readonly exitLagMs?: number;
  /** What happened when, from the slow request's start: for failure messages (withTimeline), never for verdicts. */
  readonly timeline: Timeline;
}

export async function drainScenario(server: RunningServer, signal: NodeJS.Signals, sent: readonly string[]): Promise<DrainRun> {
  // An idle keep-alive connection: one finished request, socket left open in the pool.
  const idle = new Client(server.origin, { keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
  const timeline = new Timeline();
  try {
    await attempt(server, { path: '/messages' }, { reset: false, dispatcher: idle });
    // `reset: true` closes the slow request's connection after its response, as a load
    // balancer would; a connection still open would hold a correct server until it drops.
    const slowSentAt = timeline.mark('GET /slow sent');
    const slowDone = attempt(server, { path: '/slow' }, { reset: true, headersWithinMs: SLOW_MS + scaled(3000) });
    timeline.mark('request in the server', await inFlight(server, '/slow', sent));
    timeline.mark(signal);
    server.signal(signal);
    // Only while the server still serves /slow: once that ends, a server may exit, and a
    // dead server refuses connections without having done anything right.
    const refusedAt = await refusedWhileServing(server, slowDone);
    const refusedAfterSignal = refusedAt !== undefined;
    timeline.mark(refusedAfterSignal ? 'new connection refused' : 'new connections still accepted', refusedAt);
    const slow = await slowDone;
    const slowEndedAt = performance.now();
    timeline.mark(answerStep('/slow', slow), slowSentAt + slow.totalMs);
    const exitWithinMs = scaled(EXIT_WITHIN_MS);
    const exit = await server.proc.waitForExit(exitWithinMs);
    const exitLagMs = exit ? Math.max(0, Math.round(server.proc.startedAt + exit.afterMs - slowEndedAt)) : undefined;
    if (exit) timeline.mark(exitStep(exit), server.proc.startedAt + exit.afterMs);
    else timeline.mark('still running (stopped waiting)');
    return { server, signal, slow, refusedAfterSignal, exit, exitWithinMs, exitLagMs, timeline };
  } finally {
    await idle.destroy().catch(() => {});
  }
}

/** How a request ended, as a timeline step: "/slow answered 200", "/slow cut before any response". */
export function answerStep(path: string, answer: Attempt): string {
  if (answer.complete) return `${path} answered ${answer.status}`;
  if (answer.problem?.timedOut) return `${path} still unanswered (stopped waiting)`;
  return answer.status === undefined ? `${path} cut before any response` : `${path} cut after status ${answer.status} and ${answer.bytes} bytes`;
}

/**
 * Waits until the server is demonstrably running the handler for `path` (the preload
 * reports the 'request' event from inside the server), and returns when it saw that
 * (performance.now(), for a timeline), after a short pause: a signal
 * sent earlier races the request parser. On Node 26, close() then closes the connection
 * that has not delivered its request yet (a correct server "fails"); on 20-24 the request
 * is served after all (a server that exits at once can pass). Without that evidence the
 * check cannot judge the drain, so it says so instead of sending the signal blind.
 */
export async function inFlight(server: RunningServer, path: string, sent: string | readonly string[]): Promise<number> {
  const withinMs = scaled(5000);
  const reached = await server.waitForRequest(path, withinMs);
  const seenAt = performance.now();
  if (!reached) {
    if (server.exit) {
      fail({
        sent,
        expected: `the server to start handling GET ${path} (its 'request' event) before the signal is sent`,
        got: `the server process had ended before GET ${path} reached it, so no signal was sent`,
        means: 'the first error in the server output below is the cause',
        serverOutput: server.tail(),
      });
    }
    // The server is alive but the request never reached it in time: the check's timing
    // assumption did not hold (a starved machine, most likely). That is not a verdict on the
    // learner's drain, so it is an `error` (retried by a batch), never a failure.
    throw new InfraError(
      `GET ${path} did not reach the server's 'request' event within ${describeMs(withinMs)}, so no signal was sent and the drain could not be judged. This machine may be too busy: run the check again.`,
    );
  }
  // Lets the handler reach its first await (the timer); the connection is busy from the 'request' event on.
  await delay(50);
  return seenAt;
}

/**
 * The steps of a drain scenario as a learner would reproduce them. The start command is
 * the server's own ("SLOW_MS=800 PORT=3000 npx tsx server.ts" until main.ts exists).
 */
export function drainSteps(server: RunningServer, signalStep: string): string[] {
  return [server.commandLine, 'curl -i http://localhost:3000/slow', signalStep];
}

/** When a new connection was first refused (performance.now()); undefined if connections are still accepted after `withinMs`. */
/**
 * When a new connection was first refused while the server was still serving the slow
 * request (the evidence that close() ran), or undefined. Polls until the slow request
 * settles, the process exits or a bounded time passes: no fixed window, since on a busy
 * machine the signal handler may take a while to run. A refusal that came with the process
 * dying (an exit at once, which also cuts /slow) does not count; one just before a correct
 * server completes /slow and exits does.
 */
async function refusedWhileServing(server: RunningServer, slowDone: Promise<Attempt>): Promise<number | undefined> {
  const settled: { slow?: Attempt } = {};
  void slowDone.then((outcome) => (settled.slow = outcome));
  const deadline = performance.now() + scaled(SLOW_MS + 3000);
  while (settled.slow === undefined && !server.exit && performance.now() < deadline) {
    if (!(await accepts(server.host, server.port, 300))) {
      const refusedAt = performance.now();
      // Let an exit, and the cut it causes, be noticed before crediting the refusal.
      await delay(scaled(100));
      // (settled.slow may have been set meanwhile: TypeScript's narrowing from the loop test does not know.)
      const slow = settled.slow as Attempt | undefined;
      const died = server.exit !== undefined && slow?.complete !== true;
      return died ? undefined : refusedAt;
    }
    await delay(25);
  }
  return undefined;
}

export const ON_WINDOWS = process.platform === 'win32';
export const WINDOWS_NOTE = 'POSIX signals cannot be sent to a process on Windows; run this check on Linux or macOS';

