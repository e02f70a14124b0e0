// The limit exists to protect the server's memory. A 128 MiB chunked upload, sent as fast
// as the server takes it: a server that stops at 64 KiB stays flat, one that collects
// first and measures afterwards grows by the whole upload.
import { chunk, ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { postEcho, randomObject } from './_bodies.ts';

const start = useServers();
const MiB = 1024 * 1024;
const PIECE = Buffer.alloc(256 * 1024, 'a');
const UPLOAD_BYTES = 128 * MiB;
/** A server that stopped at the limit grows by next to nothing; one that kept it all, by 128 MiB or more. */
const GROWTH_LIMIT = UPLOAD_BYTES / 4;

check({ id: 'limit-memory', group: 'body-limit', title: "an endless chunked upload does not grow the server's memory" }, async () => {
  const server = await start();
  // Warm up first, so the baseline includes what any first request costs.
  await postEcho(server, JSON.stringify(randomObject()));
  const baseline = await server.peakRssBytes();
  const head = rawRequest({ method: 'POST', path: '/echo', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
  const pumped = await withRaw(server, async (conn) => {
    await conn.write(Buffer.concat([head, chunk('{"pad":"')]));
    return conn.pump({ next: (i) => (i * PIECE.length < UPLOAD_BYTES ? chunk(PIECE) : undefined), everyMs: 0, forMs: scaled(20_000), stallMs: scaled(3000) });
  });
  const growth = (await server.peakRssBytes()) - baseline;
  if (growth <= GROWTH_LIMIT) return;
  fail({
    sent: ncLine(Buffer.concat([head, chunk('{"pad":"')]), 'then 256 KiB chunks as fast as the server reads them, up to 128 MiB'),
    expected: `the server's peak memory to grow by less than ${GROWTH_LIMIT / MiB} MiB: it should stop reading at 64 KiB`,
    got: `it grew by ${Math.round(growth / MiB)} MiB while the client sent ${Math.round(pumped.bytes / MiB)} MiB`,
    means: 'the body is collected first and measured afterwards: count bytes inside the loop and throw the 413 as soon as the count passes the limit, so nothing past it is ever kept',
  });
});
