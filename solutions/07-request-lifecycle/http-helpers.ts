/**
 * Request and response plumbing shared by every handler. It knows HTTP, JSON and the
 * life of a connection, and nothing about messages or the store.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

/** The one place the body limit lives, so the early check and the streaming check agree. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** An error that already knows its HTTP status; the error boundary turns it into a response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string = STATUS_CODES[status] ?? 'Error',
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204) {
    // 204 means "no content": no body, so nothing to describe either (phase 05).
    res.writeHead(204);
    res.end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    // Bytes, not characters: "é" is one character and two bytes.
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, status: number, message = STATUS_CODES[status] ?? 'Error'): void {
  if (status === 413) {
    // The rest of an oversized upload is still on the wire; closing is cheaper than reading it.
    res.setHeader('connection', 'close');
  }
  sendJson(res, status, { error: message });
}

function isJsonMediaType(header: string | undefined): boolean {
  // "application/json; charset=utf-8" is JSON too: compare the media type, not the whole header.
  return header?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Reads the body as a JSON object, enforcing the media type, the size limit and UTF-8. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!isJsonMediaType(req.headers['content-type'])) {
    throw new HttpError(415, 'expected content-type application/json');
  }
  const declared = Number(req.headers['content-length']);
  if (declared > BODY_LIMIT_BYTES) {
    throw new HttpError(413, `body larger than ${BODY_LIMIT_BYTES} bytes`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      // Count inside the loop: a chunked upload declares no length and could be endless.
      if (received > BODY_LIMIT_BYTES) {
        throw new HttpError(413, `body larger than ${BODY_LIMIT_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // The client left mid-body (the read rejects with "aborted"): its mistake, not our bug
    // (phase 02). Nobody will read this 400; the boundary sees the client is gone and stays quiet.
    throw new HttpError(400, 'request body was cut off');
  }
  // A body can also just stop short; complete says whether everything announced arrived.
  if (!req.complete) throw new HttpError(400, 'request body was cut off');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * A path as RFC 9112 allows it in a request target: "/" followed by segments of
 * unreserved characters, sub-delims, ":", "@" and percent-escapes. Node's parser is more
 * lenient (it hands over "//[" as it came), so this is where a malformed target stops.
 */
const ORIGIN_FORM_PATH = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)+$/;

/**
 * The request target, parsed once, as a URL whose pathname is exactly the path the client
 * sent. Two traps in the usual `new URL(req.url, base)`: a target starting with "//" is
 * read as a host ("//inspect/x" gives the path "/x"), and "//[" makes it throw. So
 * origin-form ("/path?query") is glued to a fixed origin instead, absolute-form
 * ("http://host/path", what a proxy is sent) is routed on its own path, and anything else
 * ("*", "host:443", a path with characters a path cannot have) is the client's mistake: 400.
 */
export function requestTarget(req: IncomingMessage): URL {
  const raw = req.url ?? '/';
  let url: URL | undefined;
  try {
    if (raw.startsWith('/')) url = new URL(`http://localhost${raw}`);
    else if (/^https?:\/\//i.test(raw)) url = new URL(raw);
  } catch {
    url = undefined;
  }
  const path = raw.startsWith('/') ? raw.split('?')[0] ?? '' : url?.pathname ?? '';
  if (!url || !ORIGIN_FORM_PATH.test(path)) throw new HttpError(400, 'malformed request target');
  return url;
}

/**
 * Why a request's work was cancelled because nobody is listening any more. A named
 * class lets the error boundary tell "the client left" (nothing to answer, nothing
 * to log as a failure) from a real bug.
 */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client closed the connection before the response was finished');
  }
}

/**
 * A signal that aborts when the client goes away before its response has finished:
 * pass it to every slow thing the handler waits on, so that work stops with the client.
 *
 * Built from the response on purpose, the same way on every Node line: `close` with
 * `writableFinished` still false means the connection went away first. Newer Node has
 * `req.signal`, but not Node 20 or 22, and early releases with it aborted it as soon as
 * a body had been read (nodejs/node#64390), which would cancel every POST. (Not `req`'s
 * close either: that fires once a request body has simply been read to the end.)
 */
export function clientGoneSignal(_req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const abortIfUnfinished = (): void => {
    if (!res.writableFinished) controller.abort(new ClientGoneError());
  };
  // The client may already be gone by the time a handler asks.
  if (res.destroyed) abortIfUnfinished();
  else res.once('close', abortIfUnfinished);
  return controller.signal;
}

/** True when the response can no longer reach anyone: the connection closed first. */
export function clientIsGone(res: ServerResponse): boolean {
  return res.destroyed && !res.writableFinished;
}

export type Outcome = 'completed' | 'abandoned';

const requestCounts: Record<Outcome, number> = { completed: 0, abandoned: 0 };

/** Every request is counted exactly once, when its response closes. */
export function countOutcome(outcome: Outcome): void {
  requestCounts[outcome] += 1;
}

export function readRequestCounts(): Readonly<Record<Outcome, number>> {
  return { ...requestCounts };
}

/**
 * Calls `settled` once per request, when its response closes: 'completed' if the whole
 * response was handed to the operating system, 'abandoned' if the connection closed
 * first (the client left, or the server cut it). 'close' is the one event that fires
 * in both cases; 'finish' alone never hears about the clients that left.
 */
export function onSettled(res: ServerResponse, settled: (outcome: Outcome) => void): void {
  res.once('close', () => settled(res.writableFinished ? 'completed' : 'abandoned'));
}
