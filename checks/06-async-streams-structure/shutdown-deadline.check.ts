// A request that never finishes must not hold a shutdown forever: after
// SHUTDOWN_TIMEOUT_MS the server gives up, says so in its log, and exits non-zero.
import { attempt, describeExit } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { answerStep, drainSteps, inFlight, ON_WINDOWS, WINDOWS_NOTE } from './_drain.ts';
import { exitStep, Timeline, withTimeline } from './_timeline.ts';

const TIMEOUT_MS = 500;
/** On top of the timeout, time for the exit to happen and be seen (stretched on a busy machine). */
const GRACE_MS = 2500;
const start = useServers();

const stuck = once(async () => {
  const server = await start({ env: { SLOW_MS: '600000', SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS) } });
  const sent = drainSteps(server, 'kill -TERM <pid of the server> (while /slow is running)');
  const graceMs = scaled(GRACE_MS);
  const timeline = new Timeline();
  const slowSentAt = timeline.mark('GET /slow sent');
  const neverEnds = attempt(server, { path: '/slow' }, { headersWithinMs: TIMEOUT_MS + graceMs + 1000 });
  timeline.mark('request in the server', await inFlight(server, '/slow', sent));
  const atSignal = server.proc.output.length;
  const signalAt = timeline.mark('SIGTERM');
  server.signal('SIGTERM');
  const exit = await server.proc.waitForExit(TIMEOUT_MS + graceMs);
  if (exit) timeline.mark(exitStep(exit), server.proc.startedAt + exit.afterMs);
  else timeline.mark('still running (stopped waiting)');
  const slow = await neverEnds;
  timeline.mark(answerStep('/slow', slow), slowSentAt + slow.totalMs);
  // Half the deadline: an exit well before it did not wait for the deadline at all.
  const exitedAtOnce = exit !== undefined && server.proc.startedAt + exit.afterMs - signalAt < TIMEOUT_MS / 2;
  return { server, exit, exitedAtOnce, graceMs, sent, logAfterSignal: server.proc.output.slice(atSignal), timeline };
});

/**
 * Words a forced-exit line uses, whoever wrote it: "shutdown timed out", "forcing exit",
 * "could not drain in time", "gave up on 1 request", "still running after 500 ms", "took longer
 * than 500 ms", "1 request stuck, bailing out"... (a line logged when the signal arrives, such
 * as "shutting down", must not count, so words of that moment are left out).
 * The lesson fixes no wording, so any of these counts.
 */
const FORCED_EXIT_WORDS = /time[sd]?[ -]?out|deadline|forc|gave up|giving up|too long|in time|still (?:running|open|busy|pending|in[ -]flight|active)|exceed|abort|kill|unfinished|not (?:drain|finish|complet)|could ?n[o']t (?:drain|finish|close)|exit(?:ing)? with (?:code )?1|longer than|took too|hung|stuck|bail(?:ing|ed)? out|stopp?ed waiting|not done/i;

check({ id: 'shutdown-deadline/a-request-that-never-finishes-does-not-block-shutdown-exit-c', group: 'sigterm-drain', title: `a request that never finishes does not block shutdown: exit code 1 after SHUTDOWN_TIMEOUT_MS` }, async (ctx) => {
  if (ON_WINDOWS) ctx.skip(WINDOWS_NOTE);
  const { server, exit, exitedAtOnce, graceMs, sent, timeline } = await stuck();
  if (!exit || exit.code === null || exit.code === 0) {
    fail({
      sent,
      expected: `the process to give up and exit with a non-zero code (1) about ${TIMEOUT_MS} ms after SIGTERM`,
      got: withTimeline(exit ? `the process ${describeExit(exit)}` : `still running ${TIMEOUT_MS + graceMs} ms after SIGTERM`, timeline),
      means: !exit
        ? 'nothing bounds the drain: start a timer of SHUTDOWN_TIMEOUT_MS when the signal arrives that exits with code 1 (and unref() it)'
        : exit.signal
          ? 'there is no SIGTERM handler: the signal kills the process'
          : exitedAtOnce
            ? 'the process exited at once on SIGTERM, with a request still running: stop accepting (server.close()), let the running requests finish, and only exit when they have, or with code 1 when SHUTDOWN_TIMEOUT_MS runs out'
            : 'exit code 0 claims a clean drain, but a request was cut: use a non-zero code when the deadline forces the exit',
      serverOutput: server.tail(),
    });
  }
});

check({ id: 'shutdown-deadline/the-forced-exit-is-logged', group: 'sigterm-drain', title: 'the forced exit is logged' }, async (ctx) => {
  if (ON_WINDOWS) ctx.skip(WINDOWS_NOTE);
  const { exit, sent, logAfterSignal, timeline } = await stuck();
  if (!exit || exit.code === 0 || exit.signal) {
    fail({ sent, expected: `a forced exit (code 1) after ${TIMEOUT_MS} ms, with a log line`, got: withTimeline('no forced exit to look at', timeline), means: 'see the check above ("exit code 1 after SHUTDOWN_TIMEOUT_MS"): fix that one first' });
  }
  if (!FORCED_EXIT_WORDS.test(logAfterSignal)) {
    const lines = logAfterSignal.trim();
    fail({
      sent,
      expected: `a log line, in your own words, saying the ${TIMEOUT_MS} ms deadline forced the exit (e.g. "shutdown timed out after ${TIMEOUT_MS} ms, exiting")`,
      got: withTimeline(lines ? `this output after the signal, with nothing about a forced exit:\n${lines.split('\n').slice(-8).join('\n')}` : 'no output at all after the signal', timeline),
      means: 'a forced exit cuts requests off: whoever reads the logs needs to know it happened. Log it in the deadline timer, before process.exit(1)',
    });
  }
});
