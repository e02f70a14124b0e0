// A client that keeps its connection open (HTTP/1.1 keep-alive, the default) and does not
// hang up just because its response came. close() closes connections that are idle when it
// runs, but one that was busy then turns idle only after its response, and close() waits
// for it: without a sweep (or `connection: close` while draining) the process hangs on
// until the server's keep-alive timeout, about 5 s later.
import { describeExit } from '../_client/http.ts';
import { openRaw, rawRequest } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { drainSteps, inFlight, ON_WINDOWS, SLOW_MS, WINDOWS_NOTE } from './_drain.ts';
import { exitStep, Timeline, withTimeline } from './_timeline.ts';

/** A correct server exits within ~100 ms of the response; Node's keep-alive timeout is 5 s. */
const PROMPT_EXIT_MS = 1500;
/**
 * Stretched on a busy machine, but never to the 5 s keep-alive timeout: past it, a server
 * without a sweep exits "promptly" too, because Node itself drops the idle connection.
 */
const promptExitMs = (): number => scaled(PROMPT_EXIT_MS, { atMostMs: 3500 });
const start = useServers();

const held = once(async () => {
  const server = await start({ env: { SLOW_MS: String(SLOW_MS) } });
  const sent = [
    ...drainSteps(server, 'kill -TERM <pid of the server> (while /slow is running)').slice(0, 1),
    'curl -i http://localhost:3000/messages http://localhost:3000/slow   (one keep-alive connection, kept open afterwards)',
    'kill -TERM <pid of the server> (while /slow is running)',
  ];
  // The client keeps one connection and leaves it open, the way a browser or an HTTP
  // agent's pool does: a first request, then /slow on the same connection.
  const openedAt = performance.now(); // the connection's own times (closedAtMs...) count from here
  const conn = await openRaw(server, { lifetimeMs: 60_000 });
  const timeline = new Timeline();
  try {
    await conn.write(rawRequest({ path: '/messages' }));
    const first = await conn.response(0, scaled(2000));
    if (!first.ok) fail({ sent, expected: 'status 200 from GET /messages', got: first.got, means: 'the server does not answer a keep-alive request', serverOutput: server.tail() });
    timeline.mark('GET /slow sent on the same connection');
    await conn.write(rawRequest({ path: '/slow' }));
    timeline.mark('request in the server', await inFlight(server, '/slow', sent));
    timeline.mark('SIGTERM');
    server.signal('SIGTERM');
    const slow = await conn.response(1, scaled(SLOW_MS + 3000));
    const answeredAt = performance.now();
    timeline.mark(slow.ok ? `/slow answered ${slow.value.status}` : '/slow: no complete answer', answeredAt);
    const limit = promptExitMs();
    const exit = await server.proc.waitForExit(limit);
    const lagMs = exit ? Math.max(0, Math.round(server.proc.startedAt + exit.afterMs - answeredAt)) : undefined;
    if (exit) timeline.mark(exitStep(exit), server.proc.startedAt + exit.afterMs);
    else timeline.mark('still running (stopped waiting)');
    if (conn.serverEndedAtMs !== undefined) timeline.mark('the server closed the connection', openedAt + conn.serverEndedAtMs);
    else if (conn.closedAtMs !== undefined) timeline.mark('the connection closed', openedAt + conn.closedAtMs);
    return { server, sent, slow, exit, lagMs, limit, serverClosedConnection: conn.isClosed, timeline };
  } finally {
    conn.destroy();
  }
});

check({ id: 'keepalive-drain', group: 'sigterm-drain', title: 'a keep-alive client that keeps its connection open does not hold the exit after its response' }, async (ctx) => {
  if (ON_WINDOWS) ctx.skip(WINDOWS_NOTE);
  const { server, sent, slow, exit, lagMs, limit, serverClosedConnection, timeline } = await held();
  if (!slow.ok || slow.value.status !== 200) {
    fail({
      sent,
      expected: `status 200 for /slow on the kept-open connection, about ${SLOW_MS} ms after the request`,
      got: withTimeline(slow.ok ? `status ${slow.value.status} ${slow.value.reason}` : slow.got, timeline),
      means: 'a request in flight on a keep-alive connection must be finished too: only exit once server.close() has drained',
      serverOutput: server.tail(),
    });
  }
  if (!exit || exit.code !== 0) {
    fail({
      sent,
      expected: `exit code 0 within ${limit} ms of the /slow response, although the client has not closed its connection`,
      got: withTimeline(
        exit
          ? `the process ${describeExit(exit)} (${lagMs} ms after the response)`
          : `still running ${limit} ms after the response; the connection was ${serverClosedConnection ? 'closed' : 'still open, the server had not closed it'}`,
        timeline,
      ),
      means: exit
        ? 'a clean drain ends with exit code 0'
        : 'close() closed the connections that were idle when it ran, but this one was busy then and turned idle only after its response: close() now waits for it until the keep-alive timeout. Call server.closeIdleConnections() again while draining (every 100 ms or so), or answer with connection: close once shutdown has begun',
      serverOutput: server.tail(),
    });
  }
});
