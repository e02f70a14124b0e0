// A client can also leave in the middle of its upload. Reading the body then rejects
// ("aborted", ECONNRESET), and by that time the response can no longer reach anyone.
// Phase 02 turned that rejection into a client error instead of a crash; this phase adds
// the bookkeeping: the request is abandoned (counted and logged as such, like a GET whose
// client left), nothing is written to it, and it is not logged as a failure of the server
// (no "Error: aborted" stack trace for every phone that lost its signal mid-upload).
import { describeExit } from '../_client/http.ts';
import { ncLine, openRaw, rawRequest } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers, type RunningServer } from '../_harness/start-server.ts';
import { delay, describeLateWrite, lateWritesFor, pollStats, readStats, tailWithoutStats } from './_lifecycle.ts';

const start = useServers();

/** A POST that announces 200 bytes and sends 30: the rest never comes. */
const UPLOAD = rawRequest({
  method: 'POST',
  path: '/messages',
  headers: { 'content-type': 'application/json', 'content-length': '200' },
  body: '{"text":"a message that never',
});
const LEAVES = [
  { how: 'reset', note: 'then kill the client (a reset) after about 100 ms' },
  { how: 'halfClose', note: 'then close its side (Ctrl-D) after about 100 ms' },
] as const;
const SENT = LEAVES.map((leave) => ncLine(UPLOAD, leave.note));
const TWO_ABANDONED_LINES = /POST \/messages abandoned after \d+ ?ms[\s\S]*POST \/messages abandoned after \d+ ?ms/;
/** What an upload failure logged as a server bug looks like: the error's name or a stack frame. */
const LOGGED_AS_FAILURE = /Error: aborted|ECONNRESET|^\s+at .+:\d+:\d+\)?\s*$/m;

/** Resolves once the server has received `count` requests for POST /messages. */
async function untilUploads(server: RunningServer, count: number): Promise<void> {
  const deadline = performance.now() + scaled(3000);
  while (server.receivedRequests.filter((r) => r.url === '/messages').length < count) {
    if (performance.now() > deadline) {
      fail({
        sent: SENT.slice(0, count),
        expected: 'the server to start handling POST /messages',
        got: `no sign of the request ${scaled(3000)} ms after it was sent`,
        means: 'the server is not reading new requests: something blocks the event loop, or an earlier request broke it',
        serverOutput: server.tail(),
      });
    }
    await delay(10);
  }
}

check({ id: 'aborted-upload', group: 'client-gone', title: 'a client that leaves mid-upload is counted and logged as abandoned, gets no write, and is not logged as a failure' }, async () => {
  const server = await start();
  const before = await readStats(server);
  for (const [index, leave] of LEAVES.entries()) {
    const conn = await openRaw(server);
    await conn.write(UPLOAD);
    await untilUploads(server, index + 1);
    await delay(100);
    if (leave.how === 'reset') conn.reset();
    else conn.halfClose();
    await delay(50);
    conn.destroy();
  }
  const { stats, held, polls } = await pollStats(server, (s) => s.abandoned - before.abandoned >= 2, scaled(1000));
  const exit = server.exit;
  if (exit) {
    fail({
      sent: SENT,
      expected: 'the server to keep running when a client leaves in the middle of its body',
      got: `the server process ${describeExit(exit)}`,
      means: 'the body read rejected ("aborted") and the error escaped: keep phase 02\'s try/catch around the read loop',
      serverOutput: server.tail(),
    });
  }
  if (!held || stats.abandoned - before.abandoned !== 2) {
    fail({
      sent: SENT,
      expected: 'abandoned +2 in GET /stats: each upload ended without a complete response',
      got: `abandoned ${before.abandoned} → ${stats.abandoned} (${polls} GET /stats in between)`,
      means: "count every request once, in res.once('close'): the close of a response whose client left mid-upload comes with res.writableFinished false",
      serverOutput: tailWithoutStats(server),
    });
  }
  // The count is in; the log lines may still be on their way through the pipe.
  await server.proc.waitForOutput(TWO_ABANDONED_LINES, scaled(1000));
  const lines = server.proc.output.match(/POST \/messages abandoned after \d+ ?ms/g) ?? [];
  if (lines.length !== 2) {
    fail({
      sent: SENT,
      expected: 'two log lines like "POST /messages abandoned after 104ms"',
      got: `${lines.length} such line${lines.length === 1 ? '' : 's'} in the server output (below)`,
      means: 'log in the close handler that counts: "<METHOD> <url> abandoned after <n>ms" when res.writableFinished is false, whatever the route',
      serverOutput: tailWithoutStats(server),
    });
  }
  // Time for a boundary that answers anyway, or logs the failure, to do it.
  await delay(200);
  const late = lateWritesFor(server, '/messages');
  if (late.length > 0) {
    fail({
      sent: SENT,
      expected: 'no writeHead(), write() or end() on a response whose client left mid-upload',
      got: describeLateWrite(late[0]!),
      means: 'the error boundary answered the cut-off upload (a 400 or a 500) after the connection had closed: return first when res.destroyed && !res.writableFinished',
      serverOutput: tailWithoutStats(server),
    });
  }
  const logged = LOGGED_AS_FAILURE.exec(server.proc.output);
  if (logged) {
    fail({
      sent: SENT,
      expected: 'only the "abandoned" log lines: a client hanging up mid-upload is not a failure of the server',
      got: `the line "${logged[0].trim()}" in the server output (below)`,
      means:
        'the body read\'s "aborted" error reached the boundary and was logged as a bug: turn it into a client error where the body is read (phase 02: catch the read loop\'s rejection, throw HttpError(400)), and when the client is gone log only errors that are neither client errors nor cancellations',
      serverOutput: tailWithoutStats(server),
    });
  }
});
