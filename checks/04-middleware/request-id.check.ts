// withRequestId runs first and sets the header before await next(), so every answer
// carries an id, errors included. withAccessLog writes its line after await next()
// (in a finally), so the line holds the final status and the full duration.
import { send, summarize, type Answer } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { jsonShape, LOG_LINE, rand } from './_server.ts';

const start = useServers();
const server = once(() => start());

const KINDS = [
  () => ({ path: '/messages' }),
  () => ({ path: `/nope-${rand()}` }),
  () => ({ method: 'PUT', path: '/messages' }),
  () => ({ path: `/messages/%zz${rand(2)}` }),
  () => jsonShape('POST', '/messages', '{'),
];

function idOf(answer: Answer): string | undefined {
  const id = answer.headers['x-request-id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

check({ id: 'request-id/every-response-carries-a-unique-x-request-id', group: 'request-id', title: 'Every response carries a unique x-request-id' }, async () => {
  const target = await server();
  const seen = new Map<string, string>();
  for (let i = 0; i < 50; i++) {
    const answer = await send(target, KINDS[i % KINDS.length]!(), 'a response with an x-request-id header');
    const id = idOf(answer);
    if (!id || id.length > 200) {
      fail({
        sent: answer.curl,
        expected: 'an x-request-id response header (at most 200 characters), on every status',
        got: id ? `an id of ${id.length} characters` : `${summarize(answer)}, without x-request-id`,
        means: 'set the header in the first middleware, BEFORE await next(): then 404s, 405s and errors carry it too',
      });
    }
    const earlier = seen.get(id);
    if (earlier) {
      fail({
        sent: [earlier, answer.curl],
        expected: 'a different x-request-id on every response',
        got: `both answers carry x-request-id: ${id}`,
        means: 'the id is made once (at start-up, or in a module variable) instead of once per request: call randomUUID() inside the middleware',
      });
    }
    seen.set(id, answer.curl);
  }
});

check({ id: 'request-id/each-request-is-logged-once-it-has-finished', group: 'request-id', title: 'Each request is logged once it has finished' }, async () => {
  const target = await server();
  const q = `?q=${rand(2)}`;
  // 200, 404, 405 and 400: the status on the line must be the one the client received.
  const shapes = [{ path: `/messages${q}` }, { path: `/nope-${rand()}${q}` }, { method: 'PUT', path: `/messages${q}` }, { path: `/messages/%zz${rand(2)}${q}` }];
  for (const shape of shapes) {
    const answer = await send(target, shape, 'a response with an x-request-id header');
    const id = idOf(answer);
    const method = shape.method ?? 'GET';
    const pathname = shape.path.split('?')[0]!;
    const wanted = `${id ?? '<id>'} ${method} ${pathname} ${answer.status} <ms>ms`;
    const mentions = (line: string) => id !== undefined && line.split(' ')[0] === id;
    const appeared = id !== undefined && (await target.proc.waitForOutput(new RegExp(`^${id.replace(/[^\w-]/g, '\\$&')} `, 'm'), scaled(1500)));
    const line = target.proc.stdout.split('\n').map((l) => l.trimEnd()).find(mentions);
    const parts = line ? LOG_LINE.exec(line) : null;
    const right = parts && parts[2] === method && parts[3] === pathname && Number(parts[4]) === answer.status && Number(parts[5]) < 10_000;
    if (!appeared || !right) {
      fail({
        sent: answer.curl,
        expected: `a line on stdout within 1.5 s: ${wanted}`,
        got: line ? `the line: ${line}` : id ? 'no stdout line starting with that request id' : 'the response had no x-request-id to find the line by',
        means:
          line && parts && Number(parts[4]) !== answer.status
            ? 'the line is written on the way in (status still 200): write it after await next(), in a finally'
            : 'log in a middleware: take performance.now() before await next(), and console.log the line in a finally after it (pathname without the query)',
        serverOutput: target.tail(8),
      });
    }
  }
});
