// A deadline answers the client once, with a 503, and that is the request's only final
// response: nothing follows it on the connection (a second status line would be read
// as the answer to the client's NEXT request), and the keep-alive connection stays usable.
import { ncLine, openRaw, rawRequest } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { DEADLINE_ENV, DEADLINE_MS, delay, describeLateWrite, lateWritesFor, randomInt, jsonObject } from './_lifecycle.ts';

const start = useServers();

check({ id: 'deadline-503-once', group: 'one-final-response', title: 'a report past its deadline gets exactly one 503, and the connection stays usable' }, async () => {
  const server = await start({ env: DEADLINE_ENV });
  const ms = randomInt(900, 1300);
  const url = `/report?ms=${ms}`;
  const bytes = rawRequest({ path: url });
  const sent = [`cd 07-request-lifecycle && REPORT_TIMEOUT_MS=${DEADLINE_MS} npx tsx main.ts`, ncLine(bytes, `keep the connection open past ${ms} ms`)];
  const conn = await openRaw(server);
  try {
    await conn.write(bytes);
    const first = await conn.response(0, scaled(1500));
    const json = first.ok ? jsonObject(first.value.body.toString('utf8')) : undefined;
    if (!first.ok || first.value.status !== 503 || !first.value.complete || !/^application\/json/.test(first.value.headers['content-type'] ?? '') || typeof json?.error !== 'string') {
      fail({
        sent,
        expected: `status 503 with a JSON error body at the ${DEADLINE_MS} ms deadline (the report itself takes ${ms} ms)`,
        got: first.ok ? `${first.value.status} ${first.value.reason}, ${first.value.headers['content-type'] ?? 'no content-type'}: ${first.value.body.toString('utf8').slice(0, 120)}` : first.got,
        means: 'pass an AbortSignal.timeout(reportTimeoutMs()) (combined with the client-gone signal) to store.buildReport, and turn its abort into one HttpError(503)',
        serverOutput: server.tail(),
      });
    }
    // Past the moment an uncancelled report would have finished and answered again.
    await delay(ms + 300 - conn.now());
    const late = lateWritesFor(server, url);
    const extra = conn.responses.length > 1 || conn.protocolError !== undefined;
    if (late.length > 0 || extra || conn.isClosed) {
      fail({
        sent,
        expected: `the 503 at ~${DEADLINE_MS} ms, then nothing more on the connection, which stays open for the next request`,
        got: late.length > 0 ? `a second answer for the same request: ${describeLateWrite(late[0]!)}` : extra ? `more bytes after the 503: ${conn.describeReceived()}` : `the server closed the connection ${conn.closedAtMs} ms after the request`,
        means: 'the report kept running after the 503 and its end (or a catch-all) answered again. One final response per request: when the deadline answers, the work must stop and nothing else may write',
        serverOutput: server.tail(),
      });
    }
    await conn.write(rawRequest({ path: '/stats' }));
    const second = await conn.response(1, scaled(1000));
    if (!second.ok || second.value.status !== 200) {
      fail({ sent: [...sent, ncLine(rawRequest({ path: '/stats' }), 'on the same connection')], expected: 'status 200 for GET /stats on the same connection', got: second.ok ? conn.describeReceived() : second.got, means: 'the connection was left unusable after the 503', serverOutput: server.tail() });
    }
  } finally {
    conn.destroy();
  }
  if (/ERR_HTTP_HEADERS_SENT|ERR_STREAM_WRITE_AFTER_END/.test(server.proc.output)) {
    fail({ sent, expected: 'no ERR_HTTP_HEADERS_SENT or ERR_STREAM_WRITE_AFTER_END in the output', got: 'one of them (below)', means: 'something tried to answer a request that already had its 503', serverOutput: server.tail() });
  }
});
