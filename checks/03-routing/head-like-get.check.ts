// HEAD is GET without the body: same status, same content-type and content-length.
// HEAD and GET go out pipelined on one raw connection: if any body byte followed the
// HEAD's headers, it would sit in front of the GET's status line and break it.
import { curlLine } from '../_client/curl.ts';
import { rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage } from './_messages.ts';

const start = useServers();

check({ id: 'head-like-get', group: 'method-not-allowed', title: 'HEAD answers like GET, without a body' }, async () => {
  const server = await start();
  await createMessage(server);
  const sent = [curlLine({ method: 'HEAD', path: '/messages' }), `${curlLine({ path: '/messages' })}   # both on one connection`];
  const bytes = Buffer.concat([rawRequest({ method: 'HEAD', path: '/messages' }), rawRequest({ path: '/messages', headers: { Connection: 'close' } })]);
  const outcome = await withRaw(server, async (conn) => {
    conn.expectNoBody(0);
    await conn.write(bytes);
    const head = await conn.headers(0, scaled(3000));
    const get = await conn.response(1, scaled(3000));
    return { head, get, protocolError: conn.protocolError, received: conn.describeReceived(), timeline: conn.timeline };
  });
  if (!outcome.head.ok || outcome.head.value.status !== 200) {
    fail({
      sent: sent[0],
      expected: 'status 200, the same answer GET /messages gets, without its body',
      got: outcome.head.ok ? `status ${outcome.head.value.status} ${outcome.head.value.reason}` : outcome.head.got,
      means: 'HEAD needs an explicit rule: when no row is registered for HEAD, use the GET row of the same path (Node leaves the body out by itself)',
      serverOutput: server.tail(),
    });
  }
  const head = outcome.head.value;
  if (outcome.protocolError || !outcome.get.ok || !outcome.get.value.complete || outcome.get.value.status !== 200) {
    fail({
      sent,
      expected: 'the HEAD headers, then at once the complete GET response (status 200)',
      got: outcome.protocolError ? `after the HEAD headers: ${outcome.protocolError}` : `${outcome.received}`,
      means: 'body bytes were written after the HEAD headers (a raw socket write, or a second response): a HEAD answer ends with its headers',
      serverOutput: outcome.timeline.slice(-10).join('\n'),
    });
  }
  const get = outcome.get.value;
  for (const name of ['content-type', 'content-length']) {
    if (head.headers[name] !== get.headers[name]) {
      fail({
        sent,
        expected: `HEAD and GET to carry the same ${name} (GET said ${get.headers[name] ?? 'nothing'})`,
        got: `HEAD said ${head.headers[name] === undefined ? 'nothing' : head.headers[name]}`,
        means: 'answer HEAD by running the GET handler: a separate HEAD handler drifts away from what GET really sends',
      });
    }
  }
});
