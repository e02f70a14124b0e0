/**
 * Starts the learner's server the way they run it by hand, and waits until it is ready:
 * their entry file (compiled once for the run where that changes nothing, compile-once.ts;
 * else under the tsx loader) and the harness's preload (spawn-learner.ts), with
 * a free PORT, until it listens on that port and the port accepts a connection
 * (server-ready.ts names every way it does not).
 *
 * This is what check files import: useServers() for the servers a check file starts (each
 * stopped in its afterAll, each asked after a passing check whether it is still alive:
 * confirmAlive), and startServer() for a server started by hand (benchmarks, tests).
 *
 * A server that is still running with nothing listening after the deadline is remembered
 * for the rest of the run (start-memo.ts) instead of being waited for again.
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { describeExit } from '../_client/http.ts';
import { lastRequest, requestCount } from '../_client/last-request.ts';
import { compiledEntry } from '../_process/compile-once.ts';
import { stopAll } from '../_process/processes.ts';
import { spawnLearner, startWithinMs } from '../_process/spawn-learner.ts';
import { codeFrame, learnerLocation, withoutDependencyFrames } from './code-frame.ts';
import { findEntry, submission } from './context.ts';
import { CheckFailure, fail, formatFailure, ServerStartFailure, type FailureReport } from './failures.ts';
import { scaled } from './pace.ts';
import { freePort } from './ports.ts';
import { RunningServer } from './running-server.ts';
import { waitUntilListening } from './server-ready.ts';
import { recallNeverListened, rememberNeverListened } from './start-memo.ts';

export { RunningServer, type LateWrite } from './running-server.ts';

declare module '@vitest/runner' {
  interface TaskMeta {
    /** Tail of the output of the servers a failed check started (CheckResult.output). */
    serverOutput?: string;
  }
}

const PRELOAD = new URL('./server-preload.mjs', import.meta.url).href;

export interface StartOptions {
  /** Extra environment (PORT is always set). */
  readonly env?: Readonly<Record<string, string>>;
  /** Absolute path of the file to run; defaults to the phase's entry in the submission. */
  readonly entry?: string;
  readonly startWithinMs?: number;
}

/** How a check file's servers are handed out (useServers). */
export interface UseServersOptions {
  /**
   * For a file whose checks only read (they change no state and signal or stop nothing): a
   * check's start() without options hands back the server the check before it used, when
   * that check passed and the server answered the alive probe after it. After a failure, or
   * a probe with no answer, the next check starts its own server, so a server seen failing
   * or dying is never handed on. A server that changes with every request it handles can
   * still answer the later check differently (the hostile fixture crash-on-second-request
   * does). Saves one server start per check.
   */
  readonly reuseAfterPass?: boolean;
}

/**
 * Registers an afterAll in the calling check file that stops every server it started,
 * and returns the start function to use in that file.
 *
 * After each check that passed, every server the check sent a request to is asked once
 * more whether it is alive (confirmAlive): a route that answers correctly and then crashes
 * (the classic missing `return` after sending) fails its own check, not whichever check
 * happens to run next. A server the checks signalled or stopped on purpose is not asked.
 */
