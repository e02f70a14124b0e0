// A client can vanish mid-body: its process dies (a reset), or it stops sending and
// closes its side. The body stream then fails ("aborted"); if that error escapes, the
// whole server dies with it, and every other client loses too.
import { setTimeout as delay } from 'node:timers/promises';
import { describeExit } from '../_client/http.ts';
import { chunk, ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { postEcho, token } from './_bodies.ts';

const start = useServers();

const HEAD = { method: 'POST', path: '/echo' } as const;
/** Three ways to leave: each starts a body and never finishes it. */
const ABANDONS = [
  {
    how: 'announces 1000 bytes, sends 100, then resets the connection',
    bytes: rawRequest({ ...HEAD, headers: { 'content-type': 'application/json', 'content-length': '1000' }, body: `{"pad":"${'a'.repeat(92)}` }),
    leave: 'reset',
  },
  {
    how: 'announces 1000 bytes, sends 100, then closes its side',
    bytes: rawRequest({ ...HEAD, headers: { 'content-type': 'application/json', 'content-length': '1000' }, body: `{"pad":"${'a'.repeat(92)}` }),
    leave: 'halfClose',
  },
  {
    how: 'starts a chunked body, sends one chunk, then resets the connection',
    bytes: Buffer.concat([rawRequest({ ...HEAD, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }), chunk('{"a":')]),
    leave: 'reset',
  },
] as const;

check({ id: 'aborted', group: 'aborted-upload', title: 'clients that disconnect mid-body do not crash the server' }, async () => {
  const server = await start();
  for (const abandon of ABANDONS) {
    await withRaw(server, async (conn) => {
      await conn.write(abandon.bytes);
      await delay(100);
      if (abandon.leave === 'reset') conn.reset();
      else conn.halfClose();
      // Time for the server to notice and (if it is going to) crash.
      await delay(300);
    });
    const exit = await server.proc.waitForExit(scaled(200));
    if (exit) {
      fail({
        sent: ncLine(abandon.bytes, `then the client ${abandon.leave === 'reset' ? 'resets the connection' : 'closes its side'}`),
        expected: 'the server to keep running when a client leaves in the middle of its body',
        got: `the server process ${describeExit(exit)} after a client that ${abandon.how}`,
        means: 'the body stream failed ("aborted", ECONNRESET) and the error escaped: catch errors from the read loop and turn them into an HttpError(400), and never rethrow from the last error handler',
        serverOutput: server.tail(),
      });
    }
  }
  // Any complete answer proves the server is alive; its status is other checks' business.
  const next = await postEcho(server, JSON.stringify({ after: token() }));
  if (!next.complete) {
    fail({
      sent: next.curl,
      expected: 'the server to still answer after three abandoned uploads',
      got: next.problem!.got,
      means: 'an abandoned upload left the server stuck or dead: every request must end in a response or a closed connection, whatever the client did',
      serverOutput: server.tail(),
    });
  }
});
