/**
 * Starts the learner's server the way they run it by hand, and waits until it is
 * ready: `node --import <tsx loader> <entry>` with a clean environment and a free
 * PORT, then polls the port until it accepts a connection.
 *
 * One process, not `tsx` (which runs the server as its child): signals and memory
 * measurements must reach the server itself. The loader path is resolved from this
 * package, because tsx is not installed in the learner's folder.
 *
 * The server runs under Node's permission model where this node has one (sandbox.ts): it
 * writes only in its own folder and a private temp folder. Every way of not becoming ready
 * is told apart and named, as fast as it can be known: a crash (with the refused write or
 * the memory ceiling, when that was the cause), a hard-coded port, an address the checks
 * cannot reach, a port opened by some other process than the server, and "still running,
 * nothing listening" after the deadline, which the rest of the run then remembers
 * (start-memo.ts) instead of waiting for it again.
 */
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { findEntry, runScratchDir, submission } from './context.ts';
import { codeFrame, learnerLocation } from './code-frame.ts';
import { CheckFailure, fail, formatFailure, InfraError, ServerStartFailure, type FailureReport } from './failures.ts';
import { describeExit } from './http.ts';
import { lastRequest, requestCount } from './last-request.ts';
import { describeMs, scaled } from './pace.ts';
import { ChildHandle, describeMemoryStop, launch, stopAll, type ExitInfo } from './processes.ts';
import { cleanEnv } from './clean-env.ts';
import { describeDenied, findDenied, sandboxFor, serverTmpDir } from './sandbox.ts';
import { recallNeverListened, rememberNeverListened } from './start-memo.ts';

declare module '@vitest/runner' {
  interface TaskMeta {
    /** Tail of the output of the servers a failed check started (CheckResult.output). */
    serverOutput?: string;
  }
}

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const PRELOAD = new URL('./server-preload.mjs', import.meta.url).href;

/**
 * Start-up is ~0.2-0.5 s alone, ~1.5 s with four check workers starting servers at once on
 * two cores; the slack covers a cold tsx cache. Stretched by the measured pace (pace.ts), but
 * never past START_AT_MOST_MS: a check (60 s) must still have time for its requests.
 */
const DEFAULT_START_WITHIN_MS = 10_000;
const START_AT_MOST_MS = 30_000;
/** A server that opens a second port (an admin port, say) gets this long to open ours too. */
const OTHER_PORT_GRACE_MS = 1000;
/**
 * Our port accepts but our process never reported listening (a child of it listens):
 * this long after the first accepted probe. The report travels over IPC and normally
 * arrives within milliseconds of the listen; the slack is for a busy machine.
 */
const FOREIGN_LISTENER_GRACE_MS = 2000;
/** How often the port is probed while the server has not reported listening. */
const PROBE_UNREPORTED_EVERY_MS = 250;

export interface StartOptions {
  /** Extra environment (PORT is always set). */
  readonly env?: Readonly<Record<string, string>>;
  /** Absolute path of the file to run; defaults to the phase's entry in the submission. */
  readonly entry?: string;
  readonly startWithinMs?: number;
}

/** A writeHead()/write()/end() on a response that had already ended or lost its client (via the preload). */
export interface LateWrite {
  readonly method: string;
  readonly url: string;
  readonly call: 'writeHead' | 'write' | 'end';
  /** "after end()" or "after the connection closed". */
  readonly state: string;
  /** Up to three frames from the learner's files, innermost first. */
  readonly where: string;
}

export class RunningServer {
  /** Every port the process reported listening on (via the preload). */
  readonly listenedPorts: { port: number; address: string }[] = [];
  /** Requests the server has started handling, in order (via the preload). */
  readonly receivedRequests: { method: string; url: string }[] = [];
  /**
   * Writes to responses that had already ended or whose client had left (via the
   * preload): Node drops most of them silently, so this is the only way to see them.
   */
  readonly lateWrites: LateWrite[] = [];
  private readonly requestListeners = new Set<() => void>();
  private rssRequests = 0;
  private readonly rssWaiters = new Map<number, (kb: number) => void>();
  host = '127.0.0.1';

