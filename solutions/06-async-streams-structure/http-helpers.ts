/**
 * Request and response plumbing shared by every handler. It knows HTTP and JSON,
 * and nothing about messages or the store.
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
    // "No Content": no body, not even "null", so nothing to describe either (phase 05).
    res.writeHead(204).end();
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

/** Characters RFC 3986 allows in a path: anything else (a "[" say) is a malformed target. */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * The path of the request target, read as a path and never as a URL relative to a base:
 * `new URL("//inspect/x", base)` would take "inspect" for a host and throws on "//[".
 * An absolute-form target ("http://host/messages", as sent to a proxy) is routed on its
 * path; anything else that is not a plain path is the client's mistake, a 400.
 */
export function requestPath(target: string): string {
  if (/^https?:\/\//i.test(target)) {
    try {
      return new URL(target).pathname;
    } catch {
      throw new HttpError(400, 'malformed request target');
    }
  }
  const path = target.split('?', 1)[0] ?? '';
  if (!path.startsWith('/') || !PATH_CHARACTERS.test(path)) {
    throw new HttpError(400, 'malformed request target');
  }
  return path;
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
    // The client left mid-body ("aborted", phase 02): its mistake, not a server failure.
    throw new HttpError(400, 'request body was cut off');
  }
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
