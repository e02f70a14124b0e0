/**
 * Phase 01 starter: a server that answers every request the same way.
 *
 * It starts and listens, but it ignores the method, the path and the query string,
 * and it never says how long its body is. LESSON.md explains what to build.
 *
 * Run it by hand:  PORT=3000 npx tsx server.ts
 * Check your work: npx learn-node-http verify 01
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

// TODO: write a send(res, status, body) helper that sets content-type
// ("text/plain; charset=utf-8") and content-length (in BYTES), then ends the response.

function handleRequest(req: IncomingMessage, res: ServerResponse): void {
  // TODO: parse req.url once (see "Odd request targets" in LESSON.md): a target starting
  //       with "/" becomes new URL(`http://localhost${target}`), an absolute "http://..."
  //       target is parsed as it is, anything else answers 400. Never let new URL() throw here.
  // TODO: "/" and every path under "/inspect" answer `${method} ${pathname}\n`.
  // TODO: "/hello?name=X" answers `Hello, X!\n` ("world" when there is no name).
  // TODO: any other path answers 404, not the 200 Node sends by default.
  console.log(`${req.method} ${req.url}`);
  res.end('ok\n');
}

const server = createServer(handleRequest);

// Keep reading the port from the environment: the checks choose it for you.
const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => {
  console.log(`listening on http://localhost:${port}`);
});
