// A 204 has no body, so nothing may announce one: no content-length other than 0, no
// transfer-encoding. The DELETE and a GET go out pipelined on one raw connection, so any
// byte after the 204's headers would show up as garbage in front of the GET's answer.
import { curlLine } from '../_client/curl.ts';
import { rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, randomTag } from './_api.ts';

const start = useServers();

check({ id: 'delete-no-body', group: 'status-codes', title: 'DELETE answers 204 with no body at all' }, async () => {
  const server = await start();
  const { message } = await createMessage(server, `doomed ${randomTag()}`);
  const path = `/messages/${message.id}`;
  const sent = curlLine({ method: 'DELETE', path });
  const bytes = Buffer.concat([rawRequest({ method: 'DELETE', path }), rawRequest({ path: '/messages', headers: { Connection: 'close' } })]);

  const outcome = await withRaw(server, async (conn) => {
    await conn.write(bytes);
    const second = await conn.response(1, scaled(5000));
    return { first: conn.responses[0], second, protocolError: conn.protocolError, timeline: conn.timeline };
  });
  const { first } = outcome;
  if (!first) {
    fail({ sent, expected: 'status 204', got: outcome.second.ok ? 'no response' : outcome.second.got, means: 'DELETE /messages/<id> must answer', serverOutput: server.tail() });
  }
  if (first.status !== 204) {
    fail({ sent, expected: 'status 204 (deleted, nothing to say)', got: `status ${first.status}: ${first.body.toString('utf8').slice(0, 100)}`, means: 'a successful DELETE answers 204, not 200 with a body' });
  }
  const length = first.headers['content-length'];
  const chunked = first.headers['transfer-encoding'];
  if ((length !== undefined && length !== '0') || chunked !== undefined) {
    fail({
      sent,
      expected: 'a 204 without content-length (or content-length: 0) and without transfer-encoding',
      got: `204 with ${length !== undefined ? `content-length: ${length}` : `transfer-encoding: ${chunked}`}`,
      means: "a JSON helper used for the 204 announces a body (\"null\" is 4 bytes) that Node then refuses to send: a response that contradicts itself. Use res.writeHead(204); res.end()",
    });
  }
  if (!outcome.second.ok || outcome.protocolError || outcome.second.value.status !== 200) {
    fail({
      sent: [sent, curlLine({ path: '/messages' }), '(both on one connection)'],
      expected: 'the answer to the GET that followed the DELETE on the same connection: status 200',
      got: outcome.protocolError ?? (outcome.second.ok ? `status ${outcome.second.value.status}` : outcome.second.got),
      means: 'bytes were written after the 204 (a body, or a second response) and the client read them as the start of the next answer',
      serverOutput: outcome.timeline.slice(-10).join('\n'),
    });
  }
});
