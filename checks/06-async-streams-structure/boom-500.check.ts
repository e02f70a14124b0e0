// GET /boom awaits a store call that rejects. One try/catch at the dispatch boundary
// turns that into a generic 500; without it the process dies (or the request hangs).
import { attempt, jsonErrorOf, send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';

const start = useServers();
const boom = once(async () => {
  const server = await start();
  return { server, answer: await attempt(server, { path: '/boom' }, { headersWithinMs: scaled(2000) }) };
});

/** The later checks inspect the /boom answer: without one, they fail and point at the first. */
async function boomAnswer() {
  const scenario = await boom();
  const { answer } = scenario;
  if (!answer.complete) fail({ sent: answer.curl, expected: 'a complete response to inspect', got: answer.problem!.got, means: 'see the first /boom check: fix that one first' });
  return scenario;
}

/** Text that only gets into a body when the error itself is sent to the client. */
const LEAKS = [/database unavailable/i, /simulated outage/i, /\bat .+:\d+:\d+/, /\.ts:\d+/, /Error:/];

check({ id: 'boom-500/get-boom-answers-500-with-a-json-error-within-2-s', group: 'hanging-rejection', title: 'GET /boom answers 500 with a JSON error within 2 s' }, async () => {
  const { server, answer } = await boom();
  if (!answer.complete) {
    fail({ sent: answer.curl, expected: 'status 500 with a JSON error body', got: answer.problem!.got, means: answer.problem!.means, serverOutput: server.tail() });
  }
  if (answer.status !== 500 || jsonErrorOf(answer) === undefined) {
    fail({
      sent: answer.curl,
      expected: 'status 500, content-type application/json, body like {"error":"Internal Server Error"}',
      got: summarize(answer),
      means: 'the catch at the dispatch boundary must answer unexpected errors itself, with the same JSON error shape as every other error',
    });
  }
});

check({ id: 'boom-500/the-500-body-is-generic-no-error-message-no-stack-trace', group: 'hanging-rejection', title: 'the 500 body is generic: no error message, no stack trace' }, async () => {
  const { answer } = await boomAnswer();
  const text = answer.body.toString('utf8');
  const leak = LEAKS.find((pattern) => pattern.test(text));
  if (leak) {
    fail({
      sent: answer.curl,
      expected: 'a generic body such as {"error":"Internal Server Error"}',
      got: summarize(answer, 300),
      means: 'the error (its message or stack) was sent to the client: log it on the server, and tell the client only that something went wrong',
    });
  }
});

check({ id: 'boom-500/the-error-is-logged-on-the-server-with-its-message', group: 'hanging-rejection', title: 'the error is logged on the server, with its message' }, async () => {
  const { server, answer } = await boomAnswer();
  if (!(await server.proc.waitForOutput(/database unavailable/, scaled(1000)))) {
    fail({
      sent: answer.curl,
      expected: 'a log line (console.error) that includes "database unavailable (simulated outage)"',
      got: server.tail() ? 'output without the error message (below)' : 'no output at all',
      means: 'the catch answers the client but swallows the error: whoever runs the server never learns what broke',
      serverOutput: server.tail(),
    });
  }
});

check({ id: 'boom-500/the-server-keeps-serving-after-boom-get-messages-still-answe', group: 'hanging-rejection', title: 'the server keeps serving after /boom: GET /messages still answers 200' }, async () => {
  const { server } = await boom();
  const next = await send(server, { path: '/messages' }, 'status 200 with the list of messages');
  expectResponse(next, { status: 200, means: 'one failed request broke the server for the requests after it' });
});
