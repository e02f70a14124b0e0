/**
 * A raw HTTP/1.1 client over `node:net`, for input a well-behaved client will not
 * produce: a body cut short, a content-length that lies, a chunked upload trickled in
 * slowly, an upload abandoned half-way, two requests pipelined on one connection, a
 * request line that is not HTTP at all. Checks import all of it from here; this file connects:
 *
 *   const conn = await openRaw(server, { lifetimeMs? })   a refused connection fails the check, saying why
 *   await withRaw(server, async (conn) => { ... })         the same, and the socket is destroyed after: prefer it
 *
 * The rest lives where its job is:
 *   raw-connection.ts   the connection: write, pump, halfClose, reset; wait for headers, a response or
 *                       the close (with deadlines, never throwing); what came back, timed, in words
 *   response-parser.ts  framing the bytes that come back into responses (RawResponse)
 *   slow-upload.ts      conn.pump(): an upload sent piece by piece, and why it stopped
 *   request-bytes.ts    rawRequest, chunk, LAST_CHUNK; ncLine for the failure message
 */
import net from 'node:net';
import { fail } from '../_harness/failures.ts';
import { describeMs, scaled } from '../_harness/pace.ts';
import type { ChildHandle } from '../_process/processes.ts';
import { describeExit } from './http.ts';
import { noteRequest } from './last-request.ts';
import { RawConnection } from './raw-connection.ts';
import { ncLine } from './request-bytes.ts';

export type { RawResponse } from './response-parser.ts';
export { chunk, LAST_CHUNK, ncLine, rawRequest } from './request-bytes.ts';

export interface RawTarget {
  readonly origin: string;
  /** When present, a refused connection is explained by the process's exit. */
  readonly proc?: ChildHandle;
  tail?(lines?: number): string;
}

export interface RawOptions {
  /** Safety net: the socket is destroyed this long after opening, whatever happens. */
  readonly lifetimeMs?: number;
}

/** Quiet-machine connect deadline, stretched by the measured pace (pace.ts). */
const CONNECT_WITHIN_MS = 3000;
/** After a refused connection: how long to wait for the process's exit before calling it alive. */
const EXIT_AFTER_FAILURE_MS = 300;
const DEFAULT_LIFETIME_MS = 60_000;

/** Connects, or fails the check explaining why the server could not be reached. */
export async function openRaw(target: RawTarget, options: RawOptions = {}): Promise<RawConnection> {
  const startedAt = performance.now();
  const url = new URL(target.origin);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port);
  const withinMs = scaled(CONNECT_WITHIN_MS);
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  const problem = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(`no TCP connection within ${describeMs(withinMs)}`), withinMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ECONNREFUSED' ? 'connection refused: nothing was listening on the port' : `could not connect (${error.code ?? error.message})`);
    });
  });
  if (problem) {
    socket.destroy();
    const exit = target.proc?.exit ?? (await target.proc?.waitForExit(scaled(EXIT_AFTER_FAILURE_MS)));
    fail({
      expected: `the server to accept a TCP connection on port ${port}`,
      got: exit ? `${problem}; the server process ${describeExit(exit)}` : problem,
      means: exit
        ? 'an earlier request crashed the server: the first error in its output is the cause'
        : 'the server is not listening any more, or is too busy to accept connections',
      serverOutput: target.tail?.(),
    });
  }
  const proc = target.proc;
  const onFirstWrite = proc ? (data: string | Buffer) => noteRequest(proc, ncLine(data)) : undefined;
  return new RawConnection(socket, startedAt, options.lifetimeMs ?? DEFAULT_LIFETIME_MS, onFirstWrite);
}

/** Opens a connection, runs `use`, and always destroys the socket afterwards. */
export async function withRaw<T>(target: RawTarget, use: (conn: RawConnection) => Promise<T>, options: RawOptions = {}): Promise<T> {
  const conn = await openRaw(target, options);
  try {
    return await use(conn);
  } finally {
    conn.destroy();
  }
}
