// A client that closes its connection mid-report will never read the answer. A server
// that only skips the final write still runs the whole report for nobody; the work
// itself must stop. /stats shows the work in flight as reportsRunning.
import { ncLine, openRaw, rawRequest } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { delay, pollStats, randomInt, tailWithoutStats } from './_lifecycle.ts';

const start = useServers();

check({ id: 'client-leaves-stops-work', group: 'client-gone', title: 'a report whose client leaves stops its downstream work right away, not when the report would have ended' }, async () => {
  const server = await start();
  const ms = randomInt(1500, 2000);
  const url = `/report?ms=${ms}`;
  const bytes = rawRequest({ path: url });
  const sent = [ncLine(bytes, 'then press Ctrl-C after a moment'), 'curl -s http://localhost:3000/stats'];
  const conn = await openRaw(server);
  try {
    await conn.write(bytes);
    const running = await pollStats(server, (s) => s.reportsRunning >= 1, scaled(2000));
    if (!running.held) {
      fail({
        sent: [ncLine(bytes), 'curl -s http://localhost:3000/stats   (while the report runs)'],
        expected: `reportsRunning 1 while the ${ms} ms report is being built`,
        got: `reportsRunning ${running.stats.reportsRunning} for 2 s after the request was sent`,
        means: 'GET /report must build the report with store.buildReport (which counts itself in reportsRunning), not wait some other way',
        serverOutput: tailWithoutStats(server),
      });
    }
    await delay(100);
  } finally {
    conn.destroy();
  }
  const leftAt = conn.now();
  // The uncancelled report would still be running until `ms`: stay well before that.
  const windowMs = Math.round(Math.min(800, Math.max(300, ms - leftAt - 300)));
  const stopped = await pollStats(server, (s) => s.reportsRunning === 0, windowMs);
  if (!stopped.held) {
    fail({
      sent,
      expected: `reportsRunning back to 0 soon after the client closed the connection (the report would take ${ms} ms)`,
      got: `the client closed its connection ${leftAt} ms after sending, and /stats still showed reportsRunning ${stopped.stats.reportsRunning} ${windowMs} ms later`,
      means: 'the report was not cancelled: checking whether the client is still there after the wait is too late. Pass clientGoneSignal(req, res) (combined with the deadline) to store.buildReport, so the wait itself stops',
      serverOutput: tailWithoutStats(server),
    });
  }
});
