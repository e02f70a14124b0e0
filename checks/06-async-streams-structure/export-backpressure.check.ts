// A client that stops reading for a second: the socket's buffers fill and res.write()
// starts returning false. A server that waits for 'drain' (pipe/pipeline does) stays
// flat; one that keeps writing queues the whole file in memory. The client stays paused
// until the server's memory has stopped rising (at least 1 s), so the verdict does not
// depend on how fast a busy machine lets the server queue the file.
import { pauseAfterHeaders } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers, type RunningServer } from '../_harness/start-server.ts';
import { ensureBigJson } from './_big-json.ts';
import { checkMemory, growthDuring, peakOnceSettled } from './_export.ts';

const MIN_PAUSE_MS = 1000;
const start = useServers();
const paused = once(async () => {
  const big = await ensureBigJson();
  // Measured while the client is still paused: that is when ignored backpressure piles up.
  let pausedMs = MIN_PAUSE_MS;
  const settled = async (server: RunningServer) => {
    const settleStart = performance.now();
    const peak = await peakOnceSettled(server, { settleMs: scaled(500), withinMs: scaled(10_000, { atMostMs: 60_000 }) });
    pausedMs += performance.now() - settleStart;
    return peak;
  };
  const read = (server: RunningServer) =>
    pauseAfterHeaders(server, { path: '/export' }, { pauseMs: MIN_PAUSE_MS, headersWithinMs: scaled(5000), whilePaused: () => settled(server) });
  const measured = await growthDuring(start, big, read);
  return { big, pausedS: Math.round(pausedMs / 100) / 10, ...measured };
});

check({ id: 'export-backpressure', group: 'piping-big-json', title: 'memory stays flat when the client pauses reading for a second or more (backpressure)' }, async () => {
  const { big, server, outcome, growth, rss, pausedS } = await paused();
  if (outcome.problem || outcome.status !== 200) {
    fail({
      sent: outcome.curl,
      expected: 'status 200 and the file, to a client that pauses reading',
      got: outcome.problem?.got ?? `status ${outcome.status}`,
      means: outcome.problem?.means ?? 'see the first /export check: fix that one first',
      serverOutput: server.tail(),
    });
  }
  checkMemory(growth, big.bytes, outcome.curl, `to a client that paused reading for ${pausedS} s`, rss, 'from the request to the end of the pause');
});
