// Every error of the API has one shape: JSON { "error": "<sentence>" } with an honest
// content-type and content-length, whichever layer noticed the problem (router,
// validator, body parser, store). A client then needs exactly one code path for errors.
import { randomUUID } from 'node:crypto';
import { attempt } from '../_client/http.ts';
import { ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, errorShapeProblem as shapeProblem, JSON_TYPE, patient, randomTag } from './_api.ts';

const start = useServers();

check({ id: 'error-bodies', group: 'error-shape', title: 'Every error is JSON with an "error" field' }, async () => {
  const server = await start();
  const { message } = await createMessage(server, `target ${randomTag()}`);
  const cases = [
    { path: `/nothing-here-${randomTag()}` },
    { path: `/messages/${randomUUID()}` },
    { path: `/messages/${randomTag(3)}-not-an-id` },
    { method: 'POST', path: '/messages', headers: JSON_TYPE, body: '{"text":' },
    { method: 'PUT', path: `/messages/${message.id}`, headers: JSON_TYPE, body: '{"text":"x"}' },
    { method: 'POST', path: '/messages', headers: { 'content-type': 'text/plain' }, body: 'hello' },
    { path: '/messages?limit=zero' },
    { path: '/messages/%zz' },
  ];
  const wrong: { sent: string; got: string }[] = [];
  for (const shape of cases) {
    const answer = await attempt(server, shape, patient());
    const got = answer.complete ? shapeProblem({ status: answer.status, headers: answer.headers ?? {}, body: answer.body }) : answer.problem!.got;
    if (got) wrong.push({ sent: answer.curl, got: got.replace(/\s+/g, ' ') });
  }

  // A body declared far over the 64 KiB limit, and never sent: the 413 must come from the headers alone.
  const oversize = rawRequest({ method: 'POST', path: '/messages', headers: { 'Content-Type': 'application/json', 'Content-Length': '70000' } });
  const raw = await withRaw(server, async (conn) => {
    await conn.write(oversize);
    return conn.response(0, scaled(5000));
  });
  const got413 = raw.ok ? shapeProblem(raw.value) ?? (raw.value.status === 413 ? undefined : `status ${raw.value.status} (expected 413)`) : raw.got;
  if (got413) wrong.push({ sent: ncLine(oversize, 'declares 70000 bytes and sends none'), got: got413 });

  if (wrong.length > 0) {
    fail({
      sent: wrong.slice(0, 3).map((w) => w.sent),
      expected: 'every error answered with content-type application/json, a correct content-length and a body like {"error":"…"}',
      got: wrong.map((w) => `${w.got}`).join('\n          '),
      means: wrong.some((w) => w.got.includes('(expected a 4xx error)'))
        ? 'a request that is wrong was answered as a success: the validation of that input is missing (see "Validation at the edge"); every rejection must then leave through the one error helper'
        : 'some path answers errors itself (res.end("Not Found"), a 405 or 415 written by hand) or not at all: throw HttpError everywhere and let the one error middleware write every error with sendJson',
      serverOutput: server.tail(),
    });
  }
});
