// A client that stops reading for a second: the socket's buffers fill and res.write()
// starts returning false. A server that waits for 'drain' (pipe/pipeline does) stays
// flat; one that keeps writing queues the whole file in memory.
import { ensureBigJson } from './_big-json.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { pauseAfterHeaders } from '../_harness/http.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers, type RunningServer } from '../_harness/start-server.ts';
import { checkMemory, growthDuring } from './_export.ts';

const start = useServers();
const paused = once(async () => {
  const big = await ensureBigJson();
  // Measured while the client is still paused: that is when ignored backpressure piles up.
  const read = (server: RunningServer) =>
    pauseAfterHeaders(server, { path: '/export' }, { pauseMs: 1000, headersWithinMs: scaled(5000), whilePaused: () => server.peakRssBytes() });
  return { big, ...(await growthDuring(start, big, read)) };
});

check({ id: 'export-backpressure', group: 'piping-big-json', title: 'memory stays flat when the client pauses reading for 1 s (backpressure)' }, async () => {
  const { big, server, outcome, growth, rss } = await paused();
  if (outcome.problem || outcome.status !== 200) {
    fail({
      sent: outcome.curl,
      expected: 'status 200 and the file, to a client that pauses reading',
      got: outcome.problem?.got ?? `status ${outcome.status}`,
      means: outcome.problem?.means ?? 'see the first /export check: fix that one first',
      serverOutput: server.tail(),
    });
  }
  checkMemory(growth, big.bytes, outcome.curl, 'to a client that pauses reading for 1 s', rss, 'from the request to the end of the pause');
});
