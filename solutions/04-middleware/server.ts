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
  readonly url: URL;
  requestId: string;
  user: string;
  params: Params;
  body: Record<string, unknown>;
}

function createContext(req: IncomingMessage, res: ServerResponse): Ctx {
  return {
    req,
    res,
    // Parsed once; every middleware reads ctx.url instead of re-reading req.url.
    url: new URL(req.url ?? '/', 'http://localhost'),
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
  const body = status === 204 ? '' : JSON.stringify(value);
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
    console.log(`${ctx.requestId} ${ctx.req.method} ${ctx.url.pathname} ${ctx.res.statusCode} ${ms}ms`);
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

// ---- routes: each row holds its own composed stack ----

const router = createRouter<Middleware<Ctx>>([
  { method: 'GET', path: '/messages', handler: listMessages },
  { method: 'POST', path: '/messages', handler: compose([requireJson, jsonBody(BODY_LIMIT_BYTES), createMessage]) },
  { method: 'GET', path: '/messages/latest', handler: latestMessage },
  { method: 'GET', path: '/messages/:id', handler: getMessage },
  { method: 'DELETE', path: '/messages/:id', handler: deleteMessage },
  { method: 'GET', path: '/whoami', handler: whoAmI },
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

const app = compose<Ctx>([withRequestId, withAccessLog, withErrorResponses, withUser, dispatchRoute]);

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
