/**
 * Phase 03 reference solution: the messages service behind a route table.
 * router.ts does the matching; this file holds the helpers from phase 02, the store,
 * the handlers, the table, and the one place a RouteMatch becomes a response.
 *
 * Run it by hand:  PORT=3000 npx tsx server.ts
 */
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRouter, type Handler } from './router.ts';

/** The one place the limit lives: the early check and the streaming check both read it. */
const BODY_LIMIT_BYTES = 64 * 1024;

/** An error that already knows its HTTP status; the listener turns it into a response. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string = STATUS_CODES[status] ?? 'Error',
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (status === 204) {
    // No content: nothing to describe either. Node sends a content-length or content-type
    // set here as written (and drops the body), so set none (RFC 9110 §8.6, §15.3.5).
    res.writeHead(204);
    res.end();
    return;
  }
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-length': Buffer.byteLength(body),
    'content-type': 'application/json; charset=utf-8',
  });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (status === 413) {
    // Unread body bytes are still coming. Reading them just to throw them away costs
    // more than a new connection, so ask for this one to be closed after the answer.
    res.setHeader('connection', 'close');
  }
  sendJson(res, status, { error: message });
}

/** "application/json; charset=utf-8" is JSON too: compare the media type, not the header. */
function isJsonMediaType(header: string | undefined): boolean {
  return header?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Collects the body, refusing to hold more than `limit` bytes at any moment. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // Cheap early exit: a client that announces too much is refused before it sends a byte.
  // The header is only a claim (it may be absent, as with chunked uploads), so it never
  // replaces the count below.
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw new HttpError(413, `body larger than ${limit} bytes`);

  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      // Count inside the loop: the limit must stop an endless upload, not judge it afterwards.
      if (received > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // The stream failed under us: the client went away mid-body ("aborted").
    throw new HttpError(400, 'request body was cut off');
  }
  // A stream can also simply end early; complete says whether the whole message arrived.
  if (!req.complete) throw new HttpError(400, 'request body was cut off');
  return Buffer.concat(chunks, received);
}

/** fatal: true makes broken UTF-8 an error instead of silently becoming U+FFFD. */
function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text); // '' (an empty body) throws here too: a 400, on purpose
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

/** Valid JSON is not enough: 42, null and [1, 2] are JSON but not the object we need. */
function requireObject(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  throw new HttpError(400, 'body must be a JSON object');
}

/** Media type, then bounded bytes, then UTF-8, then JSON syntax, then shape. */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!isJsonMediaType(req.headers['content-type'])) {
    throw new HttpError(415, 'expected content-type application/json');
  }
  const bytes = await readBody(req, BODY_LIMIT_BYTES);
  return requireObject(parseJson(decodeUtf8(bytes)));
}

// ---- the store: plain data, nothing about HTTP ----

interface Message {
  readonly id: string;
  readonly text: string;
  readonly createdAt: string;
}

const messages = new Map<string, Message>();

function addMessage(text: string): Message {
  const message: Message = { id: randomUUID(), text, createdAt: new Date().toISOString() };
  messages.set(message.id, message);
  return message;
}

// ---- handlers: one operation each, one response each ----

const listMessages: Handler = (_req, res) => {
  sendJson(res, 200, [...messages.values()]);
};

const createMessage: Handler = async (req, res) => {
  const { text } = await readJson(req);
  if (typeof text !== 'string' || text.trim() === '') {
    throw new HttpError(400, 'text must be a non-empty string');
  }
  const message = addMessage(text);
  res.setHeader('location', `/messages/${encodeURIComponent(message.id)}`);
  sendJson(res, 201, message);
};

const latestMessage: Handler = (_req, res) => {
  // A Map iterates in insertion order, so the newest message is the last one.
  const newest = [...messages.values()].at(-1);
  if (!newest) throw new HttpError(404, 'no messages yet');
  sendJson(res, 200, newest);
};

const getMessage: Handler = (_req, res, params) => {
  const message = messages.get(params.id ?? '');
  if (!message) throw new HttpError(404, 'message not found');
  sendJson(res, 200, message);
};

const deleteMessage: Handler = (_req, res, params) => {
  if (!messages.delete(params.id ?? '')) throw new HttpError(404, 'message not found');
  sendJson(res, 204, null);
};

// ---- the route table: the public surface of the server at a glance ----

const router = createRouter([
  { method: 'GET', path: '/messages', handler: listMessages },
  { method: 'POST', path: '/messages', handler: createMessage },
  // Specific before parameterised: otherwise "latest" would be captured as an :id.
  { method: 'GET', path: '/messages/latest', handler: latestMessage },
  { method: 'GET', path: '/messages/:id', handler: getMessage },
  { method: 'DELETE', path: '/messages/:id', handler: deleteMessage },
]);

/** What RFC 3986 §3.3 allows in a path once URL has percent-encoded the rest. */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * The path and query the client asked for, or undefined when the request target names
 * nothing this server can route (the caller answers 400). req.url is the target exactly
 * as the client sent it (RFC 9112 §3.2), so read it by its form:
 * - origin-form "/messages?x=1": glued to a fixed origin, so "//x/messages" stays a path.
 *   new URL(req.url, 'http://localhost') would read "x" as a host and "/messages" as
 *   the path, and it throws on "//[";
 * - absolute-form "http://host/messages" (what clients send to a proxy): its path;
 * - anything else ("*", "http://[/x"), or a path holding a character no path may hold
 *   ("//[": brackets belong to IPv6 hosts): undefined.
 */
function parseTarget(target: string): URL | undefined {
  let url: URL;
  try {
    url = target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);
  } catch {
    return undefined; // new URL throws a TypeError for text that is no URL at all
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // Only the path is held to the grammar: queries like "?filter[name]=x" are common.
  return PATH_CHARACTERS.test(url.pathname) ? url : undefined;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Inside the async function: whatever goes wrong here becomes a rejection that
  // answerError turns into a response, never an exception that ends the process.
  const url = parseTarget(req.url ?? '/');
  if (!url) throw new HttpError(400, 'request target is not a path this server can route');
  const { pathname } = url;
  const match = router.match(req.method ?? 'GET', pathname);
  switch (match.kind) {
    case 'found':
      return match.handler(req, res, match.params);
    case 'method-not-allowed':
      // The path exists; this method does not. Allow comes from the same table.
      res.setHeader('allow', match.allow.join(', '));
      throw new HttpError(405);
    case 'bad-path':
      throw new HttpError(400, match.reason);
    case 'not-found':
      throw new HttpError(404);
  }
}

/** The last stop for every error: one response, or a cut connection if one is already out. */
function answerError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (error instanceof HttpError && !res.headersSent) {
    sendError(res, error.status, error.message);
    return;
  }
  console.error(`${req.method} ${req.url} failed:`, error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, 500, 'Internal Server Error');
}

const server = createServer((req, res) => {
  handleRequest(req, res).catch((error: unknown) => answerError(req, res, error));
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => {
  console.log(`listening on http://localhost:${port}`);
});
