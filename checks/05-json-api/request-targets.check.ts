// The request target is the text between the method and "HTTP/1.1", and Node hands it to
// the listener as req.url without judging it. Three shapes that a parse with a fixed base
// URL gets wrong: a target no URL parser accepts (the server answers a JSON error and keeps
// serving; it must not crash), a path that starts with "//" (a path, not a host), and the
// absolute form "http://host/path" (RFC 9112 §3.2.2: a server must accept it; it is routed
// on its path). Sent over a raw socket, because curl and fetch tidy targets up first.
import { attempt, describeExit, summarize, type Target } from '../_client/http.ts';
import { withRaw, type RawResponse, type RawTarget } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, errorShapeProblem, randomTag } from './_api.ts';

const start = useServers();
/** Tests 2 and 3 read what test-local messages they create; neither changes the other's. */
const routingServer = once(() => start());

/** What one raw GET came back with: the response, or what happened instead. */
type RawOutcome = { readonly response: RawResponse } | { readonly got: string };

/** GET `target` exactly as written, on its own connection. */
function rawGet(server: RawTarget, target: string): Promise<RawOutcome> {
  const bytes = Buffer.from(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 'latin1');
  return withRaw(server, async (conn) => {
    const written = await conn.write(bytes, { withinMs: scaled(2000) });
    if (!written.ok) return { got: written.got ?? 'the request could not be sent' };
    const answer = await conn.response(0, scaled(5000));
    return answer.ok ? { response: answer.value } : { got: answer.got };
  });
}

/** The request as a curl line the learner can paste (--request-target sends the target unchanged). */
function curlTarget(target: string): string {
  return `curl -i --request-target '${target.replaceAll("'", `'\\''`)}' http://localhost:3000`;
}

/** "status 404, application/json: {...}" for a raw response. */
function describeRaw(response: RawResponse): string {
  const text = response.body.toString('utf8');
  return `status ${response.status}, ${response.headers['content-type'] ?? 'no content-type'}: ${text.length > 100 ? `${text.slice(0, 100)}…` : text}`;
}

/** Fails, naming `after`, unless the server still answers GET /messages. */
async function expectStillServing(server: Target & RawTarget, after: string): Promise<void> {
  const next = await attempt(server, { path: '/messages' }, { headersWithinMs: scaled(5000), bodyWithinMs: scaled(5000) });
  if (next.complete && next.status === 200) return;
  const exit = next.serverExit ?? server.proc.exit;
  fail({
    sent: [after, next.curl],
    expected: 'the server to answer GET /messages with 200 after the odd target, as it did before',
    got: exit
      ? `the server process ${describeExit(exit)} after \`${after}\``
      : `${next.complete ? summarize(next, 80) : next.problem?.got ?? 'no answer'} (the request after \`${after}\`)`,
    means: exit
      ? 'the target was parsed where no try/catch reaches it (new URL(req.url, base) in createContext, before the error middleware runs): the TypeError killed the process. Parse it inside the error middleware and answer 400'
      : 'the odd target left the server unable to answer: parse the target inside the error middleware, so a bad one is one 400 and nothing more',
    serverOutput: server.tail(),
  });
}