  constructor(
    readonly proc: ChildHandle,
    readonly port: number,
    /** How to run it by hand, for failure messages: "PORT=3000 npx tsx main.ts". */
    readonly commandLine: string,
    readonly entryName: string,
  ) {
    proc.child.on('message', (message: unknown) => this.onMessage(message));
  }

  get origin(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  get pid(): number {
    return this.proc.pid;
  }

  get exit(): ExitInfo | undefined {
    return this.proc.exit;
  }

  /** The learner's phase folder this server was started from (where it may write). */
  folder = '';

  tail(lines = 15): string {
    return this.withoutPreloadFrames(this.proc.tail(lines));
  }

  signal(signal: NodeJS.Signals): void {
    this.proc.signal(signal);
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }

  /**
   * The output without traces of the harness's own preload (server-preload.mjs): its stack
   * frames, and the "file:line / source line / caret" header Node prints above an uncaught
   * error when the preload's wrapper is where it was rethrown. The learner's frames stay.
   */
  private withoutPreloadFrames(text: string): string {
    const lines = text.split('\n');
    const kept: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (/^\s*at .*server-preload\.mjs/.test(line)) continue;
      if (/server-preload\.mjs:\d+$/.test(line.trim())) {
        // The source line and the caret under it; then the blank line before the error.
        if (/^\s*\^+\s*$/.test(lines[i + 2] ?? '')) i += 2;
        if ((lines[i + 1] ?? '').trim() === '') i += 1;
        continue;
      }
      kept.push(line);
    }
    return kept.join('\n');
  }

  /**
   * Peak resident memory of the server process so far, in bytes (getrusage maxRSS,
   * reported by the preload). Linux /proc VmHWM is the fallback if IPC fails.
   */
  async peakRssBytes(): Promise<number> {
    const id = ++this.rssRequests;
    const viaIpc = new Promise<number>((resolve) => this.rssWaiters.set(id, resolve));
    try {
      this.proc.child.send({ type: 'learn-node-http:peak-rss?', id });
      const kb = await Promise.race([viaIpc, delay(scaled(2000)).then(() => undefined)]);
      if (kb !== undefined) return kb * 1024;
    } catch {
      // fall through to /proc
    } finally {
      this.rssWaiters.delete(id);
    }
    const fromProc = await procPeakRssBytes(this.pid);
    if (fromProc !== undefined) return fromProc;
    if (this.exit) {
      fail({
        expected: 'the server to keep running while the check measures its memory',
        got: `the server process ${this.exit.stoppedBecause ?? (this.exit.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit.code}`)}`,
        means: 'it crashed (often when a client hung up mid-download and the stream error went unhandled): the first error in its output is the cause',
        serverOutput: this.tail(),
      });
    }
    throw new InfraError(`Could not read the server's peak memory (pid ${this.pid}): no IPC answer and no /proc.`);
  }

  /**
   * Resolves true once the server has started handling a request for `path` (its
   * request listener is running), false after `withinMs`.
   */
  waitForRequest(path: string, withinMs: number): Promise<boolean> {
    const seen = () => this.receivedRequests.some((r) => r.url === path || r.url.startsWith(`${path}?`));
    if (seen()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (found: boolean) => {
        clearTimeout(timer);
        this.requestListeners.delete(check);
        resolve(found);
      };
      const check = () => seen() && done(true);
      const timer = setTimeout(() => done(seen()), withinMs);
      this.requestListeners.add(check);
    });
  }

  private onMessage(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as { type?: string; id?: number; maxRssKb?: number; port?: number; address?: string };
    if (m.type === 'learn-node-http:peak-rss' && typeof m.id === 'number' && typeof m.maxRssKb === 'number') {
      this.rssWaiters.get(m.id)?.(m.maxRssKb);
    } else if (m.type === 'learn-node-http:request') {
      const r = message as { method?: unknown; url?: unknown };
      this.receivedRequests.push({ method: String(r.method), url: String(r.url) });
      for (const listener of this.requestListeners) listener();
    } else if (m.type === 'learn-node-http:late-write') {
      const w = message as Partial<Record<keyof LateWrite, unknown>>;
      const call = w.call === 'writeHead' || w.call === 'write' ? w.call : 'end';
      this.lateWrites.push({ method: String(w.method), url: String(w.url), call, state: String(w.state), where: String(w.where) });
    } else if (m.type === 'learn-node-http:listening' && typeof m.port === 'number') {
      this.listenedPorts.push({ port: m.port, address: m.address ?? '' });
      // A server bound to ::1 only (listen(port, 'localhost') on some systems) is reached there.
      if (m.port === this.port && m.address === '::1' && !this.reachablePorts().some((p) => p.address !== '::1')) this.host = '::1';
    }
  }

