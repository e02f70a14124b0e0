// Every request is counted once, when its response closes: 'finish' never fires for a
// client that left, so a server that counts there never sees the abandoned ones (and
// one that counts on both counts some twice). The log says the same thing in words.
import { ncLine, openRaw, rawRequest } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { delay, escapeRegExp, pollStats, randomInt, readStats, untilHandling, tailWithoutStats } from './_lifecycle.ts';

const start = useServers();

check({ id: 'abandoned-counted', group: 'client-gone', title: 'a client that leaves is counted once, as abandoned, and logged as abandoned' }, async () => {
  const server = await start();
  const ms = randomInt(1500, 2000);
  const url = `/report?ms=${ms}`;
  const bytes = rawRequest({ path: url });
  const sent = [ncLine(bytes, 'then press Ctrl-C after about 200 ms'), 'curl -s http://localhost:3000/stats'];
  const before = await readStats(server);
  const conn = await openRaw(server);
  await conn.write(bytes);
  await untilHandling(server, url, sent);
  await delay(200);
  conn.destroy();
  const { stats, held, polls } = await pollStats(server, (s) => s.abandoned > before.abandoned, scaled(1000));
  const got = `abandoned ${before.abandoned} → ${stats.abandoned}, completed ${before.completed} → ${stats.completed} (${polls} GET /stats in between)`;
  const expected = `abandoned +1; completed +${polls} (only the /stats requests: the abandoned report is not completed)`;
  // Each earlier /stats has finished before the next is sent; allow the last one's close to lag.
  const completedDelta = stats.completed - before.completed;
  if (!held || stats.abandoned - before.abandoned !== 1 || completedDelta > polls || completedDelta < polls - 1) {
    fail({
      sent,
      expected,
      got,
      means: !held
        ? "the request is never counted as abandoned: count in res.once('close'), where res.writableFinished tells a finished response from one whose client left ('finish' never fires for those)"
        : 'some request is counted twice, or as the wrong outcome: count once per request, in the close handler',
      serverOutput: tailWithoutStats(server),
    });
  }
  const logged = await server.proc.waitForOutput(new RegExp(`GET ${escapeRegExp(url)} abandoned after (\\d+) ?ms`), scaled(500));
  if (!logged) {
    fail({
      sent,
      expected: `a log line like "GET ${url} abandoned after 212ms"`,
      got: 'no such line in the server output (below)',
      means: 'log in the same close handler that counts: "<METHOD> <url> abandoned after <n>ms" when res.writableFinished is false',
      serverOutput: tailWithoutStats(server),
    });
  }
  // Past the report's full length: an uncancelled report must not be counted or logged again.
  await delay(ms + 200 - conn.now());
  const after = await readStats(server);
  const answeredLine = new RegExp(`GET ${escapeRegExp(url)} \\d{3} `).exec(server.proc.output);
  if (after.abandoned - before.abandoned !== 1 || answeredLine) {
    fail({
      sent,
      expected: `the abandoned report counted and logged once, and never as answered`,
      got: answeredLine ? `the log line "${answeredLine[0].trim()}…" as well` : `abandoned grew to +${after.abandoned - before.abandoned} by the time the report would have ended`,
      means: 'the request was counted and logged again when its report finished: count and log in one place, once per request',
      serverOutput: tailWithoutStats(server),
    });
  }
});
