/**
 * Phase 05 reference solution: the messages service as a small JSON REST API.
 *
 *   app = request id → access log → error responses → parse target → route
 *   POST and PATCH /messages... = requireJson → parse JSON body → validate → handler
 *
 * Input is validated at the edge (query, params, body) before the store sees it, and
 * every error leaves through one helper in one shape: { "error": "..." }.
 *
 * Run it by hand:  PORT=3000 npx tsx server.ts
 */
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { compose, type Middleware } from './compose.ts';
import { createRouter, type Params } from './router.ts';

// ---- per-request state ----

interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request target, parsed once by withTarget; later middleware reads this, never req.url. */
  url: URL;
  requestId: string;
  params: Params;
  body: Record<string, unknown>;
}

/**
 * Nothing in here may throw: it runs before the error middleware exists for this request,
 * so a throw here would escape every try/catch and end the process. That is why the
 * target is parsed later (withTarget); like params and body, url starts empty.
 */
function createContext(req: IncomingMessage, res: ServerResponse): Ctx {
  return {
    req,
    res,
    url: new URL('http://localhost/'),
    requestId: '',
    params: {},
    body: {},
  };
}

/**
 * req.url is the target exactly as the client sent it (RFC 9112 §3.2), so parse it by its form:
 * - origin-form "/messages?limit=2" is always a path, even "//x/messages": glued to a fixed
 *   origin it cannot be read as a host (new URL(target, base) would make "x" the host);
 * - absolute-form "http://host/messages" must be accepted too; it is routed on its path;
 * - anything else ("*", "http://[/x") has no path to route: undefined, answered with 400.
 */
function parseTarget(target: string): URL | undefined {
  try {
    if (target.startsWith('/')) return new URL(`http://localhost${target}`);
    const url = new URL(target);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined; // new URL throws a TypeError for text that is no URL at all
  }
}

// ---- response and body helpers (from phases 02 and 03) ----

const BODY_LIMIT_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string = STATUS_CODES[status] ?? 'Error',
  ) {
    super(message);
  }
}

/** Every JSON response, success or error, leaves through here. */
function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-length': Buffer.byteLength(body),
    'content-type': 'application/json; charset=utf-8',
  });
  res.end(body);
}

/** 204 means "done, nothing to say": no body, so no content-type or content-length either. */
function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/** The one error shape of the API. */
function sendError(res: ServerResponse, status: number, message: string): void {
  if (status === 413) res.setHeader('connection', 'close');
  sendJson(res, status, { error: message });
}

function isJsonMediaType(header: string | undefined): boolean {
  return header?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length']) > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'request body was cut off');
  }
  if (!req.complete) throw new HttpError(400, 'request body was cut off');
  return Buffer.concat(chunks, received);
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

// ---- app-wide middleware ----

/** First in the stack, so every response (404s and errors included) carries the id. */
const withRequestId: Middleware<Ctx> = async (ctx, next) => {
  ctx.requestId = randomUUID();
  ctx.res.setHeader('x-request-id', ctx.requestId);
  await next();
};

/** Code after `await next()` sees the finished request: final status, full duration. */
const withAccessLog: Middleware<Ctx> = async (ctx, next) => {
  const started = performance.now();
  try {
    await next();
  } finally {
    const ms = (performance.now() - started).toFixed(1);
    // req.url, not ctx.url: the raw target is logged even when it could not be parsed.
    console.log(`${ctx.requestId} ${ctx.req.method} ${ctx.req.url} ${ctx.res.statusCode} ${ms}ms`);
  }
};

/** The one place an error becomes a response. */
const withErrorResponses: Middleware<Ctx> = async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    const { req, res } = ctx;
    if (res.headersSent) {
      // Too late for a clean answer: a second response is impossible. Cut the connection.
      console.error(`${ctx.requestId} ${req.method} ${req.url} failed after the response started:`, error);
      res.destroy();
    } else if (error instanceof HttpError) {
      sendError(res, error.status, error.message);
    } else {
      console.error(`${ctx.requestId} ${req.method} ${req.url} failed:`, error);
      sendError(res, 500, 'Internal Server Error');
    }
  }
};

/** Inside the error middleware, so a target that is no URL becomes a JSON 400 like any bad input. */
const withTarget: Middleware<Ctx> = async (ctx, next) => {
  const url = parseTarget(ctx.req.url ?? '/');
  if (!url) throw new HttpError(400, 'request target must be a path or an http(s) URL');
  ctx.url = url;
  await next();
};

// ---- route-local middleware ----

/** A precondition: answer and return (no next) when it fails. Later middleware never runs. */
const requireJson: Middleware<Ctx> = async (ctx, next) => {
  if (!isJsonMediaType(ctx.req.headers['content-type'])) {
    sendError(ctx.res, 415, 'expected content-type application/json');
    return;
  }
  await next();
};

/** Only routes that list this middleware read a body at all. */
function jsonBody(limit: number): Middleware<Ctx> {
  return async (ctx, next) => {
    ctx.body = parseJsonObject(await readBody(ctx.req, limit));
    await next();
  };
}

// ---- validation at the edge: turn untrusted input into typed values, or a 400 ----

