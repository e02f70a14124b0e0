// Ctrl+C in a terminal sends SIGINT. It deserves the same graceful drain as SIGTERM.
import { describeExit, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { describeMs } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { drainScenario, drainSteps, ON_WINDOWS, SLOW_MS, WINDOWS_NOTE } from './_drain.ts';
import { withTimeline } from './_timeline.ts';

const start = useServers();
const STEP = 'Ctrl+C in the server terminal (kill -INT <pid>) while /slow is running';
const drained = once(async () => {
  const server = await start({ env: { SLOW_MS: String(SLOW_MS) } });
  const sent = drainSteps(server, STEP);
  return { ...(await drainScenario(server, 'SIGINT', sent)), sent };
});

check({ id: 'sigint-drain/sigint-ctrl-c-drains-too-the-request-in-flight-gets-its-full', group: 'sigterm-drain', title: 'SIGINT (Ctrl+C) drains too: the request in flight gets its full response' }, async (ctx) => {
  if (ON_WINDOWS) ctx.skip(WINDOWS_NOTE);
  const { slow, exit, timeline, sent: SENT } = await drained();
  if (!slow.complete || slow.status !== 200) {
    fail({
      sent: SENT,
      expected: `status 200 and {"sleptMs":${SLOW_MS}}, even though SIGINT arrived meanwhile`,
      got: withTimeline(slow.complete ? summarize(slow) : `${slow.problem!.got}${exit && !slow.serverExit ? `; the server ${describeExit(exit)}` : ''}`, timeline),
      means: exit?.signal === 'SIGINT'
        ? 'only SIGTERM is handled: SIGINT still kills the process at once. Register the same shutdown for both signals'
        : 'the process exited while a request was still running: exit only once server.close() has drained',
    });
  }
});

check({ id: 'sigint-drain/after-sigint-the-process-exits-with-code-0-once-drained', group: 'sigterm-drain', title: 'after SIGINT the process exits with code 0 once drained' }, async (ctx) => {
  if (ON_WINDOWS) ctx.skip(WINDOWS_NOTE);
  const { server, exit, exitLagMs, exitWithinMs, timeline, sent: SENT } = await drained();
  if (!exit || exit.code !== 0) {
    fail({
      sent: SENT,
      expected: `exit code 0 within ${describeMs(exitWithinMs)} of the last response`,
      got: withTimeline(exit ? `the process ${describeExit(exit)} (${exitLagMs} ms after the last response)` : `still running ${exitWithinMs} ms after the last response`, timeline),
      means: exit?.signal === 'SIGINT' ? 'SIGINT has no handler, so it kills the process' : 'the SIGINT shutdown does not end in a clean exit',
      serverOutput: server.tail(),
    });
  }
});