check({ id: 'request-targets/odd-request-targets-get-a-json-error-and-the-server-keeps-se', group: 'request-targets', title: 'Odd request targets get a JSON error and the server keeps serving' }, async () => {
  const server = await start();
  // "//[": no URL with a base; "http://[…/x": an absolute target whose host is no host; "*": no path at all.
  const targets = ['//[', `http://[${randomTag(2)}/messages`, '*'];
  for (const target of targets) {
    const outcome = await rawGet(server, target);
    if (!('response' in outcome)) {
      const exit = server.proc.exit ?? (await server.proc.waitForExit(scaled(500)));
      fail({
        sent: curlTarget(target),
        expected: 'a 4xx JSON error such as 400 {"error":"…"} (the target is not one a route can match)',
        got: exit ? `no response: the server process ${describeExit(exit)} (${outcome.got})` : outcome.got,
        means: exit
          ? 'new URL() threw a TypeError where no try/catch reaches it (in createContext or straight in the request listener, before the error middleware runs), and an uncaught exception ends the process. Parse the target inside the error middleware and answer 400'
          : 'the request was never answered: an error thrown while parsing the target escaped the error middleware (see "Odd request targets")',
        serverOutput: server.tail(),
      });
    }
    const problem = errorShapeProblem(outcome.response);
    if (problem) {
      fail({
        sent: curlTarget(target),
        expected: 'a 4xx error with content-type application/json, a correct content-length and a body like {"error":"…"}',
        got: problem,
        means: outcome.response.status >= 500
          ? 'a target that is no URL is the client\'s mistake, not the server\'s: catch the parse failure (new URL throws a TypeError) and answer 400 through the one error helper'
          : 'the answer to an unparsable target bypassed the one error helper: throw HttpError(400) where the target is parsed, inside the error middleware',
        serverOutput: server.tail(),
      });
    }
    await expectStillServing(server, curlTarget(target));
  }
});

check({ id: 'request-targets/a-target-starting-with-is-a-path-not-a-host', group: 'request-targets', title: 'A target starting with // is a path, not a host' }, async () => {
  const server = await routingServer();
  const { message } = await createMessage(server, `double slash ${randomTag()}`);
  const host = `h${randomTag(3)}`;
  // Read as a path: /<host>/messages/<id> matches no route. Read with new URL(target, base): host <host>, path /messages/<id>.
  const target = `//${host}/messages/${message.id}`;
  const outcome = await rawGet(server, target);
  if (!('response' in outcome)) {
    fail({ sent: curlTarget(target), expected: 'a 404 JSON error', got: outcome.got, means: 'the server must answer every request, whatever its target', serverOutput: server.tail() });
  }
  const { response } = outcome;
  if (response.status === 200 && response.body.toString('utf8').includes(message.id)) {
    fail({
      sent: curlTarget(target),
      expected: `a 404 JSON error: the path /${host}/messages/<id> matches no route`,
      got: `${describeRaw(response)} (the message, as if the path were /messages/<id>)`,
      means: `new URL(req.url, 'http://localhost') reads a target starting with "//" as a URL without a scheme: "${host}" becomes the host and the rest the path. Put a target that starts with "/" after a fixed origin instead: new URL(\`http://localhost\${req.url}\`)`,
    });
  }
  const problem = errorShapeProblem(response);
  if (problem) {
    fail({
      sent: curlTarget(target),
      expected: `a 404 JSON error: the path /${host}/messages/<id> matches no route`,
      got: problem,
      means: 'a path no route matches is a 404 from the one error helper, whatever its slashes',
    });
  }
});

check({ id: 'request-targets/an-absolute-form-target-http-host-path-is-routed-on-its-path', group: 'request-targets', title: 'An absolute-form target (http://host/path) is routed on its path' }, async () => {
  const server = await routingServer();
  const { message } = await createMessage(server, `absolute form ${randomTag()}`);
  const target = `${server.origin}/messages/${message.id}`;
  const shown = curlTarget(`http://localhost:3000/messages/${message.id}`);
  const outcome = await rawGet(server, target);
  if (!('response' in outcome)) {
    fail({ sent: shown, expected: 'status 200 with the message', got: outcome.got, means: 'the server must answer every request, whatever its target', serverOutput: server.tail() });
  }
  const { response } = outcome;
  if (response.status !== 200 || !response.body.toString('utf8').includes(message.id)) {
    fail({
      sent: shown,
      expected: `status 200 with the message ${message.id}, as for GET /messages/${message.id}`,
      got: describeRaw(response),
      means: 'a server must accept a target in absolute form (RFC 9112 §3.2.2) and route it on its path. Gluing an origin in front of every target ("http://localhost" + req.url) turns it into a path that matches nothing: glue only targets that start with "/", and parse the others with new URL(req.url)',
    });
  }
});