const MAX_TEXT_LENGTH = 280;
const MAX_LIMIT = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** { "text": string } and nothing else: unknown fields are a client bug worth reporting. */
function validateMessageInput(body: Record<string, unknown>): { text: string } {
  const unknown = Object.keys(body).filter((key) => key !== 'text');
  if (unknown.length > 0) throw new HttpError(400, `unknown field(s): ${unknown.join(', ')}`);
  const { text } = body;
  if (typeof text !== 'string') throw new HttpError(400, 'text must be a string');
  if (text.trim() === '') throw new HttpError(400, 'text must not be empty');
  // Count characters (code points), not UTF-16 units and not bytes: "é" is one.
  if ([...text].length > MAX_TEXT_LENGTH) {
    throw new HttpError(400, `text must be at most ${MAX_TEXT_LENGTH} characters`);
  }
  return { text };
}

/** ?limit is optional; when present it must be a whole number from 1 to MAX_LIMIT. */
function parseLimit(query: URLSearchParams): number | undefined {
  const raw = query.get('limit');
  if (raw === null) return undefined;
  if (!/^[1-9][0-9]*$/.test(raw) || Number(raw) > MAX_LIMIT) {
    throw new HttpError(400, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return Number(raw);
}

/** A malformed id can never exist (400); a well-formed one may just be unknown (404). */
function messageId(ctx: Ctx): string {
  const id = ctx.params.id ?? '';
  if (!UUID.test(id)) throw new HttpError(400, 'id must be a UUID');
  return id;
}

// ---- the store: plain data, nothing about HTTP ----

interface Message {
  readonly id: string;
  readonly text: string;
  readonly createdAt: string;
}

const messages = new Map<string, Message>();

function findMessage(id: string): Message {
  const message = messages.get(id);
  if (!message) throw new HttpError(404, 'message not found');
  return message;
}

// ---- handlers ----

const listMessages: Middleware<Ctx> = (ctx) => {
  const limit = parseLimit(ctx.url.searchParams);
  // Oldest first (a Map keeps insertion order); limit keeps the first N.
  const all = [...messages.values()];
  sendJson(ctx.res, 200, limit === undefined ? all : all.slice(0, limit));
};

const createMessage: Middleware<Ctx> = (ctx) => {
  const { text } = validateMessageInput(ctx.body);
  // randomUUID, not a counter or a timestamp: unique however many requests race.
  const message: Message = { id: randomUUID(), text, createdAt: new Date().toISOString() };
  messages.set(message.id, message);
  // 201 says "created"; Location says where it now lives.
  ctx.res.setHeader('location', `/messages/${message.id}`);
  sendJson(ctx.res, 201, message);
};

const latestMessage: Middleware<Ctx> = (ctx) => {
  const newest = [...messages.values()].at(-1);
  if (!newest) throw new HttpError(404, 'no messages yet');
  sendJson(ctx.res, 200, newest);
};

const getMessage: Middleware<Ctx> = (ctx) => {
  sendJson(ctx.res, 200, findMessage(messageId(ctx)));
};

const updateMessage: Middleware<Ctx> = (ctx) => {
  const id = messageId(ctx);
  const current = findMessage(id);
  const { text } = validateMessageInput(ctx.body);
  const updated: Message = { ...current, text };
  messages.set(id, updated);
  sendJson(ctx.res, 200, updated);
};

const deleteMessage: Middleware<Ctx> = (ctx) => {
  const id = messageId(ctx);
  findMessage(id);
  messages.delete(id);
  sendNoContent(ctx.res);
};

// ---- routes: each row holds its own composed stack ----

const withJsonBody = (handler: Middleware<Ctx>) => compose([requireJson, jsonBody(BODY_LIMIT_BYTES), handler]);

const router = createRouter<Middleware<Ctx>>([
  { method: 'GET', path: '/messages', handler: listMessages },
  { method: 'POST', path: '/messages', handler: withJsonBody(createMessage) },
  { method: 'GET', path: '/messages/latest', handler: latestMessage },
  { method: 'GET', path: '/messages/:id', handler: getMessage },
  { method: 'PATCH', path: '/messages/:id', handler: withJsonBody(updateMessage) },
  { method: 'DELETE', path: '/messages/:id', handler: deleteMessage },
]);

const dispatchRoute: Middleware<Ctx> = async (ctx, next) => {
  const match = router.match(ctx.req.method ?? 'GET', ctx.url.pathname);
  switch (match.kind) {
    case 'found':
      ctx.params = match.params;
      return match.handler(ctx, next);
    case 'method-not-allowed':
      ctx.res.setHeader('allow', match.allow.join(', '));
      throw new HttpError(405);
    case 'bad-path':
      throw new HttpError(400, match.reason);
    case 'not-found':
      throw new HttpError(404);
  }
};

const app = compose<Ctx>([withRequestId, withAccessLog, withErrorResponses, withTarget, dispatchRoute]);

const server = createServer((req, res) => {
  // withErrorResponses answers every error from the routes. This catch only sees bugs in
  // the outermost middleware; it must still never let a rejection escape.
  app(createContext(req, res)).catch((error: unknown) => {
    console.error('request failed outside the error middleware:', error);
    if (!res.headersSent) sendError(res, 500, 'Internal Server Error');
    else res.destroy();
  });
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => {
  console.log(`listening on http://localhost:${port}`);
});
