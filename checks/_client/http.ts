/**
 * Requests with deadlines that are precise and explained.
 *
 * undici's own headersTimeout/bodyTimeout tick on a coarse ~1 s timer, so deadlines
 * here are our own timers aborting the request. Every outcome is data (`attempt`):
 * a check decides what is a failure. `send` is the common case: a complete answer,
 * or a failure that says what was sent, what happened, and whether the server died.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { fail, InfraError } from '../_harness/failures.ts';
import { describeMs, MAX_FACTOR, paceFactor, scaled } from '../_harness/pace.ts';
import type { ChildHandle, ExitInfo } from '../_process/processes.ts';
import { curlLine, type RequestShape } from './curl.ts';
import { translateNetworkError } from './friendly-errors.ts';
import { noteRequest } from './last-request.ts';

/** Anything with an address and a process behind it: a started server, a module probe. */
export interface Target {
  readonly origin: string;
  readonly proc: ChildHandle;
  tail(lines?: number): string;
}

export interface AttemptOptions {
  readonly headersWithinMs?: number;
  /** Counted from the moment the headers arrived. */
  readonly bodyWithinMs?: number;
  /** Close the connection after this request (default true: requests stay independent). */
  readonly reset?: boolean;
  readonly dispatcher?: Dispatcher;
  /** Read nothing of the body for this long after the headers: a slow client. */
  readonly pauseBeforeBodyMs?: number;
  /** Keep the body bytes (default true). Off for big downloads: the hash is enough. */
  readonly keepBody?: boolean;
}

export interface Attempt {
  readonly request: RequestShape;
  readonly curl: string;
  /** True when a complete response arrived. */
  readonly complete: boolean;
  readonly status?: number;
  readonly headers?: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly bytes: number;
  readonly sha256: string;
  readonly headersAfterMs?: number;
  readonly totalMs: number;
  /** Set when the response did not complete: what happened, in words. */
  readonly problem?: {
    readonly stage: 'headers' | 'body';
    /** The deadline passed (a hang), as opposed to the connection failing. */
    readonly timedOut: boolean;
    readonly got: string;
    readonly means: string;
  };
  /** Set when the server process was found dead after a failed request. */
  readonly serverExit?: ExitInfo;
}

