// A chunked upload carries no content-length: only counting bytes as they arrive can stop
// it. The upload here never ends on its own (16 KiB every 10 ms), so a server that reads
// everything first and measures afterwards answers only when the client gives up.
import { chunk, LAST_CHUNK, ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { describeMs, scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { LIMIT } from './_bodies.ts';

const start = useServers();
const PIECE = Buffer.alloc(16 * 1024, 'a');
/** Long enough for a loaded machine to answer a correct server many times over. */
const UPLOAD_MS = 6000;

check({ id: 'limit-streamed', group: 'body-limit', title: 'a chunked upload over 64 KiB is answered 413 while it is still being sent' }, async () => {
  const server = await start();
  const head = rawRequest({ method: 'POST', path: '/echo', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
  const uploadMs = scaled(UPLOAD_MS);
  const sent = ncLine(Buffer.concat([head, chunk('{"pad":"')]), `then a 16 KiB chunk of "a" every 10 ms for ${describeMs(uploadMs)}`);
  const outcome = await withRaw(server, async (conn) => {
    await conn.write(Buffer.concat([head, chunk('{"pad":"')]));
    const pumped = await conn.pump({ next: () => chunk(PIECE), everyMs: 10, forMs: uploadMs, stallMs: scaled(3000) });
    if (conn.responses.length === 0 && !conn.isClosed) {
      // Let a buffer-everything server finish, to say what it would have answered.
      await conn.write(Buffer.concat([chunk('"}'), Buffer.from(LAST_CHUNK)]));
      await conn.headers(0, scaled(3000));
    }
    return { pumped, response: conn.responses[0], received: conn.describeReceived() };
  });
  const { pumped, response } = outcome;
  // A response that came before the client stopped on its own came while it was still sending.
  const whileSending = response !== undefined && pumped.stoppedBecause !== 'time';
  if (whileSending && response.status === 413) return;
  const kib = Math.round(pumped.bytes / 1024);
  fail({
    sent,
    expected: `a 413 soon after the first ${LIMIT} bytes, while the upload is still going`,
    got:
      whileSending
        ? `status ${response.status} after ${kib} KiB`
        : pumped.stoppedBecause === 'time'
          ? `nothing while ${kib} KiB went up over ${describeMs(uploadMs)}; after the client ended the body: ${outcome.received}`
          : `${pumped.got ?? 'the upload stopped'} after ${kib} KiB, with ${outcome.received}`,
    means:
      pumped.stoppedBecause === 'time'
        ? 'the body is read to the end before its size is checked: add chunk.length to a counter inside the loop and throw a 413 as soon as it passes the limit'
        : whileSending
          ? 'the streamed body went over the limit: that is a 413'
          : 'the server cut or stopped the upload without answering: throw an HttpError(413) from the loop and let the error handler answer it',
    serverOutput: server.tail(),
  });
});
