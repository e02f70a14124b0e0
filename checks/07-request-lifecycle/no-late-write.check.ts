// A write to a response whose client has left is dropped without an 'error' event and
// without a byte on the wire (only a write() callback would hear ERR_STREAM_DESTROYED;
// facts/lifecycle.facts.mjs, write-after-close-dropped). The checks' observer (loaded with
// --import) sees every writeHead/write/end, so a handler or error boundary that answers
// nobody is visible.
import { describeExit } from '../_client/http.ts';
import { ncLine, openRaw, rawRequest } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { delay, describeLateWrite, lateWritesFor, randomInt, untilHandling } from './_lifecycle.ts';

const start = useServers();

check({ id: 'no-late-write', group: 'client-gone', title: 'nothing is written to a response after its client has left' }, async () => {
  const server = await start();
  const ms = randomInt(1200, 1600);
  const url = `/report?ms=${ms}`;
  const bytes = rawRequest({ path: url });
  const sent = ncLine(bytes, 'then press Ctrl-C after about 200 ms');
  const conn = await openRaw(server);
  await conn.write(bytes);
  await untilHandling(server, url, sent);
  await delay(200);
  conn.destroy();
  // Past the moment an uncancelled report would finish and try to answer.
  await delay(ms + 300 - conn.now());
  const late = lateWritesFor(server, url);
  if (late.length > 0) {
    fail({
      sent,
      expected: 'no writeHead(), write() or end() on that response once its client had closed the connection',
      got: describeLateWrite(late[0]!),
      means:
        'something answered a client that was already gone: usually the error boundary sending a 500 for the cancelled report (return early when res.destroyed && !res.writableFinished), or a handler writing after a wait that was not cancelled',
      serverOutput: server.tail(),
    });
  }
  const exit = server.exit;
  if (exit) {
    fail({ sent, expected: 'the server still running', got: `the server process ${describeExit(exit)}`, means: 'the client leaving crashed the server', serverOutput: server.tail() });
  }
});