export interface Answer extends Attempt {
  readonly complete: true;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** Quiet-machine deadlines; stretched by the measured pace (pace.ts) when a check does not set its own. */
const DEFAULT_HEADERS_WITHIN_MS = 2000;
const DEFAULT_BODY_WITHIN_MS = 2000;
/** After a failed request: how long to wait for the process's exit before calling it alive. */
const EXIT_AFTER_FAILURE_MS = 1000;

export async function attempt(server: Target, shape: RequestShape, options: AttemptOptions = {}): Promise<Attempt> {
  const headersWithinMs = options.headersWithinMs ?? scaled(DEFAULT_HEADERS_WITHIN_MS);
  const bodyWithinMs = options.bodyWithinMs ?? scaled(DEFAULT_BODY_WITHIN_MS);
  const keepBody = options.keepBody ?? true;
  const controller = new AbortController();
  let stage: 'headers' | 'body' = 'headers';
  let timedOut = false;
  const arm = (ms: number) =>
    setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
  let timer = arm(headersWithinMs);

  const started = performance.now();
  const exitedBefore = server.proc.exit;
  noteRequest(server.proc, curlLine(shape));
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let bytes = 0;
  let status: number | undefined;
  let headers: IncomingHttpHeaders | undefined;
  let headersAfterMs: number | undefined;
  const result = (extra: Partial<Attempt> & { complete: boolean }): Attempt => ({
    request: shape,
    curl: curlLine(shape),
    status,
    headers,
    body: Buffer.concat(chunks),
    bytes,
    sha256: hash.digest('hex'),
    headersAfterMs,
    totalMs: Math.round(performance.now() - started),
    ...extra,
  });

  try {
    const response = await request(`${server.origin}${shape.path}`, {
      method: (shape.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: shape.headers,
      body: shape.body,
      signal: controller.signal,
      reset: options.reset ?? true,
      dispatcher: options.dispatcher,
    });
    status = response.statusCode;
    headers = response.headers as IncomingHttpHeaders;
    headersAfterMs = Math.round(performance.now() - started);
    stage = 'body';
    clearTimeout(timer);
    if (options.pauseBeforeBodyMs) {
      // Not reading lets TCP's window fill: a server that respects backpressure stops reading the file.
      await delay(options.pauseBeforeBodyMs);
    }
    timer = arm(bodyWithinMs);
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      hash.update(chunk);
      if (keepBody) chunks.push(chunk);
    }
    clearTimeout(timer);
    return result({ complete: true });
  } catch (error) {
    clearTimeout(timer);
    if (timedOut) {
      const got =
        stage === 'headers'
          ? `no response headers within ${describeMs(headersWithinMs)} (the connection stayed open, nothing came back)`
          : `status ${status} and ${bytes} bytes of body, then nothing more within ${describeMs(bodyWithinMs)}`;
      const means =
        stage === 'headers'
          ? 'the request hangs: some path through the handler never sends a response (often an awaited promise that rejected with nothing to catch it)'
          : 'the response was started but never ended';
      return result({ complete: false, problem: { stage, timedOut: true, got, means } });
    }
    const translated = translateNetworkError(error);
    if (exitedBefore) {
      return result({
        complete: false,
        problem: {
          stage,
          timedOut: false,
          got: `${translated.got}: the server process had already ${describeExit(exitedBefore)} before this request`,
          means: meansForExit(exitedBefore, 'an earlier request crashed it: the first error in its output (below) is the cause'),
        },
        serverExit: exitedBefore,
      });
    }
    // A dead server explains a cut connection better than the socket error does.
    const serverExit = await server.proc.waitForExit(scaled(EXIT_AFTER_FAILURE_MS));
    const got = serverExit
      ? `${translated.got}; the server process ${describeExit(serverExit)}`
      : stage === 'body'
        ? `status ${status} and ${bytes} bytes of body, then ${translated.got}`
        : translated.got;
    const means = serverExit
      ? meansForExit(serverExit, 'the server crashed while handling this request: the first error in its output (below) is the cause')
      : translated.means;
    return result({ complete: false, problem: { stage, timedOut: false, got, means }, serverExit });
  }
}

/** A complete response, or a failure naming what was expected. */
export async function send(
  server: Target,
  shape: RequestShape,
  expected: string,
  options: AttemptOptions = {},
): Promise<Answer> {
  const outcome = await attempt(server, shape, options);
  if (!outcome.complete) {
    if (outcome.problem?.timedOut && paceFactor() >= MAX_FACTOR) {
      // Starved past what stretching covers: a silence now says nothing about the server.
      // Not a verdict, so an `error` (a batch retries it), never a failure with teaching text.
      throw new InfraError(
        `${outcome.curl} got ${outcome.problem.got}, while this machine ran at least ${MAX_FACTOR}× slower than a quiet one: too busy to judge. Run the checks again when it is quieter.`,
      );
    }
    fail({
      sent: outcome.curl,
      expected,
      got: outcome.problem?.got ?? 'an incomplete response',
      means: outcome.problem?.means ?? '',
      serverOutput: server.tail(),
    });
  }
  return { ...outcome, text: outcome.body.toString('utf8') } as Answer;
}

/**
 * What a server's death usually means: the checks stopped it (its memory), it ended on its
 * own (exit code 0: nothing crashed, the program just finished), or else `crashed`.
 */
function meansForExit(exit: ExitInfo, crashed: string): string {
  if (exit.stoppedBecause) {
    return 'the checks stopped it because its memory kept growing: something allocates without bound (an array, a Buffer or a cache that only grows, or a loop that never ends)';
  }
  if (exit.code === 0 && !exit.signal) {
    return 'the server ended on its own with exit code 0, not a crash: something in the code calls process.exit(), or closes the server and lets the process end';
  }
  return crashed;
}

/** Follows "the server process …": "exited with code 1", or why the checks stopped it (its memory). */
export function describeExit(exit: ExitInfo): string {
  if (exit.stoppedBecause) return exit.stoppedBecause;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** JSON.parse that reports instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** "200 application/json, 41 bytes: {...}" — a response in one line, body shortened. */
export function summarize(answer: Attempt, maxBody = 160): string {
  const type = answer.headers?.['content-type'] ?? 'no content-type';
  const text = answer.body.toString('utf8');
  const cut = text.length > maxBody ? `${text.slice(0, maxBody)}…` : text;
  // On one line: a body's own newline would break the "Got:" line in two.
  const shown = cut.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return `status ${answer.status}, ${type}, ${answer.bytes} bytes${shown ? `: ${shown}` : ''}`;
}

export interface PausedRead<T> {
  readonly curl: string;
  readonly status?: number;
  readonly headers?: IncomingHttpHeaders;
  /** What `whilePaused` returned, if the headers arrived. */
  readonly measured?: T;
  readonly problem?: { readonly got: string; readonly means: string };
}

/**
 * A client that takes the headers and then reads nothing for `pauseMs`: the TCP window
 * fills and a server that respects backpressure stops reading its source. While still
 * paused, `whilePaused` runs (e.g. to sample the server's memory); then the request is
 * abandoned, the way a real client gives up.
 */
export async function pauseAfterHeaders<T>(
  server: Target,
  shape: RequestShape,
  options: { readonly pauseMs: number; readonly headersWithinMs: number; readonly whilePaused: () => Promise<T> },
): Promise<PausedRead<T>> {
  const curl = curlLine(shape);
  noteRequest(server.proc, curl);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.headersWithinMs);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(`${server.origin}${shape.path}`, {
      method: (shape.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: shape.headers,
      signal: controller.signal,
      reset: true,
    });
  } catch (error) {
    const timedOut = controller.signal.aborted;
    const translated = translateNetworkError(error);
    const exit = await server.proc.waitForExit(scaled(EXIT_AFTER_FAILURE_MS));
    return {
      curl,
      problem: timedOut
        ? { got: `no response headers within ${describeMs(options.headersWithinMs)}`, means: 'the request hangs before the response starts' }
        : { got: exit ? `${translated.got}; the server process ${describeExit(exit)}` : translated.got, means: translated.means },
    };
  } finally {
    clearTimeout(timer);
  }
  await delay(options.pauseMs);
  try {
    const measured = await options.whilePaused();
    return { curl, status: response.statusCode, headers: response.headers as IncomingHttpHeaders, measured };
  } finally {
    // Give up on the rest; swallow the abort error the body stream reports.
    response.body.on('error', () => {});
    response.body.destroy();
  }
}

/** The `error` string of a JSON error body ({"error": "..."}), or undefined if the body is not one. */
export function jsonErrorOf(answer: Attempt): string | undefined {
  const type = String(answer.headers?.['content-type'] ?? '');
  const json = parseJson(answer.body.toString('utf8'));
  if (!type.startsWith('application/json') || !json.ok || typeof json.value !== 'object' || json.value === null) return undefined;
  const error = (json.value as { error?: unknown }).error;
  return typeof error === 'string' ? error : undefined;
}
