// A deadline is a reason to stop the work, not only a reason to answer. A timer that
// sends a 503 while store.buildReport runs on leaves the server doing work for a
// response that has already been given: /stats shows it in reportsRunning.
import { send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { DEADLINE_ENV, DEADLINE_MS, pollStats, randomInt, tailWithoutStats } from './_lifecycle.ts';

const start = useServers();

check({ id: 'deadline-cancels', group: 'one-final-response', title: `a report past its deadline stops its downstream work (reportsRunning back to 0)` }, async () => {
  const server = await start({ env: DEADLINE_ENV });
  const ms = randomInt(1500, 2000);
  const sentAt = performance.now();
  const answer = await send(server, { path: `/report?ms=${ms}` }, `status 503 about ${DEADLINE_MS} ms after the request`, {
    headersWithinMs: scaled(1500),
  });
  const sent = [`cd 07-request-lifecycle && REPORT_TIMEOUT_MS=${DEADLINE_MS} npx tsx main.ts`, answer.curl, 'curl -s http://localhost:3000/stats   (right after the 503)'];
  if (answer.status !== 503) {
    fail({
      sent,
      expected: `status 503 at the ${DEADLINE_MS} ms deadline (the report itself takes ${ms} ms)`,
      got: summarize(answer),
      means: 'the deadline must cancel the report: build AbortSignal.timeout(reportTimeoutMs()), pass it to store.buildReport, and turn its abort into one 503',
    });
  }
  // The uncancelled report would run until `ms`; leave a margin before that moment.
  const elapsed = performance.now() - sentAt;
  const windowMs = Math.round(Math.min(600, Math.max(150, ms - elapsed - 200)));
  const { stats, held } = await pollStats(server, (s) => s.reportsRunning === 0, windowMs);
  if (!held) {
    fail({
      sent,
      expected: `reportsRunning 0 within ${windowMs} ms of the 503`,
      got: `/stats still showed reportsRunning ${stats.reportsRunning} ${windowMs} ms after the 503, while the ${ms} ms report went on`,
      means: 'the 503 was sent but the report was not cancelled: the signal given to store.buildReport must abort when the deadline passes, not only a timer that answers',
      serverOutput: tailWithoutStats(server),
    });
  }
});
