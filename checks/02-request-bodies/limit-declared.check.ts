// A client that announces more than the limit is refused at once, from the header alone:
// reading (or waiting for) a body you will refuse anyway wastes time and memory. The 413
// closes the connection, because the unread body bytes would otherwise be taken for the
// next request.
import { randomInt } from 'node:crypto';
import { ncLine, openRaw, rawRequest } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { LIMIT } from './_bodies.ts';

const start = useServers();

const declaredOnly = once(async () => {
  const server = await start();
  const declared = LIMIT + 1 + randomInt(10_000_000);
  // Headers only: the body is never sent. A server that waits for it before deciding never answers.
  const bytes = rawRequest({ method: 'POST', path: '/echo', headers: { 'content-type': 'application/json', 'content-length': String(declared) } });
  const conn = await openRaw(server);
  try {
    await conn.write(bytes);
    const head = await conn.headers(0, scaled(2000));
    // A server may linger a moment (up to 2 s) before closing, so the client can read the 413.
    const closed = head.ok ? await conn.closed(scaled(4000)) : undefined;
    return { server, declared, sent: ncLine(bytes, 'headers only, the body never follows'), head, closed };
  } finally {
    conn.destroy();
  }
});

check({ id: 'limit-declared/a-declared-content-length-over-64-kib-is-answered-413-before', group: 'body-limit', title: 'a declared content-length over 64 KiB is answered 413 before the body is sent' }, async () => {
  const { server, declared, sent, head } = await declaredOnly();
  if (head.ok && head.value.status === 413) return;
  fail({
    sent,
    expected: `status 413 right away: content-length ${declared} is over the ${LIMIT}-byte limit`,
    got: head.ok ? `status ${head.value.status}` : head.got,
    means: head.ok
      ? 'the declared length must be compared with the limit before reading: Number(req.headers["content-length"]) > limit means 413'
      : 'the server waited for a body the client never sent: check content-length before reading a single byte',
    serverOutput: server.tail(),
  });
});

check({ id: 'limit-declared/the-413-says-connection-close-and-the-server-closes-the-conn', group: 'body-limit', title: 'the 413 says connection: close, and the server closes the connection' }, async () => {
  const { sent, head, closed } = await declaredOnly();
  if (!head.ok || head.value.status !== 413) {
    fail({ sent, expected: 'a 413 to inspect', got: head.ok ? `status ${head.value.status}` : head.got, means: 'fix the previous check first: no early 413 arrived' });
  }
  const connection = (head.value.headers.connection ?? '').toLowerCase();
  if (connection.split(',').map((part) => part.trim()).includes('close') && closed?.ok) return;
  fail({
    sent,
    expected: 'the header connection: close, then the server closing the connection',
    got: `connection: ${head.value.headers.connection ?? '(none)'}; ${closed?.ok ? `closed after ${closed.value} ms` : (closed?.got ?? 'the connection stayed open')}`,
    means: "the unread body would be read as the next request on this connection: res.setHeader('connection', 'close') before sending a 413",
  });
});
