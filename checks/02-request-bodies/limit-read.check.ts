// A 413 is only useful if the client reads it. A client uploading a big file keeps sending
// while the answer travels back (curl does, and so does this check: it goes on sending
// after the 413 arrives). A server that closes the socket as soon as it has written the
// 413 makes the OS answer those bytes with a reset, and a client busy sending often dies on
// the reset before it reads the 413 (curl: "exit 55, failed sending data"). The fix is a
// lingering close: keep the connection a moment after the 413, then close.
import { chunk, ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { LIMIT } from './_bodies.ts';

const start = useServers();
const PIECE = Buffer.alloc(16 * 1024, 'b');
/** Pieces sent in all: the limit is passed at the 4th, then 8 more (128 KiB) follow. */
const PIECES = 12;

check({ id: 'limit-read', group: 'body-limit', title: 'a client still uploading reads the whole 413, and the connection is not reset under it' }, async () => {
  const server = await start();
  const head = rawRequest({ method: 'POST', path: '/echo', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
  const first = Buffer.concat([head, chunk('{"pad":"')]);
  const sent = ncLine(first, `then ${PIECES} chunks of 16 KiB, one every 10 ms, reading nothing until the last is sent`);
  const outcome = await withRaw(server, async (conn) => {
    // Like curl in the middle of an upload: it keeps sending (a FIN does not stop it) and
    // reads the answer only between sends; here, only once the pieces are out. A send that
    // fails because the server reset the connection takes the unread 413 down with it.
    conn.socket.allowHalfOpen = true;
    conn.socket.pause();
    await conn.write(first);
    const pumped = await conn.pump({ next: (i) => (i < PIECES ? chunk(PIECE) : undefined), everyMs: 10, forMs: scaled(8000), stallMs: scaled(1000), stopOnResponse: false });
    conn.socket.resume();
    const answer = await conn.response(0, scaled(2000));
    return { pumped, answer, reset: conn.closeError, received: conn.describeReceived() };
  });
  const { pumped, answer, reset } = outcome;
  if (answer.ok && answer.value.complete && answer.value.status === 413) return;
  fail({
    sent,
    expected: `a complete 413 response, read after the client sent ${PIECES * 16} KiB (the limit is ${LIMIT} bytes)`,
    got: `${outcome.received}${reset ? `: the connection was reset under the client (${reset}) after ${pumped.pieces} of ${PIECES} pieces` : answer.ok ? '' : `; ${answer.got}`}`,
    means: reset
      ? 'the server closed the socket right after writing the 413 while the client was still sending, so the OS reset the connection and the client lost the 413 before reading it (curl: "exit 55, failed sending data"). Write the 413, then end the response only once the body has ended or after a linger of a second or two'
      : 'no 413 reached a client that was still uploading past the limit: count the bytes inside the loop and answer 413 as soon as the count passes the limit',
    serverOutput: server.tail(),
  });
});
