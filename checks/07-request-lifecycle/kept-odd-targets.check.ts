// The request target is the client's text, and Node's parser hands over shapes that
// `new URL(req.url, 'http://localhost')` gets wrong: "//inspect/stats" is read as host
// "inspect" and path "/stats", and "//[" makes it throw (a 500, or a crash where the parse
// runs outside the error boundary). A proxy-style absolute-form target
// ("GET http://host/stats") is legal and names the same resource as "/stats".
import { describeExit, send } from '../_client/http.ts';
import { ncLine, openRaw, rawRequest, type RawResponse } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers, type RunningServer } from '../_harness/start-server.ts';
import { jsonObject } from './_lifecycle.ts';

const start = useServers();

interface Case {
  readonly target: string;
  readonly expected: string;
  readonly ok: (response: RawResponse) => boolean;
  readonly means: string;
}

const isStats = (response: RawResponse) => {
  const body = jsonObject(response.body.toString('utf8'));
  return response.status === 200 && typeof body?.completed === 'number' && typeof body.reportsRunning === 'number';
};

const CASES: readonly Case[] = [
  {
    target: '//[',
    expected: 'status 400 (a target that is not a valid path; 404 is accepted too), never a 5xx',
    ok: (r) => r.status === 400 || r.status === 404,
    means:
      'new URL(req.url, base) throws on "//[" (a "//" starts a host, "[" an IPv6 address), and the TypeError became a 500 or worse: parse the target yourself, answer 400 for one you cannot parse, and keep the parse inside the error boundary',
  },
  {
    target: '//inspect/stats',
    expected: 'status 404 (the path is "//inspect/stats", which no route serves; 400 is accepted too), not the /stats answer',
    ok: (r) => (r.status === 404 || r.status === 400) && !isStats(r),
    means:
      'the target was parsed with new URL(req.url, base), which reads "//inspect" as a host and routes the path "/stats": glue a fixed origin in front of an origin-form target instead (new URL(`http://localhost${req.url}`))',
  },
  {
    target: 'http://localhost/stats',
    expected: 'status 200 with the /stats JSON: an absolute-form target names the same resource as its path',
    ok: isStats,
    means: 'the router matched the whole target ("http:", "localhost", "stats") instead of its path: parse an absolute-form target with new URL(req.url) and route on its pathname',
  },
];

async function exchange(server: RunningServer, target: string): Promise<{ bytes: Buffer; response?: RawResponse; got: string }> {
  const bytes = rawRequest({ path: target, headers: { Host: 'localhost', Connection: 'close' } });
  const conn = await openRaw(server);
  try {
    await conn.write(bytes);
    const answer = await conn.response(0, scaled(2000));
    return answer.ok
      ? { bytes, response: answer.value, got: `${answer.value.status} ${answer.value.reason}: ${answer.value.body.toString('utf8').slice(0, 100)}` }
      : { bytes, got: `${answer.got} within ${answer.afterMs} ms (${conn.describeReceived()})` };
  } finally {
    conn.destroy();
  }
}

check({ id: 'kept-odd-targets', group: 'kept-rules', title: 'odd request targets: "//[" is a client error, "//x" is a path, an absolute-form target is routed on its path' }, async () => {
  const server = await start();
  for (const check of CASES) {
    const { bytes, response, got } = await exchange(server, check.target);
    const exit = server.exit ?? (await server.proc.waitForExit(scaled(100)));
    if (exit) {
      fail({
        sent: ncLine(bytes),
        expected: `${check.expected}, and the server still running`,
        got: `the server process ${describeExit(exit)} after this request`,
        means: 'parsing the request target threw outside every try/catch: an odd target must never end the process',
        serverOutput: server.tail(),
      });
    }
    if (!response || !check.ok(response)) {
      fail({ sent: ncLine(bytes), expected: check.expected, got, means: check.means, serverOutput: server.tail() });
    }
  }
  const after = await send(server, { path: '/stats' }, 'status 200 from GET /stats', { headersWithinMs: scaled(2000) });
  expectResponse(after, {
    status: 200,
    sent: [...CASES.map((c) => ncLine(rawRequest({ path: c.target, headers: { Host: 'localhost', Connection: 'close' } }))), after.curl],
    expected: 'status 200 from GET /stats after the odd targets',
    means: 'an odd target left the server in a bad state: every request must end in one response and leave the server serving',
    serverOutput: server.tail(),
  });
});
