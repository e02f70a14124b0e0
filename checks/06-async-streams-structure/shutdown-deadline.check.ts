// A request that never finishes must not hold a shutdown forever: after
// SHUTDOWN_TIMEOUT_MS the server gives up, says so in its log, and exits non-zero.
import { describe, test } from 'vitest';
import { fail } from '../_harness/failures.ts';
import { attempt, describeExit } from '../_harness/http.ts';
import { once } from '../_harness/once.ts';
import { useServers } from '../_harness/start-server.ts';
import { inFlight, ON_WINDOWS, WINDOWS_NOTE } from './_drain.ts';

const TIMEOUT_MS = 500;
const GRACE_MS = 2500;
const start = useServers();
const SENT = [`SLOW_MS=600000 SHUTDOWN_TIMEOUT_MS=${TIMEOUT_MS} npx tsx main.ts`, 'curl -i http://localhost:3000/slow', 'kill -TERM <pid of the server> (while /slow is running)'];

const stuck = once(async () => {
  const server = await start({ env: { SLOW_MS: '600000', SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS) } });
  const neverEnds = attempt(server, { path: '/slow' }, { headersWithinMs: TIMEOUT_MS + GRACE_MS + 1000 });
  await inFlight(server, '/slow');
  const outputBefore = server.proc.output.length;
  server.signal('SIGTERM');
  const exit = await server.proc.waitForExit(TIMEOUT_MS + GRACE_MS);
  await neverEnds;
  return { server, exit, logAfterSignal: server.proc.output.slice(outputBefore) };
});

describe('sigterm-drain', () => {
  test(`a request that never finishes does not block shutdown: exit code 1 after SHUTDOWN_TIMEOUT_MS`, async (ctx) => {
    if (ON_WINDOWS) ctx.skip(WINDOWS_NOTE);
    const { server, exit } = await stuck();
    if (!exit || exit.code === null || exit.code === 0) {
      fail({
        sent: SENT,
        expected: `the process to give up and exit with a non-zero code (1) about ${TIMEOUT_MS} ms after SIGTERM`,
        got: exit ? `the process ${describeExit(exit)}` : `still running ${TIMEOUT_MS + GRACE_MS} ms after SIGTERM`,
        means: !exit
          ? 'nothing bounds the drain: start a timer of SHUTDOWN_TIMEOUT_MS when the signal arrives that exits with code 1 (and unref() it)'
          : exit.signal
            ? 'there is no SIGTERM handler: the signal kills the process'
            : 'exit code 0 claims a clean drain, but a request was cut: use a non-zero code when the deadline forces the exit',
        serverOutput: server.tail(),
      });
    }
  });

  test('the forced exit is logged', async (ctx) => {
    if (ON_WINDOWS) ctx.skip(WINDOWS_NOTE);
    const { logAfterSignal } = await stuck();
    if (!/time[sd]?[ -]?out|deadline|forc|gave up|giving up/i.test(logAfterSignal)) {
      fail({
        sent: SENT,
        expected: 'a log line such as "shutdown timed out after 700 ms, exiting"',
        got: logAfterSignal.trim() ? `this output after the signal:\n${logAfterSignal.trim().split('\n').slice(-8).join('\n')}` : 'no output after the signal',
        means: 'a forced exit cuts requests off: whoever reads the logs needs to know it happened',
      });
    }
  });
});
