/**
 * Phase 01 reference solution: one request listener, the request target parsed once,
 * and every response written by one helper that gets the headers right.
 *
 * Run it by hand:  PORT=3000 npx tsx server.ts
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * Writes a complete text response: status, type, length, body, end. Every branch
 * calls this exactly once, so no branch can forget a header or end twice.
 */
function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    // Bytes on the wire, not UTF-16 code units: "ë" is one character but two bytes.
    'content-length': Buffer.byteLength(body),
    // The charset matters as soon as a body holds anything beyond ASCII.
    'content-type': 'text/plain; charset=utf-8',
  });
  res.end(body);
}

/** What RFC 9112 allows in an origin-form target: "/", then path and query characters only. */
const ORIGIN_FORM = /^\/[\w\-.~!$&'()*+,;=:@%/?]*$/;

/**
 * req.url is the request target exactly as the client wrote it ("/hello?name=Zo%C3%AB").
 * Origin-form ("/..."): prefix a fixed origin, so "//x/y" stays the path "//x/y" instead of
 * being read as the host "x". Absolute-form ("http://host/path", what proxies send): it is
 * a URL already; we route on its path. Anything else ("*", "//[", "example.com:443") is
 * undefined, which the listener answers with 400: new URL() throws on some of these, and
 * an exception here would take the whole server down.
 */
function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '';
  try {
    if (ORIGIN_FORM.test(target)) return new URL(`http://localhost${target}`);
    if (/^https?:\/\//i.test(target)) return new URL(target);
  } catch {
    // Not a URL after all: a 400 below, never a crash.
  }
  return undefined;
}

function handleRequest(req: IncomingMessage, res: ServerResponse): void {
  const url = requestUrl(req);
  if (!url) {
    send(res, 400, `${STATUS_CODES[400]}\n`);
    return;
  }
  const method = req.method ?? 'GET';

  // The path picks what to do; the query string only refines it.
  if (url.pathname === '/' || url.pathname === '/inspect' || url.pathname.startsWith('/inspect/')) {
    send(res, 200, `${method} ${url.pathname}\n`);
    return;
  }

  if (url.pathname === '/hello') {
    // searchParams decodes percent-escapes (and "+" as a space) for us.
    const name = url.searchParams.get('name') || 'world';
    send(res, 200, `Hello, ${name}!\n`);
    return;
  }

  // A response is 200 unless we say otherwise: an unknown path must say so explicitly.
  send(res, 404, `${STATUS_CODES[404]}\n`);
}

const server = createServer(handleRequest);

// The port comes from the environment, so a test (or a host) can choose it.
const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => {
  console.log(`listening on http://localhost:${port}`);
});
