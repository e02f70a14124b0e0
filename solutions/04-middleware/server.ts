/**
 * Phase 04 reference solution: the messages service as a middleware stack.
 *
 *   app = request id → access log → error responses → identify user → route
 *   POST /messages = requireJson → parse JSON body → create
 *
 * Every request gets its own `ctx`; nothing about a request lives in a module variable.
 *
 * Run it by hand:  PORT=3000 npx tsx server.ts
 */
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { compose, type Middleware } from './compose.ts';
import { createRouter, type Params } from './router.ts';

// ---- per-request state ----

interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** undefined when the target cannot be routed: dispatchRoute answers 400. */
  readonly url: URL | undefined;
  requestId: string;
  user: string;
  params: Params;
  body: Record<string, unknown>;
}

/** What RFC 3986 §3.3 allows in a path once URL has percent-encoded the rest. */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * The request target as a URL, or undefined when it names nothing this server can route.
 * Never throws: createContext runs before the error middleware, where a throw would be an
 * uncaught exception that ends the process. req.url is the target as sent (RFC 9112 §3.2):
 * - origin-form "/messages?x=1": glued to a fixed origin, so "//x/messages" stays a path
 *   (new URL(req.url, base) would read "x" as a host, and throws on "//[");
 * - absolute-form "http://host/messages" (what clients send to a proxy): routed on its path;
 * - anything else ("*", "http://[/x", a path with "[" in it): undefined, answered with 400.
 */
function parseTarget(target: string): URL | undefined {
  let url: URL;
  try {
    url = target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return PATH_CHARACTERS.test(url.pathname) ? url : undefined;
}

function createContext(req: IncomingMessage, res: ServerResponse): Ctx {
  return {
    req,
    res,
    // Parsed once; every middleware reads ctx.url instead of re-reading req.url.
    url: parseTarget(req.url ?? '/'),
    requestId: '',
    user: 'anonymous',
    params: {},
    body: {},
  };
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

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (status === 204) {
    // No content, so nothing to describe: Node would send a content-length or
    // content-type set here as written (RFC 9110 §8.6 forbids the length on a 204).
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
    console.log(`${ctx.requestId} ${ctx.req.method} ${ctx.url?.pathname ?? ctx.req.url} ${ctx.res.statusCode} ${ms}ms`);
  }
};

/** The one place an error becomes a response. */
const withErrorResponses: Middleware<Ctx> = async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    const { req, res } = ctx;
    if (res.headersSent) {
      // Too late for a clean answer: a second response is impossible. Cut the connection
      // (the client sees an unfinished body) and let the error go on outward: it was not
      // handled, and the listener's last resort reports it.
      res.destroy();
      throw error;
    } else if (error instanceof HttpError) {
      sendError(res, error.status, error.message);
    } else {
      console.error(`${ctx.requestId} ${req.method} ${req.url} failed:`, error);
      sendError(res, 500, 'Internal Server Error');
    }
  }
};

/**
 * Who is asking, from the x-user header. Any client can write any header (Node passes it
 * through as sent), so this is only safe behind a proxy that authenticates the user,
 * removes any x-user the client sent and sets its own. Never trust it from a client
 * talking to this server directly.
 */
const withUser: Middleware<Ctx> = async (ctx, next) => {
  const header = ctx.req.headers['x-user'];
  ctx.user = typeof header === 'string' && header !== '' ? header : 'anonymous';
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

// ---- the store and the handlers ----

interface Message {
  readonly id: string;
  readonly text: string;
  readonly createdAt: string;
}

const messages = new Map<string, Message>();

const listMessages: Middleware<Ctx> = (ctx) => {
  sendJson(ctx.res, 200, [...messages.values()]);
};

const createMessage: Middleware<Ctx> = (ctx) => {
  const { text } = ctx.body;
  if (typeof text !== 'string' || text.trim() === '') throw new HttpError(400, 'text must be a non-empty string');
  const message: Message = { id: randomUUID(), text, createdAt: new Date().toISOString() };
  messages.set(message.id, message);
  ctx.res.setHeader('location', `/messages/${encodeURIComponent(message.id)}`);
  sendJson(ctx.res, 201, message);
};

const latestMessage: Middleware<Ctx> = (ctx) => {
  const newest = [...messages.values()].at(-1);
  if (!newest) throw new HttpError(404, 'no messages yet');
  sendJson(ctx.res, 200, newest);
};

const getMessage: Middleware<Ctx> = (ctx) => {
  const message = messages.get(ctx.params.id ?? '');
  if (!message) throw new HttpError(404, 'message not found');
  sendJson(ctx.res, 200, message);
};

const deleteMessage: Middleware<Ctx> = (ctx) => {
  if (!messages.delete(ctx.params.id ?? '')) throw new HttpError(404, 'message not found');
  sendJson(ctx.res, 204, null);
};

/** Answers after a pause, so concurrent requests really overlap: shared state would show. */
const whoAmI: Middleware<Ctx> = async (ctx) => {
  await sleep(Number(process.env.WHOAMI_DELAY_MS ?? 20));
  sendJson(ctx.res, 200, { user: ctx.user, requestId: ctx.requestId });
};

/**
 * Starts a 200 answer, then fails, as an export or a stream can fail half-way. Keep it:
 * it is the one request whose error the error middleware can no longer answer.
 */
const failMidway: Middleware<Ctx> = async (ctx) => {
  ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  ctx.res.write('first part of the answer\n');
  await sleep(10);
  throw new Error('failed after the response started');
};

// ---- routes: each row holds its own composed stack ----

const router = createRouter<Middleware<Ctx>>([
  { method: 'GET', path: '/messages', handler: listMessages },
  { method: 'POST', path: '/messages', handler: compose([requireJson, jsonBody(BODY_LIMIT_BYTES), createMessage]) },
  { method: 'GET', path: '/messages/latest', handler: latestMessage },
  { method: 'GET', path: '/messages/:id', handler: getMessage },
  { method: 'DELETE', path: '/messages/:id', handler: deleteMessage },
  { method: 'GET', path: '/whoami', handler: whoAmI },
  { method: 'GET', path: '/fail-midway', handler: failMidway },
]);

const dispatchRoute: Middleware<Ctx> = async (ctx, next) => {
  if (!ctx.url) throw new HttpError(400, 'request target is not a path this server can route');
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

const app = compose<Ctx>([withRequestId, withAccessLog, withErrorResponses, withUser, dispatchRoute]);

const server = createServer((req, res) => {
  // withErrorResponses answers every error from the routes. This catch only sees bugs in
  // the outermost middleware; it must still never let a rejection escape.
  app(createContext(req, res)).catch((error: unknown) => {
    console.error(`${req.method} ${req.url} failed where no response could carry the error:`, error);
    if (!res.headersSent) sendError(res, 500, 'Internal Server Error');
    else res.destroy();
  });
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => {
  console.log(`listening on http://localhost:${port}`);
});
