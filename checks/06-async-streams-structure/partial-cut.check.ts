// GET /partial commits its headers and a first chunk, then its await rejects. Nothing
// honest can follow: not a second response (ERR_HTTP_HEADERS_SENT), not res.end()
// (a truncated body that looks complete). Destroying the connection tells the client.
import { attempt, send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';

const start = useServers();
const partial = once(async () => {
  const server = await start();
  return { server, answer: await attempt(server, { path: '/partial' }, { headersWithinMs: scaled(2000), bodyWithinMs: scaled(2000) }) };
});

check({ id: 'partial-cut/get-partial-is-cut-off-mid-body-not-ended-as-if-it-were-comp', group: 'hanging-rejection', title: 'GET /partial is cut off mid-body, not ended as if it were complete' }, async () => {
  const { server, answer } = await partial();
  const expected = 'status 200 and the first chunk, then the connection cut (res.destroy())';
  if (answer.complete) {
    fail({
      sent: answer.curl,
      expected,
      got: `a complete-looking response: ${summarize(answer)}`,
      means: 'after headers are sent, res.end() makes a truncated body look finished; the client cannot tell. Check res.headersSent and destroy the response instead',
    });
  }
  const problem = answer.problem!;
  if (problem.timedOut || problem.stage === 'headers' || answer.serverExit) {
    fail({ sent: answer.curl, expected, got: problem.got, means: problem.means, serverOutput: server.tail() });
  }
});

check({ id: 'partial-cut/after-partial-the-server-keeps-serving-and-never-hits-err-ht', group: 'hanging-rejection', title: 'after /partial the server keeps serving and never hits ERR_HTTP_HEADERS_SENT' }, async () => {
  const { server, answer } = await partial();
  const next = await send(server, { path: '/messages' }, 'status 200 from GET /messages after GET /partial');
  expectResponse(next, { status: 200, sent: [answer.curl, next.curl], means: 'one failed request broke the server for the requests after it' });
  if (/ERR_HTTP_HEADERS_SENT|Cannot set headers after they are sent/.test(server.proc.output)) {
    fail({
      sent: answer.curl,
      expected: 'no ERR_HTTP_HEADERS_SENT in the server output',
      got: 'the error handler tried to send a second response after the first one had started',
      means: 'the catch must check res.headersSent: when it is true, only res.destroy() is left',
      serverOutput: server.tail(),
    });
  }
});
