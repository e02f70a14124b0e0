// GET /export sends a 256 MiB JSON file. Streamed, the server's memory stays flat;
// buffered with readFile, it grows by the size of the file.
import { attempt, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { ensureBigJson } from './_big-json.ts';
import { checkMemory, growthDuring } from './_export.ts';

const start = useServers();
const fast = once(async () => {
  const big = await ensureBigJson();
  const download = (server: Parameters<typeof attempt>[0]) =>
    attempt(server, { path: '/export' }, { headersWithinMs: scaled(5000), bodyWithinMs: scaled(30_000, { atMostMs: 120_000 }), keepBody: false });
  return { big, ...(await growthDuring(start, big, download)) };
});

check({ id: 'export-stream/get-export-answers-200-application-json-with-the-file-byte-f', group: 'piping-big-json', title: 'GET /export answers 200 application/json with the file, byte for byte' }, async () => {
  const { big, server, outcome: download } = await fast();
  if (!download.complete) {
    fail({ sent: download.curl, expected: 'status 200 and the whole file', got: download.problem!.got, means: download.problem!.means, serverOutput: server.tail() });
  }
  if (download.status !== 200 || !String(download.headers?.['content-type']).startsWith('application/json')) {
    fail({ sent: download.curl, expected: 'status 200 and content-type application/json, set before the first byte', got: summarize(download, 80), means: 'the status and headers must be decided before the stream starts: writeHead (or setHeader) first, then pipe' });
  }
  if (download.bytes !== big.bytes || download.sha256 !== big.sha256) {
    fail({
      sent: download.curl,
      expected: `the ${big.bytes} bytes of the file named by BIG_JSON, unchanged (sha256 ${big.sha256.slice(0, 12)}…)`,
      got: `${download.bytes} bytes with sha256 ${download.sha256.slice(0, 12)}…`,
      means: 'the body must be the file itself: no parse/stringify round trip, no extra text, and read the path from process.env.BIG_JSON',
    });
  }
});

check({ id: 'export-stream/memory-stays-flat-while-a-fast-client-downloads-the-file', group: 'piping-big-json', title: 'memory stays flat while a fast client downloads the file' }, async () => {
  const { big, outcome, growth, rss } = await fast();
  if (!outcome.complete || outcome.status !== 200) {
    fail({ sent: outcome.curl, expected: 'the whole file with status 200, to measure memory while it is sent', got: outcome.problem?.got ?? summarize(outcome, 80), means: 'see the first /export check: fix that one first' });
  }
  checkMemory(growth, big.bytes, outcome.curl, 'to a client that reads as fast as it can', rss, 'over the download');
});
