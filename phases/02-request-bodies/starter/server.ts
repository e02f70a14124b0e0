/**
 * Phase 02 starter: your phase 01 server, plus POST /echo.
 *
 * /echo already "works" for a polite client. LESSON.md shows what an impolite one does
 * to it: wrong media types, broken JSON, huge or endless uploads, clients that vanish.
 *
 * Run it by hand:  PORT=3000 npx tsx server.ts
 * Check your work: npx learn-node-http verify 02
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

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

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-length': Buffer.byteLength(body), // bytes, not characters
    'content-type': 'text/plain; charset=utf-8',
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-length': Buffer.byteLength(body),
    'content-type': 'application/json; charset=utf-8',
  });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (status === 413) {
    // Unread body bytes may still be coming: this connection ends after the answer.
    // TODO: ending the 413 at once closes the socket under a client that is still
    // uploading, and the reset can destroy the 413 before the client reads it. Write it,
    // then end the response when the body ends or after a short linger (LESSON.md,
    // "Refusing an upload the client can still read").
    res.setHeader('connection', 'close');
  }
  sendJson(res, status, { error: message });
}

// TODO: readJson below is the naive version: it trusts everything the client sends.
// Make it, in this order:
//   1. refuse a content-type whose media type is not application/json (415), while still
//      accepting parameters such as "; charset=utf-8";
//   2. refuse a declared content-length above BODY_LIMIT_BYTES before reading (413);
//   3. count bytes INSIDE the loop and stop at BODY_LIMIT_BYTES (413), chunked uploads included;
//   4. turn a stream that fails or ends early (a client that vanished) into a 400;
//   5. decode UTF-8 with new TextDecoder('utf-8', { fatal: true }) (bad bytes: 400);
//   6. parse JSON (syntax error or empty body: 400) and accept only a plain object (400).
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

/** What RFC 9112 allows in an origin-form target: "/", then path and query characters only. */
const ORIGIN_FORM = /^\/[\w\-.~!$&'()*+,;=:@%/?]*$/;

/** Phase 01's parse: origin-form gets a fixed origin, absolute-form is parsed as it is, anything else is undefined (a 400). */
function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '';
  try {
    if (ORIGIN_FORM.test(target)) return new URL(`http://localhost${target}`);
    if (/^https?:\/\//i.test(target)) return new URL(target);
  } catch {
    // Not a URL after all: a 400, never a crash.
  }
  return undefined;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = requestUrl(req);
  if (!url) throw new HttpError(400, 'request target is not a path or an absolute URL');
  const method = req.method ?? 'GET';

  if (url.pathname === '/echo' && method === 'POST') {
    sendJson(res, 200, await readJson(req));
    return;
  }
  if (url.pathname === '/' || url.pathname === '/inspect' || url.pathname.startsWith('/inspect/')) {
    send(res, 200, `${method} ${url.pathname}\n`);
    return;
  }
  if (url.pathname === '/hello') {
    send(res, 200, `Hello, ${url.searchParams.get('name') || 'world'}!\n`);
    return;
  }
  send(res, 404, `${STATUS_CODES[404]}\n`);
}

/** The last stop for every error: one response, or a cut connection if one is already out. */
function answerError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (error instanceof HttpError && !res.headersSent) {
    sendError(res, error.status, error.message);
    return;
  }
  // TODO: anything that is not an HttpError escapes from here and takes the whole
  // process down (a JSON.parse SyntaxError, a client that hangs up mid-upload...).
  // Make readJson throw HttpErrors for every client mistake; then decide what an
  // unexpected error should get: log it, and answer 500 (or cut the connection if a
  // response has already started).
  console.error(`${req.method} ${req.url} failed:`, error);
  throw error;
}

const server = createServer((req, res) => {
  handleRequest(req, res).catch((error: unknown) => answerError(req, res, error));
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => {
  console.log(`listening on http://localhost:${port}`);
});