export function useServers({ reuseAfterPass = false }: UseServersOptions = {}): (options?: StartOptions) => Promise<RunningServer> {
  const started: RunningServer[] = [];
  /** Requests each server had seen when the current check began: a check "used" a server if this grew. */
  let usedBefore = new Map<RunningServer, number>();
  const used = (server: RunningServer) => requestCount(server.proc) + server.receivedRequests.length;
  /** The server the current check got from start() without options. */
  let handedOut: RunningServer | undefined;
  /** With reuseAfterPass: the server the last check left healthy, for the next one. */
  let reusable: RunningServer | undefined;
  afterAll(() => stopAll(started.map((server) => server.proc)));
  beforeEach(() => {
    usedBefore = new Map(started.map((server) => [server, used(server)]));
    handedOut = undefined;
  });
  afterEach(async ({ task }) => {
    let died: CheckFailure | undefined;
    let healthy: RunningServer | undefined;
    try {
      if (task.result?.state !== 'fail') {
        for (const server of started) {
          if (used(server) === (usedBefore.get(server) ?? 0)) continue;
          const alive = await confirmAlive(server);
          died = alive.died;
          if (died) break;
          if (alive.answered && server === handedOut) healthy = server;
        }
      }
    } finally {
      reusable = reuseAfterPass && died === undefined ? healthy : undefined;
      // Reports show the server's own output next to a failed check.
      const failed = died !== undefined || task.result?.state === 'fail';
      const tails = failed ? started.map((server) => server.tail(40)).filter((tail) => tail !== '') : [];
      if (tails.length > 0) task.meta.serverOutput = tails.join('\n---\n');
    }
    if (died) throw died;
  });
  return async (options) => {
    const previous = reusable;
    if (options === undefined && previous && !previous.exit && previous.proc.endedOnPurpose === undefined) {
      handedOut = previous;
      return previous;
    }
    const server = await startServer(options, (s) => started.push(s));
    if (options === undefined) handedOut = server;
    return server;
  };
}

/** How long the alive probe waits for any answer; an alive but slow server is not this check's business. */
const ALIVE_PROBE_WITHIN_MS = 1000;
/**
 * Bytes Node's own HTTP parser refuses with "400 Bad Request" before any of the learner's
 * code runs: an answer proves the event loop still runs, and the request touches no route,
 * no counter, no log line of theirs (a normal GET would show up in a later check's /stats).
 */
const ALIVE_PROBE_BYTES = 'LEARN-NODE-HTTP-ALIVE? / HTTP/1.1\r\nHost: localhost\r\n\r\n';

/**
 * `died`: a CheckFailure naming the last request the check sent, if the process has died
 * although the check passed and nothing stopped it on purpose. One follow-up connection:
 * any bytes back, a quiet close, or no answer within the (paced) deadline from a process
 * that has not exited, all count as alive. `answered`: bytes came back, so the server still
 * served after this check (only such a server is handed to the next check, reuseAfterPass).
 */
async function confirmAlive(server: RunningServer): Promise<{ readonly died?: CheckFailure; readonly answered: boolean }> {
  const deadOnPurpose = () => server.proc.endedOnPurpose !== undefined || server.proc.memoryExceeded !== undefined;
  if (deadOnPurpose()) return { answered: false };
  let answered = false;
  if (!server.exit) {
    answered = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: server.host, port: server.port });
      const done = (gotBytes: boolean) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(gotBytes);
      };
      const timer = setTimeout(() => done(false), scaled(ALIVE_PROBE_WITHIN_MS));
      socket.once('connect', () => socket.write(ALIVE_PROBE_BYTES));
      socket.once('data', () => done(true));
      socket.once('close', () => done(false));
      socket.once('error', () => done(false));
    });
  }
  // Bytes back: the process was running after the check's last request was handled.
  if (answered && !server.exit) return { answered };
  // A refused or reset connection is explained by an exit that may take a moment to report.
  const exit = server.exit ?? (await server.proc.waitForExit(scaled(100)));
  if (!exit || deadOnPurpose()) return { answered: false };
  const sent = lastRequest(server.proc);
  const handled = server.receivedRequests.at(-1);
  const output = server.tail(30);
  const report = {
    sent: sent ?? (handled ? `curl -i 'http://localhost:3000${handled.url}' (method ${handled.method})` : server.commandLine),
    expected: 'the server to keep running after answering this check, ready for the next request',
    got: `every answer this check needed came back right, but then the server process ${describeExit(exit)}${handled ? ` (the last request it started handling: ${handled.method} ${handled.url})` : ''}; a follow-up request found nothing listening`,
    means: meansForDeathAfterAnswer(output),
    serverOutput: output,
  };
  return { died: new CheckFailure(formatFailure(report), report), answered: false };
}

