// Bytes that are not JSON, or not even UTF-8, or nothing at all, are the client's mistake:
// 400, never a 500 or a crash. Each check here uses a fresh server, so a crash in one
// does not hide the next.
import { summarize } from '../_client/http.ts';
import { ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { postEcho, token } from './_bodies.ts';

const start = useServers({ reuseAfterPass: true });

const ESCAPED = 'the error escaped as an unexpected one (a 500, or the process died): turn it into an HttpError(400) where it happens';

check({ id: 'bad-bytes/broken-json-answers-400-not-500-or-a-crash', group: 'json-body', title: 'broken JSON answers 400, not 500 or a crash' }, async () => {
  const server = await start();
  const answer = await postEcho(server, `{"id":"${token()}",`);
  if (answer.complete && answer.status === 400) return;
  fail({
    sent: answer.curl,
    expected: 'status 400 Bad Request',
    got: answer.complete ? summarize(answer) : answer.problem!.got,
    means: answer.complete && answer.status !== 500 ? 'JSON.parse must run inside try/catch, and a syntax error is a 400' : `JSON.parse threw a SyntaxError and ${ESCAPED}`,
    serverOutput: server.tail(),
  });
});

check({ id: 'bad-bytes/bytes-that-are-not-utf-8-answer-400', group: 'json-body', title: 'bytes that are not UTF-8 answer 400' }, async () => {
  const server = await start();
  const body = Buffer.concat([Buffer.from(`{"note":"${token(4)}`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
  const bytes = rawRequest({ method: 'POST', path: '/echo', headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, body });
  const head = await withRaw(server, async (conn) => {
    await conn.write(bytes);
    return conn.response(0, scaled(2000));
  });
  if (head.ok && head.value.status === 400) return;
  fail({
    sent: ncLine(bytes, 'the bytes ff fe c3 are not UTF-8'),
    expected: 'status 400: the body is not valid UTF-8',
    got: head.ok ? `status ${head.value.status}: ${head.value.body.toString('utf8').slice(0, 120)}` : head.got,
    means:
      head.ok && head.value.status === 200
        ? "toString('utf8') quietly turned the bad bytes into U+FFFD: decode with new TextDecoder('utf-8', { fatal: true }) and answer 400 when it throws"
        : `decoding failed and ${ESCAPED}`,
    serverOutput: server.tail(),
  });
});

check({ id: 'bad-bytes/an-empty-body-answers-400', group: 'json-body', title: 'an empty body answers 400' }, async () => {
  const server = await start();
  const answer = await postEcho(server, '');
  if (answer.complete && answer.status === 400) return;
  fail({
    sent: answer.curl,
    expected: 'status 400: an empty body is not a JSON object',
    got: answer.complete ? summarize(answer) : answer.problem!.got,
    means: answer.complete && answer.status === 200 ? 'an empty body was treated as {}: let JSON.parse("") fail and answer 400' : `JSON.parse("") threw and ${ESCAPED}`,
    serverOutput: server.tail(),
  });
});
