/**
 * Phase 06 starter: the messages service from phase 05, all in one file.
 *
 * It works for the happy path, but it is the demo version. Four things are wrong
 * with it, and LESSON.md walks through each one. Fix them in any order; every fix
 * has its own group of checks:
 *
 *   1. Async errors   - a rejected await crashes the process (GET /boom, GET /partial)
 *   2. Streaming      - GET /export loads the whole file into memory first
 *   3. Shutdown       - SIGTERM kills in-flight requests mid-response
 *   4. Module split   - everything lives here, and this file also calls listen()
 *
 * Simplified on purpose, and checked in the "What carries over" group: folding phase 05
 * back into one file, this starter dropped four rules you already know. It counts text
 * with text.length (UTF-16 units; phase 05 counts code points, [...text].length), parses
 * req.url with new URL(req.url, base) (phase 01: "//x" becomes a host, "//[" throws),
 * lets an aborted upload escape readJson (phase 02: HttpError(400)), and sends JSON
 * headers on a 204 (phase 05: none). Put them back as you split the file.
 *
 * Run it by hand:  PORT=3000 npx tsx server.ts
 * Check your work: npx learn-node-http verify 06
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

// TODO(module split): everything from here to the "handlers" comment is the data layer.
// It belongs in store.ts, which must not import node:http or any other file of yours.

interface Message {
  readonly id: string;
  readonly text: string;
  readonly createdAt: string;
}

const messages = new Map<string, Message>();

function listStoredMessages(): Message[] {
  return [...messages.values()];
}

function findMessage(id: string): Message | undefined {
  return messages.get(id);
}

function addMessage(text: string): Message {
  const message: Message = { id: randomUUID(), text, createdAt: new Date().toISOString() };
  messages.set(message.id, message);
  return message;
}

function removeMessage(id: string): boolean {
  return messages.delete(id);
}

/** Pretends to query a database that is down: it always rejects after a moment. */
async function loadAuditLog(): Promise<string[]> {
  await sleep(5);
  throw new Error('database unavailable (simulated outage)');
}

// TODO(module split): the plumbing below (HttpError, sendJson, sendError, readJson)
// belongs in http-helpers.ts. It must know nothing about messages or the store.

const BODY_LIMIT_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string = STATUS_CODES[status] ?? 'Error',
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = status === 204 ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

function sendError(res: ServerResponse, status: number, message = STATUS_CODES[status] ?? 'Error'): void {
  if (status === 413) res.setHeader('connection', 'close');
  sendJson(res, status, { error: message });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new HttpError(415, 'expected content-type application/json');
  if (Number(req.headers['content-length']) > BODY_LIMIT_BYTES) throw new HttpError(413);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > BODY_LIMIT_BYTES) throw new HttpError(413);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

// TODO(module split): the handlers belong in handlers.ts (they use the store and the helpers).

type Params = Readonly<Record<string, string>>;
type Handler = (req: IncomingMessage, res: ServerResponse, params: Params) => Promise<void>;

const listMessages: Handler = async (_req, res) => {
  sendJson(res, 200, listStoredMessages());
};

const createMessage: Handler = async (req, res) => {
  const { text } = await readJson(req);
  if (typeof text !== 'string' || text.trim() === '' || text.length > 280) {
    throw new HttpError(400, 'text must be a non-empty string of at most 280 characters');
  }
  const message = addMessage(text);
  res.setHeader('location', `/messages/${encodeURIComponent(message.id)}`);
  sendJson(res, 201, message);
};

const getMessage: Handler = async (_req, res, params) => {
  const message = findMessage(params.id ?? '');
  if (!message) throw new HttpError(404, 'message not found');
  sendJson(res, 200, message);
};

const deleteMessage: Handler = async (_req, res, params) => {
  if (!removeMessage(params.id ?? '')) throw new HttpError(404, 'message not found');
  sendJson(res, 204, null);
};

const auditLog: Handler = async (_req, res) => {
  const entries = await loadAuditLog();
  sendJson(res, 200, entries);
};

const partialReport: Handler = async (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.write('{"entries":[');
  const entries = await loadAuditLog();
  res.end(`${entries.map((entry) => JSON.stringify(entry)).join(',')}]}`);
};

const exportMessages: Handler = async (_req, res) => {
  const file = process.env.BIG_JSON ?? fileURLToPath(new URL('./big.json', import.meta.url));
  // TODO(streaming): readFile holds the whole file in memory, once per request.
  // Stream it instead (and answer a clean error if the file is missing).
  const contents = await readFile(file);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(contents);
};

const slowReport: Handler = async (_req, res) => {
  const sleptMs = Number(process.env.SLOW_MS ?? 1000);
  await sleep(sleptMs);
  sendJson(res, 200, { sleptMs });
};

// TODO(module split): the route table and dispatch belong in router.ts.

interface Route {
  readonly method: string;
  readonly pattern: readonly string[];
  readonly handler: Handler;
}

function route(method: string, path: string, handler: Handler): Route {
  return { method, pattern: path.split('/').filter(Boolean), handler };
}

const routes: readonly Route[] = [
  route('GET', '/messages', listMessages),
  route('POST', '/messages', createMessage),
  route('GET', '/messages/:id', getMessage),
  route('DELETE', '/messages/:id', deleteMessage),
  route('GET', '/boom', auditLog),
  route('GET', '/partial', partialReport),
  route('GET', '/export', exportMessages),
  route('GET', '/slow', slowReport),
];

function matchPath(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        throw new HttpError(400, 'malformed percent-encoding in path');
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const segments = pathname.split('/').filter(Boolean);
  const allowed: string[] = [];
  for (const candidate of routes) {
    const params = matchPath(candidate.pattern, segments);
    if (!params) continue;
    if (candidate.method === req.method) return candidate.handler(req, res, params);
    allowed.push(candidate.method);
  }
  if (allowed.length > 0) {
    res.setHeader('allow', allowed.join(', '));
    throw new HttpError(405);
  }
  throw new HttpError(404);
}

// TODO(async errors): in phase 05 only HttpError could escape a handler, and each
// handler was short enough to catch it itself. Now handlers await things that can
// reject for any reason. This listener has no try/catch, so GET /boom and GET /partial
// become unhandled rejections and take the whole process down.
// TODO(module split): building the server belongs in server.ts, which exports it
// and never calls listen().
const server = createServer(async (req, res) => {
  await dispatch(req, res).catch((error: unknown) => {
    // Only the errors we threw on purpose are answered; anything else escapes.
    if (error instanceof HttpError) return sendError(res, error.status, error.message);
    throw error;
  });
});

// TODO(module split): listening belongs in main.ts, the only file that calls listen().
// TODO(shutdown): handle SIGTERM and SIGINT: stop accepting connections, let the
// requests in flight finish, exit 0 once drained, and give up after SHUTDOWN_TIMEOUT_MS.
const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => {
  console.log(`messages service listening on http://localhost:${port}`);
});
