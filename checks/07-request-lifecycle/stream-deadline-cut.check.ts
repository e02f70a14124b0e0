// Once the 200 and the first line are on the wire, no status can describe a failure any
// more. Ending the body (with or without an "error" line) makes a truncated report look
// complete; the only honest signal left is to cut the connection: the body then ends
// without its terminating zero-size chunk, and every HTTP client reports an error.
import { describeExit } from '../_client/http.ts';
import { ncLine, openRaw, rawRequest } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { DEADLINE_ENV, DEADLINE_MS, delay, describeLateWrite, lateWritesFor, randomInt, readStats } from './_lifecycle.ts';

const start = useServers();

check({ id: 'stream-deadline-cut', group: 'committed-response', title: 'a streamed report past its deadline is cut, not ended with an error line' }, async () => {
  const server = await start({ env: DEADLINE_ENV });
  // How long the report would take. The verdict rests on the cut coming well before that,
  // so on a busy machine (where seeing the cut can lag) the report is made longer, never
  // the deadline.
  const ms = scaled(randomInt(900, 1300), { atMostMs: 8000 });
  const url = `/report/stream?ms=${ms}`;
  const bytes = rawRequest({ path: url });
  const sent = [`cd 07-request-lifecycle && REPORT_TIMEOUT_MS=${DEADLINE_MS} npx tsx main.ts`, `curl -N -i 'http://localhost:3000${url}'   (expect "curl: (18)" after the first line)`];
  const expected = `status 200 and the first line, then the connection cut at the ${DEADLINE_MS} ms deadline: no terminating chunk, no "done" line, no second status line`;
  const conn = await openRaw(server);
  try {
    await conn.write(bytes);
    const ended = await conn.response(0, ms + scaled(500));
    if (!ended.ok) {
      fail({ sent, expected, got: ended.got, means: 'the stream neither ended nor was cut at the deadline: the deadline must abort the report (AbortSignal.timeout passed to store.buildReport)', serverOutput: server.tail() });
    }
    const response = ended.value;
    const body = response.body.toString('utf8');
    if (response.status !== 200 || !body.includes('"started"')) {
      fail({ sent, expected, got: `${conn.describeReceived()}: ${JSON.stringify(body.slice(0, 200))}`, means: 'the stream must commit its 200 and the first line before the wait', serverOutput: server.tail() });
    }
    if (response.complete || body.includes('"done"') || conn.responses.length > 1 || /HTTP\/1\.1 5\d\d/.test(conn.received)) {
      fail({
        sent,
        expected,
        got: `the stream ended normally ${response.completeAtMs ?? '?'} ms after the request, with body ${JSON.stringify(body.slice(0, 200))}${conn.responses.length > 1 ? ' and then a second status line' : ''}`,
        means: ranToItsEnd(response.completeAtMs, body, ms)
          ? `the report ran to its end: nothing stopped it at the ${DEADLINE_MS} ms deadline. Give store.buildReport an AbortSignal.timeout(reportTimeoutMs()) combined with the client-gone signal, as for the plain report, and cut the stream (res.destroy()) when it fires`
          : 'after headersSent, the boundary ended the body (res.end) or the route wrote an error line: a truncated report now looks complete. Call res.destroy() instead',
        serverOutput: server.tail(),
      });
    }
    const closedAt = conn.closedAtMs ?? Number.NaN;
    if (!(closedAt >= DEADLINE_MS - 50 && closedAt < ms)) {
      fail({ sent, expected, got: `the connection closed ${closedAt} ms after the request (the report takes ${ms} ms)`, means: 'the cut must come from the deadline, while the report is still running', serverOutput: server.tail() });
    }
  } finally {
    conn.destroy();
  }
  const exit = await server.proc.waitForExit(scaled(200));
  if (exit) {
    fail({ sent, expected: 'the server to keep running after cutting one stream', got: `the server process ${describeExit(exit)}`, means: 'the boundary tried to send a status after headers were sent (ERR_HTTP_HEADERS_SENT) and that error escaped: check res.headersSent first, and only res.destroy() then', serverOutput: server.tail() });
  }
  await delay(ms + 300 - conn.now());
  const stats = await readStats(server);
  const late = lateWritesFor(server, url);
  if (stats.reportsRunning !== 0 || late.length > 0) {
    fail({
      sent,
      expected: 'after the cut: reportsRunning 0 and no write to the cut response',
      got: late.length > 0 ? describeLateWrite(late[0]!) : `reportsRunning ${stats.reportsRunning} after the report's full length`,
      means: 'the report kept running after the deadline and wrote (or tried to) when it ended: the deadline must cancel the work, not only the response',
      serverOutput: server.tail(),
    });
  }
});

/** A stream that ended with its "done" line after the report's whole length: no deadline ever fired. */
function ranToItsEnd(completeAtMs: number | undefined, body: string, ms: number): boolean {
  return completeAtMs !== undefined && completeAtMs >= ms - 50 && body.includes('"done"');
}
