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

/**
 * req.url is the request target exactly as the client wrote it ("/hello?name=Zo%C3%AB").
 * URL needs an origin to parse a relative target; the base only supplies one.
 */
function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://localhost');
}

function handleRequest(req: IncomingMessage, res: ServerResponse): void {
  const url = requestUrl(req);
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

  // Node answers 200 unless told otherwise: an unknown path must say so explicitly.
  send(res, 404, `${STATUS_CODES[404]}\n`);
}

const server = createServer(handleRequest);

// The port comes from the environment, so a test (or a host) can choose it.
const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => {
  console.log(`listening on http://localhost:${port}`);
});