function meansForDeathAfterAnswer(output: string): string {
  if (/ERR_HTTP_HEADERS_SENT/.test(output)) {
    return 'the handler answered and then kept running: a missing `return` after sending, so a second res.writeHead()/res.end() (or setHeader) threw ERR_HTTP_HEADERS_SENT and nothing caught it. Return right after the response is sent';
  }
  if (/ERR_STREAM_WRITE_AFTER_END/.test(output)) {
    return 'the handler answered and then kept writing: a res.write()/res.end() after res.end() raised ERR_STREAM_WRITE_AFTER_END and nothing handled it. Return right after the response is sent';
  }
  return 'the handler answered and then something it still ran threw with nothing to catch it (often a missing `return` after sending): the first error in the output below is the cause';
}

export async function startServer(options: StartOptions = {}, track?: (server: RunningServer) => void): Promise<RunningServer> {
  const sub = submission();
  const entry = options.entry ?? findEntry(sub);
  if (!entry) {
    fail({
      expected: `one of ${sub.entryCandidates.join(', ')} in ${sub.dir}`,
      got: 'none of these files exists, so there is no server to start',
      means: 'the phase folder is incomplete: the starter file was renamed, moved or deleted',
    });
  }
  const withinMs = options.startWithinMs ?? startWithinMs();
  const commandLine = commandLineFor(entry, options);
  const expected = `${path.basename(entry)} to start and accept connections on the port given in PORT`;
  const known = recallNeverListened(entry, withinMs);
  if (known) {
    const got = `${known.got} (found by an earlier check in this run; not waiting again)`;
    failToStart({ sent: commandLine, expected, got, means: known.means, serverOutput: known.serverOutput }, known.serverOutput, sub.dir);
  }
  const compiled = await compiledEntry(sub.dir, entry);
  // Two workers can be handed the same free port in the same instant: retry once on EADDRINUSE.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const proc = spawnLearner({
      folder: sub.dir,
      main: [compiled ?? entry],
      preload: [PRELOAD],
      env: { ...options.env, PORT: String(port) },
      ...(compiled === undefined ? {} : { compiledFrom: entry }),
    });
    const server = new RunningServer(proc, port, commandLine, path.basename(entry), sub.dir);
    track?.(server);
    const problem = await waitUntilListening(server, withinMs);
    if (!problem) return server;
    // Quote the output before stop(): a stop by SIGKILL adds nothing worth reading.
    const serverOutput = server.tail(20);
    await server.stop();
    if (problem.retry && attempt < 3) continue;
    if (problem.neverListened) rememberNeverListened(entry, { got: problem.got, means: problem.means, withinMs, serverOutput });
    failToStart({ sent: problem.sent ?? commandLine, expected, got: problem.got, means: problem.means, serverOutput }, proc.output, sub.dir);
  }
}

/**
 * The server never became ready: one cause behind every check of this run (see
 * ServerStartFailure). `output` (all the server printed) is searched for the place in the
 * learner's `folder` that went wrong, shown as a code frame.
 */
function failToStart(report: FailureReport, output: string, folder: string): never {
  const location = learnerLocation(output, folder);
  const where = location ? codeFrame(location, folder) : undefined;
  const shown: FailureReport = {
    ...report,
    ...(where ? { where } : {}),
    ...(report.serverOutput === undefined ? {} : { serverOutput: withoutDependencyFrames(report.serverOutput) }),
  };
  // The runner points at the output here, not at a lesson section: the error says what went wrong.
  throw new ServerStartFailure(formatFailure(shown), shown);
}

/**
 * "cd 01-raw-handler && PORT=3000 npx tsx server.ts": how to run it by hand, for failure
 * messages, from the workspace folder where the learner runs everything else.
 */
function commandLineFor(entry: string, options: StartOptions): string {
  const shownEnv = Object.entries({ ...options.env, PORT: '3000' })
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return `cd ${path.basename(path.dirname(entry))} && ${shownEnv} npx tsx ${path.basename(entry)}`;
}
