/**
 * Odd request targets, sent byte for byte over raw connections: a target no path can hold,
 * a path that starts with "//", and an absolute-form target. Used by the phase-03 and
 * phase-04 checks, which differ only in where their lesson puts the parse (`advice`).
 */
import { randomBytes } from 'node:crypto';
import { describeExit, send } from '../_client/http.ts';
import { ncLine, rawRequest, withRaw, type RawResponse } from '../_client/raw-socket.ts';
import { expectResponse } from './expect-response.ts';
import { fail } from './failures.ts';
import { scaled } from './pace.ts';
import type { RunningServer } from './start-server.ts';

/** Phase-specific words: where that phase's lesson has the learner parse the target. */
export interface OddTargetAdvice {
  /** Appended to the advice for a target that cannot be routed. */
  readonly notRoutable?: string;
  /** The advice when parsing the target ended the process. */
  readonly crashed?: string;
}

const CRASHED = 'parse the target where errors become responses, and answer 400 when it fails';

interface OddTarget {
  readonly target: string;
  readonly accept: readonly number[];
  readonly expected: string;
  /** Why the answer `got` is wrong, in words. */
  readonly means: (got: RawResponse) => string;
}

function oddTargets(advice: OddTargetAdvice): OddTarget[] {
  const host = `h${randomBytes(4).toString('hex')}`;
  return [
    {
      target: '//[',
      accept: [400, 404],
      expected: 'status 400 Bad Request: "[" may not appear in a path, so this target names nothing (404 is accepted too)',
      means: (got) =>
        got.status >= 500
          ? 'parsing req.url threw (new URL("//[", base) throws a TypeError) and the error reached the catch-all: a target that cannot be parsed is the client\'s mistake, answer 400'
          : `the target is not a path a route could have: answer 400 before routing${advice.notRoutable ?? ''}`,
    },
    {
      target: `//${host}/messages`,
      // 400 and 405 are another group's business (an unknown path gets 404 there); here what
      // matters is that /messages did not answer a path the client never asked for.
      accept: [400, 404, 405],
      expected: `status 404: the path is //${host}/messages, and no route has it`,
      means: (got) =>
        got.status === 200
          ? `new URL(req.url, 'http://localhost') reads "//${host}/messages" as the host "${host}" and the path "/messages", so the list answered a path the client never asked for. Glue the target to a fixed origin instead: new URL(\`http://localhost\${req.url}\`) keeps the whole target as the path`
          : 'an origin-form target is a path, whatever its first segment: route it and answer 404 when no row fits',
    },
    {
      target: 'http://example.test/messages',
      accept: [200],
      expected: 'status 200, as for GET /messages: an absolute-form target is routed on its path, /messages',
      means: () =>
        'clients talking to a proxy send the whole URL as the target (RFC 9112 §3.2.2), and servers must accept it: when req.url does not start with "/", parse it with new URL(req.url) and route on its pathname',
    },
  ];
}

/** Sends each odd target on its own connection; fails the check on the first wrong answer. */
export async function expectOddTargetsHandled(server: RunningServer, withinMs: number, advice: OddTargetAdvice = {}): Promise<void> {
  for (const odd of oddTargets(advice)) {
    const bytes = rawRequest({ path: odd.target, headers: { Connection: 'close' } });
    const outcome = await withRaw(server, async (conn) => {
      await conn.write(bytes);
      return conn.response(0, withinMs);
    });
    if (!outcome.ok || !outcome.value.complete) {
      const exit = server.exit ?? (await server.proc.waitForExit(scaled(300)));
      fail({
        sent: ncLine(bytes),
        expected: odd.expected,
        got: exit ? `${outcome.ok ? 'an incomplete response' : outcome.got}; the server process ${describeExit(exit)}` : outcome.ok ? outcome.value.cut ?? 'an incomplete response' : outcome.got,
        means: exit
          ? `parsing req.url threw outside any try/catch (new URL throws a TypeError for "//["), and an uncaught exception ends the process: ${advice.crashed ?? CRASHED}`
          : 'the server did not answer this target: parse it where errors become responses, and answer 400 when it cannot be parsed',
        serverOutput: server.tail(),
      });
    }
    const got = outcome.value;
    if (!odd.accept.includes(got.status)) {
      fail({
        sent: ncLine(bytes),
        expected: odd.expected,
        got: `status ${got.status} ${got.reason}: ${got.body.toString('utf8').slice(0, 120) || '(no body)'}`,
        means: odd.means(got),
        serverOutput: got.status >= 500 ? server.tail() : undefined,
      });
    }
  }
  const after = await send(server, { path: '/messages' }, 'status 200 from GET /messages after the odd targets');
  expectResponse(after, { status: 200, means: 'an odd request target left the server broken for the requests after it', serverOutput: server.tail() });
}
