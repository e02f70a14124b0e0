// The baseline for "after the first byte": a streamed report that finishes in time
// sends its first line at once (that is the point of streaming) and ends with the
// terminating zero-size chunk. It pins what a correct stream looks like, so the cut in
// the deadline check means something.
import { ncLine, openRaw, rawRequest, type RawResponse } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { randomInt, readStats, jsonObject } from './_lifecycle.ts';

const start = useServers();

check({ id: 'stream-completes', group: 'committed-response', title: 'a streamed report sends its first line at once and ends properly when it finishes in time' }, async () => {
  const server = await start();
  // Longer on a busy machine, so "the first line at once" keeps its margin; at most 4 s,
  // inside the server's default 5 s report deadline.
  const ms = scaled(randomInt(1000, 1300), { atMostMs: 4000 });
  const bytes = rawRequest({ path: `/report/stream?ms=${ms}` });
  const sent = ncLine(bytes);
  await readStats(server); // warm-up: the first request to a cold server can be slow on a busy machine
  const conn = await openRaw(server);
  let response: RawResponse;
  try {
    const written = await conn.write(bytes);
    const waitMs = ms + scaled(1500);
    const waited = await conn.response(0, waitMs);
    if (!waited.ok || !waited.value.complete) {
      fail({
        sent,
        expected: `status 200, a first line at once, then {"done":true,...} and the end of the body after ~${ms} ms`,
        got: waited.ok ? `${waited.value.cut ?? `the body never ended (no terminating zero-size chunk within ${waitMs} ms)`}; received: ${JSON.stringify(waited.value.body.toString('utf8').slice(0, 200))}` : waited.got,
        means: 'the last line must be written with res.end(...): write() leaves the response open and the client waiting',
        serverOutput: server.tail(),
      });
    }
    response = waited.value;
    const firstLineAt = arrivalOfFirstLine(response) - written.atMs;
    const text = response.body.toString('utf8');
    const lines = text.split('\n').filter(Boolean).map((line) => jsonObject(line));
    const [firstLine, lastLine] = [lines[0], lines.at(-1)];
    const problems = [
      response.status !== 200 && `status ${response.status}`,
      !/^application\/x-ndjson/.test(response.headers['content-type'] ?? '') && `content-type ${response.headers['content-type'] ?? 'missing'}`,
      !(firstLine?.started === true && firstLine.ms === ms) && 'the first line is not {"started":true,"ms":N}',
      !(lastLine?.done === true && lastLine.waitedMs === ms && typeof lastLine.messageCount === 'number') && 'the last line is not {"done":true,"waitedMs":N,"messageCount":n}',
      !(firstLineAt < ms - 500) && `the first line arrived after ${firstLineAt} ms, not at once (buffered until the report was done?)`,
    ].filter(Boolean);
    if (problems.length > 0) {
      fail({
        sent,
        expected: `200 application/x-ndjson; {"started":true,"ms":${ms}} at once; {"done":true,"waitedMs":${ms},"messageCount":<n>} at the end`,
        got: `${problems.join('; ')}. Body: ${JSON.stringify(text.slice(0, 200))}`,
        means: 'writeHead(200) and the first line go out before the wait; the done line is the argument of res.end()',
        serverOutput: server.tail(),
      });
    }
  } finally {
    conn.destroy();
  }
});

/** When the body's first newline arrived (ms since the connection opened). */
function arrivalOfFirstLine(response: RawResponse): number {
  const newline = response.body.indexOf('\n');
  let seen = 0;
  for (const chunk of response.chunks) {
    seen += chunk.bytes;
    if (seen > newline) return chunk.atMs;
  }
  return response.completeAtMs ?? Number.POSITIVE_INFINITY;
}
