// SIGTERM is how a supervisor (systemd, Docker, Kubernetes) asks a server to stop.
// A graceful server stops accepting, finishes what is in flight, then exits 0.
import { describeExit, parseJson, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { describeMs } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { drainScenario, drainSteps, ON_WINDOWS, SLOW_MS, WINDOWS_NOTE } from './_drain.ts';
import { withTimeline } from './_timeline.ts';

const start = useServers();
const STEP = 'kill -TERM <pid of the server> (while /slow is running)';
const drained = once(async () => {
  const server = await start({ env: { SLOW_MS: String(SLOW_MS) } });
  const sent = drainSteps(server, STEP);
  return { ...(await drainScenario(server, 'SIGTERM', sent)), sent };
});

check({ id: 'sigterm-drain/a-request-in-flight-when-sigterm-arrives-still-gets-its-full', group: 'sigterm-drain', title: 'a request in flight when SIGTERM arrives still gets its full response' }, async (ctx) => {
  if (ON_WINDOWS) ctx.skip(WINDOWS_NOTE);
  const { slow, exit, timeline, sent: SENT } = await drained();
  const body = parseJson(slow.body.toString('utf8'));
  const sleptMs = body.ok ? (body.value as { sleptMs?: unknown } | null)?.sleptMs : undefined;
  if (!slow.complete || slow.status !== 200 || typeof sleptMs !== 'number') {
    fail({
      sent: SENT,
      expected: `status 200 and {"sleptMs":${SLOW_MS}} about ${SLOW_MS} ms after the request, signal or not`,
      got: withTimeline(slow.complete ? summarize(slow) : `${slow.problem!.got}${exit && !slow.serverExit ? `; the server ${describeExit(exit)}` : ''}`, timeline),
      means: exit?.signal
        ? 'there is no SIGTERM handler, so the signal kills the process mid-response: handle it with server.close()'
        : 'the process exited while a request was still running: call process.exit only once server.close() reports that it has drained',
    });
  }
});

check({ id: 'sigterm-drain/new-connections-are-refused-as-soon-as-sigterm-arrives', group: 'sigterm-drain', title: 'new connections are refused as soon as SIGTERM arrives' }, async (ctx) => {
  if (ON_WINDOWS) ctx.skip(WINDOWS_NOTE);
  const { refusedAfterSignal, timeline, sent: SENT } = await drained();
  if (!refusedAfterSignal) {
    fail({
      sent: [...SENT, 'curl -i http://localhost:3000/messages (right after the signal)'],
      expected: 'connection refused for new connections once the signal has arrived',
      got: withTimeline(`new connections were still accepted after SIGTERM, for as long as /slow was running`, timeline),
      means: 'server.close() was not called when the signal arrived: it is what stops the server accepting',
    });
  }
});

check({ id: 'sigterm-drain/the-process-exits-with-code-0-right-after-the-last-response-', group: 'sigterm-drain', title: 'the process exits with code 0 right after the last response (idle keep-alive connections do not hold it)' }, async (ctx) => {
  if (ON_WINDOWS) ctx.skip(WINDOWS_NOTE);
  const { server, exit, exitLagMs, exitWithinMs, timeline, sent: SENT } = await drained();
  if (!exit || exit.code !== 0) {
    fail({
      sent: SENT,
      expected: `exit code 0 within ${describeMs(exitWithinMs)} of the last response`,
      got: withTimeline(
        exit ? `the process ${describeExit(exit)} (${exitLagMs} ms after the last response)` : `still running ${exitWithinMs} ms after the last response, with an idle keep-alive connection open`,
        timeline,
      ),
      means: exit
        ? 'a clean drain ends with exit code 0; a non-zero code (or death by signal) tells the supervisor something went wrong'
        : 'something keeps the event loop alive after close(): an idle keep-alive connection (server.closeIdleConnections()), or a timer or interval that is not unref()ed',
      serverOutput: server.tail(),
    });
  }
});
