// req.url is whatever the client put in the request line, and clients (and proxies) put odd
// things there. new URL(req.url, base) throws on "//[" (an exception in the listener ends the
// process) and reads "//x/inspect/y" as the host "x" with the path "/inspect/y". Each target
// goes over a raw socket, because curl and fetch tidy such targets up before sending them.
import { describeExit, send, summarize } from '../_client/http.ts';
import { ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers, type RunningServer } from '../_harness/start-server.ts';
import { token } from './_random.ts';

const start = useServers({ reuseAfterPass: true });

/** After a response that never came: how long to wait for the process's exit before calling it alive. */
const EXIT_AFTER_FAILURE_MS = 300;

/**
 * One request on its own connection: the complete response, or what happened instead,
 * with the server's exit when it died (`crashed`: the cause to name, before any other).
 */
async function rawGet(server: RunningServer, target: string) {
  const bytes = rawRequest({ path: target, headers: { connection: 'close' } });
  const sent = ncLine(bytes);
  const outcome = await withRaw(server, async (conn) => {
    await conn.write(bytes);
    const answer = await conn.response(0, scaled(2000));
    return answer.ok && answer.value.complete
      ? { ok: true as const, status: answer.value.status, text: answer.value.body.toString('utf8') }
      : { ok: false as const, got: answer.ok ? `${answer.value.status}, ${answer.value.cut ?? 'incomplete'}` : answer.got, started: conn.responses[0] !== undefined };
  });
  if (outcome.ok) return { sent, ...outcome, crashed: false, unended: false };
  const exit = server.exit ?? (await server.proc.waitForExit(scaled(EXIT_AFTER_FAILURE_MS)));
  return {
    sent,
    ok: false as const,
    got: exit ? `${outcome.got}; the server process ${describeExit(exit)}` : outcome.got,
    crashed: exit !== undefined,
    // Headers came and the server lives on, but the body never finished: a branch without end().
    unended: exit === undefined && outcome.started,
  };
}

/** The answer was started and never finished, whatever the routing. */
const UNENDED = 'the server started this answer but never ended it: every branch (the 404 one too) must finish its response with end(); see "One helper that finishes every response"';

/** An uncaught exception while handling the target ended the process. */
const CRASHED = `the server crashed while handling this target (the first error in its output, below, is the cause), and an uncaught exception ends the process`;

const ROBUST_PARSE =
  'parse the target yourself: one starting with "/" gets the origin prefixed (new URL(`http://localhost${target}`)), an absolute "http://..." target is parsed as it is, and anything else answers 400';

check({ id: 'odd-targets/get-answers-400-and-the-server-keeps-serving', group: 'odd-targets', title: 'GET //[ answers 400 and the server keeps serving' }, async () => {
  const server = await start();
  const odd = await rawGet(server, '//[');
  if (!odd.ok && odd.crashed) {
    // The cause is this target: name it, rather than the refused request that would follow.
    fail({
      sent: odd.sent,
      expected: 'status 400 for the target "//[", then the next request answered as usual',
      got: odd.got,
      means: `new URL("//[", base) throws inside the listener, and an uncaught exception ends the process: ${ROBUST_PARSE}`,
      serverOutput: server.tail(),
    });
  }
  const name = token(5);
  const next = await send(server, { path: `/hello?name=${name}` }, `status 200 with the body "Hello, ${name}!\\n"`);
  if (odd.ok && odd.status === 400 && next.status === 200) return;
  fail({
    sent: [odd.sent, `then ${next.curl}`],
    expected: 'status 400 for the target "//[", then the next request answered as usual',
    got: `${odd.ok ? `status ${odd.status}` : odd.got}; then ${summarize(next)}`,
    means: odd.ok
      ? `"//[" is not a path a client may send (RFC 9112 allows no "[" in it): ${ROBUST_PARSE}`
      : `new URL("//[", base) throws inside the listener, and an uncaught exception ends the process: ${ROBUST_PARSE}`,
    serverOutput: server.tail(),
  });
});

check({ id: 'odd-targets/a-target-starting-with-is-routed-as-a-path-not-read-as-a-hos', group: 'odd-targets', title: 'a target starting with "//" is routed as a path, not read as a host' }, async () => {
  const server = await start();
  const host = token(6);
  const rest = `/inspect/${token(4)}`;
  const target = `//${host}${rest}`;
  const answer = await rawGet(server, target);
  // Routed as a host, the request is answered as "${rest}": the 200 echo of that path.
  const readAsHost = answer.ok && answer.status === 200 && answer.text.includes(rest);
  if (answer.ok && !readAsHost) return;
  fail({
    sent: answer.sent,
    expected: `status 404: the path "${target}" is not one the server serves (it is not "${rest}")`,
    got: answer.ok ? `status ${answer.status} with ${JSON.stringify(answer.text.slice(0, 80))}` : answer.got,
    means: answer.crashed
      ? `${CRASHED}: ${ROBUST_PARSE}`
      : answer.unended
        ? UNENDED
        : answer.ok && answer.text.includes(rest)
          ? `new URL(req.url, base) read "//${host}" as a host and routed the rest, "${rest}": ${ROBUST_PARSE}`
          : `only "/", "/inspect..." and "/hello" are served; "${target}" is none of them: ${ROBUST_PARSE}`,
    serverOutput: server.tail(),
  });
});

check({ id: 'odd-targets/an-absolute-form-target-get-http-host-inspect-is-routed-on-i', group: 'odd-targets', title: 'an absolute-form target (GET http://host/inspect/...) is routed on its path' }, async () => {
  const server = await start();
  const pathname = `/inspect/${token(5)}`;
  const target = `http://${token(6)}.example${pathname}?${token(3)}=1`;
  const wanted = `GET ${pathname}\n`;
  const answer = await rawGet(server, target);
  if (answer.ok && answer.status === 200 && answer.text === wanted) return;
  fail({
    sent: answer.sent,
    expected: `status 200 with the body exactly ${JSON.stringify(wanted)} (proxies send absolute-form targets; the path is what to route on)`,
    got: answer.ok ? `status ${answer.status} with ${JSON.stringify(answer.text.slice(0, 80))}` : answer.got,
    means: answer.crashed ? `${CRASHED}: ${ROBUST_PARSE}` : answer.unended ? UNENDED : `req.url is "${target}" here, scheme and host included: ${ROBUST_PARSE}`,
    serverOutput: server.tail(),
  });
});
