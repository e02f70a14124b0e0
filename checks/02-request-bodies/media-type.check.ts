// /echo parses only what is labelled JSON. The media type is the part before ";":
// "application/json; charset=utf-8" is JSON, "text/plain" and no label at all are not.
import { summarize } from '../_client/http.ts';
import { rawRequest, ncLine, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { echoes, postEcho, randomObject } from './_bodies.ts';

const start = useServers();
const server = once(() => start());

check({ id: 'media-type/post-echo-with-content-type-text-plain-answers-415', group: 'media-type', title: 'POST /echo with content-type text/plain answers 415' }, async () => {
  const answer = await postEcho(await server(), JSON.stringify(randomObject()), { 'content-type': 'text/plain' });
  if (answer.complete && answer.status === 415) return;
  fail({
    sent: answer.curl,
    expected: 'status 415 Unsupported Media Type',
    got: answer.complete ? summarize(answer) : answer.problem!.got,
    means: 'the body was parsed whatever its label: compare the media type of content-type with application/json before reading the body',
  });
});

check({ id: 'media-type/post-echo-without-a-content-type-answers-415', group: 'media-type', title: 'POST /echo without a content-type answers 415' }, async () => {
  const target = await server();
  const body = JSON.stringify(randomObject());
  // Raw bytes: with no content-type at all (most clients add one for you).
  const bytes = rawRequest({ method: 'POST', path: '/echo', headers: { 'content-length': String(Buffer.byteLength(body)) }, body });
  const head = await withRaw(target, async (conn) => {
    await conn.write(bytes);
    return conn.headers(0, scaled(2000));
  });
  if (head.ok && head.value.status === 415) return;
  fail({
    sent: ncLine(bytes),
    expected: 'status 415: a body with no content-type is not labelled JSON',
    got: head.ok ? `status ${head.value.status}` : head.got,
    means: 'a missing header reads as undefined; only a present application/json media type may pass (undefined must fail the check too)',
    serverOutput: target.tail(),
  });
});

check({ id: 'media-type/a-charset-parameter-does-not-make-json-unsupported', group: 'media-type', title: 'a charset parameter does not make JSON unsupported' }, async () => {
  const sent = randomObject();
  const answer = await postEcho(await server(), JSON.stringify(sent), { 'content-type': 'Application/JSON; charset=UTF-8' });
  if (answer.complete && answer.status === 200 && echoes(answer, sent)) return;
  fail({
    sent: answer.curl,
    expected: 'status 200 and the same object back',
    got: answer.complete ? summarize(answer) : answer.problem!.got,
    means: 'the whole header was compared: cut it at ";", trim and lower-case it, then compare the media type with application/json',
  });
});
