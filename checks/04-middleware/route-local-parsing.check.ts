// The JSON body parser sits in the POST /messages stack only, after requireJson. Other
// routes never read a body, and a guard that answers (415) returns without next(), so
// nothing after it runs: no parsing, no message created.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { curlLine } from '../_client/curl.ts';
import { send, summarize } from '../_client/http.ts';
import { ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { jsonShape, rand, withLength } from './_server.ts';

const start = useServers();
const server = once(() => start());

check({ id: 'route-local-parsing/bodies-are-only-parsed-on-routes-that-need-them', group: 'route-local-parsing', title: 'Bodies are only parsed on routes that need them' }, async () => {
  const target = await server();
  for (const [shape, status] of [
    [jsonShape('GET', '/messages', 'not json at all', 'text/plain'), 200],
    [jsonShape('DELETE', `/messages/${randomUUID()}`, 'not json either', 'text/plain'), 404],
  ] as const) {
    const answer = await send(target, shape, `status ${status}`);
    if (answer.status !== status) {
      fail({
        sent: answer.curl,
        expected: `status ${status}: this route reads no body`,
        got: summarize(answer),
        means: [400, 413, 415].includes(answer.status)
          ? 'a body parser in the app-wide stack runs for every route: put it in the stack of the route that needs it (POST /messages)'
          : 'the route did not answer as it should: if the compose-contract checks fail too, fix compose first (an error that never reaches withErrorResponses becomes a 500)',
      });
    }
  }
  const huge = rawRequest({ method: 'POST', path: `/nope-${rand()}`, headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) } });
  const headers = await withRaw(target, async (conn) => {
    await conn.write(huge);
    return conn.headers(0, scaled(2000));
  });
  if (!headers.ok || headers.value.status !== 404) {
    fail({
      sent: ncLine(huge, 'announces 10 MiB of JSON, sends none'),
      expected: 'status 404 within 2 s: no route has this path, so nothing should wait for (or refuse) the body',
      got: headers.ok ? `status ${headers.value.status}` : headers.got,
      means: 'the body is read (or judged) before routing: route first, and parse only inside the matched route\'s stack',
    });
  }
});

check({ id: 'route-local-parsing/a-guard-that-answers-stops-the-chain', group: 'route-local-parsing', title: 'A guard that answers stops the chain' }, async () => {
  const target = await server();
  const text = `sneaky ${rand()}`;
  const post = jsonShape('POST', '/messages', JSON.stringify({ text }), 'text/plain');
  const sent = [curlLine(post), `${curlLine({ path: '/messages' })}   # both on one connection`];
  const bytes = Buffer.concat([rawRequest(withLength(post)), rawRequest({ path: '/messages', headers: { Connection: 'close' } })]);
  const outcome = await withRaw(target, async (conn) => {
    await conn.write(bytes);
    return { second: await conn.response(1, scaled(3000)), first: conn.responses[0], received: conn.describeReceived() };
  });
  if (outcome.first?.status !== 415 || !outcome.second.ok || outcome.second.value.status !== 200 || !outcome.second.value.complete) {
    fail({
      sent,
      expected: 'status 415 for the text/plain POST, then status 200 for the GET, on the same connection',
      got: outcome.received,
      means: 'requireJson answered 415 and then called next() anyway: the parser and handler ran too and tried to answer a second time. Answer, then return',
      serverOutput: target.tail(),
    });
  }
  await delay(200);
  const later = await send(target, { path: '/messages' }, 'status 200 with the list');
  for (const list of [outcome.second.value.body.toString('utf8'), later.text]) {
    if (list.includes(text)) {
      fail({ sent: [...sent, later.curl], expected: `no message "${text}": the POST was refused with 415`, got: 'the message was created anyway', means: 'the middleware after the guard still ran: a guard that answers must return without calling next()' });
    }
  }
});
