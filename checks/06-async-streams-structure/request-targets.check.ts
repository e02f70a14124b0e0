// Phase 01's request-target rules still hold after the split: the router reads req.url as
// a path. `new URL(req.url, base)` is the trap: it reads "//x/messages" as host "x" with
// path "/messages", and throws on "//[" (a 500 here, since the boundary catches it).
import { send, summarize } from '../_client/http.ts';
import { ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers, type RunningServer } from '../_harness/start-server.ts';

const start = useServers();
const server = once(() => start());

/** Sends `path` as the request target exactly as written (curl and fetch would rewrite it). */
async function exchange(target: RunningServer, path: string) {
  const bytes = rawRequest({ path, headers: { connection: 'close' } });
  const waited = await withRaw(target, async (conn) => {
    await conn.write(bytes);
    return conn.response(0, scaled(2000));
  });
  return { line: ncLine(bytes), waited };
}

function answerOf(outcome: Awaited<ReturnType<typeof exchange>>, expected: string, target: RunningServer) {
  if (!outcome.waited.ok) {
    fail({ sent: outcome.line, expected, got: outcome.waited.got, means: 'the target crashed or stalled the server: read req.url as a path, and answer what cannot be read with a 400', serverOutput: target.tail() });
  }
  return outcome.waited.value;
}

check({ id: 'request-targets/a-request-target-that-is-not-a-path-get-gets-a-400-and-the-s', group: 'earlier-rules', title: 'a request target that is not a path (GET //[) gets a 400, and the server keeps serving' }, async () => {
  const target = await server();
  const expected = 'status 400 with a JSON error: "[" has no place in a path, so the target is the client\'s mistake';
  const response = answerOf(await exchange(target, '//['), expected, target);
  if (response.status !== 400) {
    fail({
      sent: ncLine(rawRequest({ path: '//[', headers: { connection: 'close' } })),
      expected,
      got: `status ${response.status} ${response.reason}: ${response.body.toString('utf8').slice(0, 120)}`,
      means: response.status === 500
        ? 'parsing the target threw (new URL("//[", base) throws ERR_INVALID_URL) and the boundary reported it as a server failure: a target that cannot be read is a 400'
        : 'a target with characters a path cannot hold must be refused with 400 (see "What carries over")',
    });
  }
  const next = await send(target, { path: '/messages' }, 'status 200 from GET /messages after GET //[');
  if (next.status !== 200) fail({ sent: next.curl, expected: 'status 200', got: summarize(next), means: 'one odd request target broke the server for the requests after it' });
});

check({ id: 'request-targets/get-x-messages-is-routed-as-the-path-x-messages-a-404-not-as', group: 'earlier-rules', title: 'GET //x/messages is routed as the path "//x/messages" (a 404), not as host "x" and path "/messages"' }, async () => {
  const target = await server();
  const expected = 'status 404 (or 400): the path "//x/messages" is no route of this service';
  const response = answerOf(await exchange(target, '//x/messages'), expected, target);
  if (response.status !== 404 && response.status !== 400) {
    fail({
      sent: ncLine(rawRequest({ path: '//x/messages', headers: { connection: 'close' } })),
      expected,
      got: `status ${response.status} ${response.reason}: ${response.body.toString('utf8').slice(0, 120)}`,
      means: 'req.url was parsed with new URL(req.url, base), which reads a target starting with "//" as a host: "x" became the host and "/messages" the path. Read the target as a path instead',
    });
  }
});

check({ id: 'request-targets/an-absolute-form-target-get-http-localhost-messages-is-route', group: 'earlier-rules', title: 'an absolute-form target (GET http://localhost/messages) is routed on its path' }, async () => {
  const target = await server();
  const expected = 'status 200 with the list of messages, as for GET /messages';
  const response = answerOf(await exchange(target, 'http://localhost/messages'), expected, target);
  if (response.status !== 200 || !response.body.toString('utf8').trim().startsWith('[')) {
    fail({
      sent: ncLine(rawRequest({ path: 'http://localhost/messages', headers: { connection: 'close' } })),
      expected,
      got: `status ${response.status} ${response.reason}: ${response.body.toString('utf8').slice(0, 120)}`,
      means: 'a client may send the whole URL as the target (absolute-form, RFC 9112 section 3.2.2); req.url is then "http://localhost/messages": route on its path',
    });
  }
});
