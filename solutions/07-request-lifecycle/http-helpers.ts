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
  // A 204 must not carry a body, not even "null".
  const payload = status === 204 ? '' : JSON.stringify(body);
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
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length;
    // Count inside the loop: a chunked upload declares no length and could be endless.
    if (received > BODY_LIMIT_BYTES) {
      throw new HttpError(413, `body larger than ${BODY_LIMIT_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
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
 * Node 24.21+ and 26 build one for us as `req.signal`. Node 20 and 22 do not, and
 * @types/node does not declare it, so feature-detect it and otherwise build the same
 * thing from the response: `close` with `writableFinished` still false means the
 * connection went away first. (Not `req`'s close: that also fires once a request
 * body has simply been read to the end.)
 */
export function clientGoneSignal(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const builtIn: unknown = (req as { signal?: unknown }).signal;
  if (builtIn instanceof AbortSignal) return builtIn;

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
