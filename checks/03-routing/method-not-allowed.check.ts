// 404 means "no such path"; 405 means "the path exists, not with this method", and its
// Allow header lists the methods the table has for that path (HEAD wherever GET is).
import { randomUUID } from 'node:crypto';
import { send, type Answer } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, rand } from './_messages.ts';

const start = useServers();
const server = once(() => start());

/** "GET, HEAD,POST" → ["GET", "HEAD", "POST"]: order and spacing are free. */
function allowSet(answer: Answer): string[] {
  const header = answer.headers.allow;
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return [...new Set(text.split(',').map((m) => m.trim().toUpperCase()).filter(Boolean))].sort();
}

check({ id: 'method-not-allowed/a-known-path-with-another-method-answers-405-with-allow', group: 'method-not-allowed', title: 'A known path with another method answers 405 with Allow' }, async () => {
  const target = await server();
  const { id } = await createMessage(target);
  const cases = [
    { shape: { method: 'PUT', path: '/messages' }, allow: ['GET', 'HEAD', 'POST'] },
    { shape: { method: 'PATCH', path: `/messages/${encodeURIComponent(id)}` }, allow: ['DELETE', 'GET', 'HEAD'] },
  ];
  for (const { shape, allow } of cases) {
    const answer = await send(target, shape, `status 405 with Allow: ${allow.join(', ')}`);
    expectResponse(answer, {
      status: 405,
      expected: `status 405 Method Not Allowed: ${shape.path} exists, just not for ${shape.method}`,
      means: 'when no row fits method + path, look at the rows whose PATH fits: if there are any, it is a 405, not a 404',
    });
    const got = allowSet(answer);
    if (got.join() !== allow.join()) {
      fail({
        sent: answer.curl,
        expected: `an Allow header listing exactly ${allow.join(', ')} (any order)`,
        got: answer.headers.allow === undefined ? 'no Allow header' : `Allow: ${String(answer.headers.allow)}`,
        means: 'a 405 must say which methods would work: collect the methods of the rows whose path fits (add HEAD where there is GET), and set res.setHeader("allow", ...)',
      });
    }
  }
});

check({ id: 'method-not-allowed/an-unknown-path-answers-404-not-405', group: 'method-not-allowed', title: 'An unknown path answers 404, not 405' }, async () => {
  const target = await server();
  const shapes = [
    { path: `/nope-${rand()}` },
    { method: 'DELETE', path: `/nope-${rand()}` },
    { path: `/messages/${randomUUID()}/${rand(2)}` },
  ];
  for (const shape of shapes) {
    const answer = await send(target, shape, 'status 404');
    expectResponse(answer, {
      status: 404,
      expected: 'status 404 Not Found: no row of the table has this path, with any method',
      means: () =>
        answer.status === 405
          ? 'Allow is gathered from rows whose path does NOT fit: only rows with a fitting path count towards a 405'
          : 'an unknown path (or one with an extra segment) must not reach any handler: a route fits only when the segment counts match',
    });
  }
});
