/**
 * Phase 02 reference solution: POST /echo reads the request body as a stream, under a
 * byte limit, and accepts only a JSON object. Everything from phase 01 still works.
 *
 * Run it by hand:  PORT=3000 npx tsx server.ts
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

/** How long a refused upload keeps its connection after the 413, so the client can read it. */
const LINGER_MS = 2000;

/**
 * A 413 for a body the client may still be sending. The whole answer goes out at once, but
 * the response ends (and Node, told "connection: close", closes the socket) only when the
 * body has ended or LINGER_MS have passed. Closing while the client is still uploading makes
 * the OS answer its next bytes with a reset, and a client busy sending often dies on that
 * reset before it has read the 413. Waiting a moment first is a "lingering close".
 */
function sendTooLarge(req: IncomingMessage, res: ServerResponse, message: string): void {
  const body = JSON.stringify({ error: message });
  res.writeHead(413, {
    'content-length': Buffer.byteLength(body),
    'content-type': 'application/json; charset=utf-8',
    // The unread rest of the body would be taken for the next request: this connection ends.
    connection: 'close',
  });
  res.write(body);
  const finish = () => {
    clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(finish, LINGER_MS);
  // Nothing reads this body any more: let it flow into nowhere, and stop waiting once it ends.
  req.once('end', finish);
  req.resume();
}

function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  if (status === 413) {
    sendTooLarge(req, res, message);
    return;
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
    sendError(req, res, error.status, error.message);
    return;
  }
  console.error(`${req.method} ${req.url} failed:`, error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(req, res, 500, 'Internal Server Error');
}

const server = createServer((req, res) => {
  handleRequest(req, res).catch((error: unknown) => answerError(req, res, error));
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => {
  console.log(`listening on http://localhost:${port}`);
});
