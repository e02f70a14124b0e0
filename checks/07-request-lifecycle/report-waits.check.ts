// The baseline for everything else in this phase: a report the client waits for really
// waits ?ms= milliseconds and answers once, and a bad ?ms= is refused before any work.
// It pins the route's normal behaviour, so no cancellation check can be passed by a
// route that never waits.
import { jsonErrorOf, parseJson, send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { randomInt } from './_lifecycle.ts';

const start = useServers();
const BAD_VALUES = ['abc', '-5', '1.5', '30001'];

check({ id: 'report-waits', group: 'client-gone', title: 'a report the client waits for answers 200 with waitedMs, and a bad ?ms= is a 400' }, async () => {
  const server = await start();
  const ms = randomInt(150, 300);
  const answer = await send(server, { path: `/report?ms=${ms}` }, `status 200 with {"waitedMs":${ms},...} after about ${ms} ms`, {
    headersWithinMs: ms + 2000,
  });
  const json = parseJson(answer.text);
  const body = json.ok && typeof json.value === 'object' && json.value !== null ? (json.value as Record<string, unknown>) : {};
  const type = String(answer.headers['content-type'] ?? '');
  if (answer.status !== 200 || !type.startsWith('application/json') || body.waitedMs !== ms || typeof body.messageCount !== 'number') {
    fail({
      sent: answer.curl,
      expected: `status 200, content-type application/json, body {"waitedMs":${ms},"messageCount":<number>} (what store.buildReport returns)`,
      got: summarize(answer),
      means: 'GET /report must call store.buildReport(ms, signal) with the ?ms= value and send its result with sendJson',
      serverOutput: server.tail(),
    });
  }
  if (answer.totalMs < ms - 5) {
    fail({
      sent: answer.curl,
      expected: `the answer after the ${ms} ms report, not before`,
      got: `the answer after ${answer.totalMs} ms`,
      means: 'the route answers without waiting for store.buildReport: await it',
    });
  }
  for (const bad of BAD_VALUES) {
    const refused = await send(server, { path: `/report?ms=${bad}` }, `status 400 for ?ms=${bad}`, { headersWithinMs: scaled(1000) });
    if (refused.status !== 400 || jsonErrorOf(refused) === undefined) {
      fail({
        sent: refused.curl,
        expected: 'status 400 with a JSON error body, before any waiting',
        got: summarize(refused),
        means: '?ms= must be a whole number from 0 to 30000: check it (readReportMs) before the report starts',
      });
    }
  }
});