  /** Reported listens on our port at an address the checks connect to (loopback or every interface). */
  reachablePorts(): { port: number; address: string }[] {
    return this.listenedPorts.filter((p) => p.port === this.port && REACHABLE_ADDRESSES.has(p.address));
  }
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
export function useServers(): (options?: StartOptions) => Promise<RunningServer> {
  const started: RunningServer[] = [];
  /** Requests each server had seen when the current check began: a check "used" a server if this grew. */
  let usedBefore = new Map<RunningServer, number>();
  const used = (server: RunningServer) => requestCount(server.proc) + server.receivedRequests.length;
  afterAll(() => stopAll(started.map((server) => server.proc)));
  beforeEach(() => {
    usedBefore = new Map(started.map((server) => [server, used(server)]));
  });
  afterEach(async ({ task }) => {
    let died: CheckFailure | undefined;
    try {
      if (task.result?.state !== 'fail') {
        for (const server of started) {
          if (used(server) === (usedBefore.get(server) ?? 0)) continue;
          died = await confirmAlive(server);
          if (died) break;
        }
      }
    } finally {
      // Reports show the server's own output next to a failed check.
      const failed = died !== undefined || task.result?.state === 'fail';
      const tails = failed ? started.map((server) => server.tail(40)).filter((tail) => tail !== '') : [];
      if (tails.length > 0) task.meta.serverOutput = tails.join('\n---\n');
    }
    if (died) throw died;
  });
  return (options) => startServer(options, (server) => started.push(server));
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
 * Undefined while `server` is alive; a CheckFailure naming the last request the check sent
 * if the process has died although the check passed and nothing stopped it on purpose.
 * One follow-up connection: any bytes back, a quiet close, or no answer within the (paced)
 * deadline from a process that has not exited, all count as alive.
 */
export async function confirmAlive(server: RunningServer): Promise<CheckFailure | undefined> {
  const deadOnPurpose = () => server.proc.endedOnPurpose !== undefined || server.proc.memoryExceeded !== undefined;
  if (deadOnPurpose()) return undefined;
  if (!server.exit) {
    await new Promise<void>((resolve) => {
      const socket = net.connect({ host: server.host, port: server.port });
      const done = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      };
      const timer = setTimeout(done, scaled(ALIVE_PROBE_WITHIN_MS));
      socket.once('connect', () => socket.write(ALIVE_PROBE_BYTES));
      socket.once('data', done);
      socket.once('close', done);
      socket.once('error', done);
    });
  }
  // A refused or reset connection is explained by an exit that may take a moment to report.
  const exit = server.exit ?? (await server.proc.waitForExit(scaled(100)));
  if (!exit || deadOnPurpose()) return undefined;
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
  return new CheckFailure(formatFailure(report, currentGroupOf()), report);
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

/** The check group (describe block) of the check now running, for the lesson pointer. */
function currentGroupOf(): string | undefined {
  return expect.getState().currentTestName?.split(' > ')[0];
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
  const withinMs = options.startWithinMs ?? scaled(DEFAULT_START_WITHIN_MS, { atMostMs: START_AT_MOST_MS });
  const known = recallNeverListened(entry, withinMs);
  if (known) {
    failToStart(
      {
        sent: commandLineFor(entry, options),
        expected: `${path.basename(entry)} to start and accept connections on the port given in PORT`,
        got: `${known.got} (found by an earlier check in this run; not waiting again)`,
        means: known.means,
        serverOutput: known.serverOutput,
      },
      known.serverOutput,
      sub.dir,
    );
  }
  // Two workers can be handed the same free port in the same instant: retry once on EADDRINUSE.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = spawnServer(entry, port, options, sub.dir);
    track?.(server);
    const problem = await waitUntilListening(server, withinMs);
    if (!problem) return server;
    // Quote the output before stop(): a stop by SIGKILL adds nothing worth reading.
    const serverOutput = server.tail(20);
    await server.stop();
    if (problem.retry && attempt < 3) continue;
    if (problem.neverListened) rememberNeverListened(entry, { got: problem.got, means: problem.means, withinMs, serverOutput });
    failToStart(
      {
        sent: server.commandLine,
        expected: `${server.entryName} to start and accept connections on the port given in PORT`,
        got: problem.got,
        means: problem.means,
        serverOutput,
      },
      server.proc.output,
      sub.dir,
    );
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
  throw new ServerStartFailure(formatFailure(shown, currentGroupOf(), { pointAtLesson: false }), shown);
}

/**
 * Stack frames inside node_modules (esbuild's, for a syntax error) and Node's own internals
 * say nothing the learner can change: each run of them becomes one line saying how many.
 */
export function withoutDependencyFrames(output: string): string {
  const kept: string[] = [];
  let hidden = 0;
  const flush = (): void => {
    if (hidden > 0) kept.push(`    … ${hidden} frame${hidden === 1 ? '' : 's'} inside node_modules or Node itself`);
    hidden = 0;
  };
  for (const line of output.split('\n')) {
    if (/^\s+at .*(?:[\\/]node_modules[\\/]|\(node:|\bnode:internal)/.test(line)) {
      hidden++;
      continue;
    }
    flush();
    kept.push(line);
  }
  flush();
  return kept.join('\n');
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

function spawnServer(entry: string, port: number, options: StartOptions, cwd: string): RunningServer {
  const sandbox = sandboxFor(cwd, serverTmpDir(runScratchDir()));
  const extra = { ...sandbox?.env, ...options.env, PORT: String(port) };
  const handle = launch(['--import', TSX_LOADER, '--import', PRELOAD, entry], {
    cwd,
    env: cleanEnv(extra),
    ipc: true,
    nodeFlags: sandbox?.nodeFlags ?? [],
  });
  const server = new RunningServer(handle, port, commandLineFor(entry, options), path.basename(entry));
  server.folder = cwd;
  // A refused write is explained in every failure that quotes this server's output.
  handle.addNoteSource(() => {
    const denied = findDenied(handle.output);
    return denied ? capitalise(describeDenied(denied, cwd)) : undefined;
  });
  return server;
}

/** Addresses a connection to 127.0.0.1 (or [::1]) reaches: loopback, or every interface. */
const REACHABLE_ADDRESSES = new Set(['127.0.0.1', '::1', '0.0.0.0', '::', '::ffff:127.0.0.1', '']);

interface StartProblem {
  readonly got: string;
  readonly means: string;
  readonly retry?: boolean;
  /** Alive, but nothing listened by the deadline: the run remembers it (start-memo.ts). */
  readonly neverListened?: boolean;
}

async function waitUntilListening(server: RunningServer, withinMs: number): Promise<StartProblem | undefined> {
  const started = performance.now();
  // The graces are for a busy machine: they stretch with it.
  const otherPortGraceMs = scaled(OTHER_PORT_GRACE_MS);
  const foreignListenerGraceMs = scaled(FOREIGN_LISTENER_GRACE_MS);
  let wrongPortSince: number | undefined;
  let unreachableSince: number | undefined;
  let foreignSince: number | undefined;
  let lastProbeAt = 0;
  while (performance.now() - started < withinMs) {
    // Ready only when OUR process says it listens on the port (the preload reports it) AND
    // the port accepts: between freePort() and listen() another process can take the port,
    // and a check must never talk to somebody else's server while ours dies of EADDRINUSE.
    const ours = server.reachablePorts().length > 0;
    if (ours && (await accepts(server.host, server.port))) return undefined;
    const exit = server.exit;
    if (exit) return describeEarlyExit(server, exit);
    const now = performance.now();
    const elsewhere = server.listenedPorts.find((p) => p.port !== server.port);
    if (elsewhere && !ours) {
      wrongPortSince ??= now;
      // Give a server that opens a second port (an admin port, say) a moment to open ours too.
      if (now - wrongPortSince > otherPortGraceMs) {
        return {
          got: `it listens on port ${elsewhere.port}${hostPart(elsewhere.address)}, but the checks started it with PORT=${server.port}`,
          means: 'the port is hard-coded; read it from the environment: Number(process.env.PORT ?? 3000)',
        };
      }
    }
    const unreachable = server.listenedPorts.find((p) => p.port === server.port && !REACHABLE_ADDRESSES.has(p.address));
    if (unreachable && !ours) {
      unreachableSince ??= now;
      // The same moment of grace: it may be opening loopback too.
      if (now - unreachableSince > otherPortGraceMs) {
        return {
          got: `it listens on ${formatAddress(unreachable.address, server.port)} only, an address the checks cannot reach: they connect to 127.0.0.1:${server.port} (localhost), like curl http://localhost:${server.port} does`,
          means: `a host was passed to listen(): call server.listen(port) without one (every interface), or with 'localhost' or '127.0.0.1'`,
        };
      }
    }
    if (server.listenedPorts.length === 0 && now - lastProbeAt >= PROBE_UNREPORTED_EVERY_MS) {
      // Something accepts on our port although our process never called listen() on it:
      // a child process of the server listens (or a stranger took the port; then our
      // server would die of EADDRINUSE if it tried, and we retry).
      lastProbeAt = now;
      if (await accepts('127.0.0.1', server.port, scaled(200))) foreignSince ??= now;
      if (foreignSince !== undefined && now - foreignSince > foreignListenerGraceMs) {
        return {
          got: `port ${server.port} accepts connections, but the process the checks started never listened on it (no listen() in that process): another process does, most likely one that ${server.entryName} started`,
          means: 'the checks talk to the server they started, and stop it between checks: call server.listen(port) in the process itself, not in a child process or a cluster worker',
        };
      }
    }
    await delay(20);
  }
  return {
    got: `nothing accepted a connection on port ${server.port} within ${describeMs(withinMs)}, and the process is still running`,
    means: 'listen() is never called, or only after something that never finishes (an await that does not resolve, or a loop that never ends at the top level)',
    neverListened: server.listenedPorts.length === 0 && foreignSince === undefined,
  };
}

function hostPart(address: string): string {
  return REACHABLE_ADDRESSES.has(address) ? '' : ` (on ${address})`;
}

function formatAddress(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function describeEarlyExit(server: RunningServer, exit: ExitInfo): StartProblem {
  const how = exit.stoppedBecause ?? (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`);
  if (server.proc.memoryExceeded) {
    return {
      got: `the process ${how}, before accepting any connection`,
      means: `${describeMemoryStop(server.proc.memoryExceeded)}: something allocates without bound while starting (a loop that keeps filling an array or a Buffer)`,
    };
  }
  const output = server.proc.output;
  const denied = findDenied(output);
  if (denied) {
    return {
      got: `the process ${how} after ${exit.afterMs} ms, before accepting any connection`,
      means: describeDenied(denied, server.folder),
    };
  }
  if (exit.code === 0 && !exit.signal) {
    return {
      got: `the process ended on its own (exit code 0) after ${exit.afterMs} ms, before accepting any connection`,
      means: 'nothing keeps it running: listen() is never called, or the code exits (process.exit) or closes the server right after starting',
    };
  }
  if (/EADDRINUSE/.test(output)) {
    const taken = Number(/port: (\d+)/.exec(output)?.[1] ?? /:(\d+)\s*$/m.exec(output)?.[1] ?? Number.NaN);
    if (taken === server.port || Number.isNaN(taken)) {
      return { got: `port ${server.port} was taken`, means: 'another process grabbed the port', retry: true };
    }
    return {
      got: `it tried to listen on port ${taken} (already in use) although the checks started it with PORT=${server.port}`,
      means: 'the port is hard-coded; read it from the environment: Number(process.env.PORT ?? 3000)',
    };
  }
  return {
    got: `the process ${how} after ${exit.afterMs} ms, before accepting any connection`,
    means: 'it crashed while starting: the first error in the output below says why (a syntax error, an import of a missing file, an exception at the top level)',
  };
}

/** A port the OS just handed out, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new InfraError('no free port'))));
    });
  });
}

/** One connection attempt: true if something accepted it. */
export function accepts(host: string, port: number, withinMs = scaled(500)): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), withinMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function procPeakRssBytes(pid: number): Promise<number | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const { readFile } = await import('node:fs/promises');
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
