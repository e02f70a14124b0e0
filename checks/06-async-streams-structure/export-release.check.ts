// A client that leaves mid-download (a closed tab, a dropped phone) must not leave the
// export file open on the server. pipeline() destroys the file stream when the response
// closes; a bare .pipe() only unpipes, and the paused stream keeps its file descriptor
// until the process ends: enough departures and the server hits EMFILE.
// Measured through the server's open descriptors (/proc/<pid>/fd), so Linux only.
import { existsSync } from 'node:fs';
import { readdir, readlink, realpath } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { send, summarize } from '../_client/http.ts';
import { ncLine, openRaw, rawRequest } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { ensureBigJson } from './_big-json.ts';

const start = useServers();
const RELEASE_WITHIN_MS = 2000;
const CAN_MEASURE = existsSync(`/proc/${process.pid}/fd`);
const NO_PROC_NOTE = 'skipped: open file descriptors are read from /proc/<pid>/fd, which only Linux has; run this check on Linux';

/** How many of the process's open descriptors point at `file`. */
async function openCount(pid: number, file: string): Promise<number> {
  const entries = await readdir(`/proc/${pid}/fd`).catch(() => []);
  const targets = await Promise.all(entries.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target === file).length;
}

const left = once(async () => {
  const big = await ensureBigJson();
  const file = await realpath(big.path);
  const server = await start({ env: { BIG_JSON: big.path } });
  const bytes = rawRequest({ path: '/export' });
  const sent = [`BIG_JSON=<a ${Math.round(big.bytes / 2 ** 20)} MB file> ${server.commandLine}`, `${ncLine(bytes)}   # then press Ctrl+C after the first bytes`, `ls -l /proc/<pid of the server>/fd`];
  const conn = await openRaw(server);
  let openWhileSending = 0;
  try {
    await conn.write(bytes);
    const headers = await conn.headers(0, scaled(5000));
    if (!headers.ok || headers.value.status !== 200) {
      fail({ sent, expected: 'status 200 and the start of the file', got: headers.ok ? `status ${headers.value.status}` : headers.got, means: 'see the first /export check: fix that one first', serverOutput: server.tail() });
    }
    // Let the download get going, then look: the file should be open now.
    await delay(100);
    openWhileSending = await openCount(server.pid, file);
    conn.reset();
  } finally {
    conn.destroy();
  }
  const leftAt = performance.now();
  const withinMs = scaled(RELEASE_WITHIN_MS);
  let stillOpen = openWhileSending;
  while (stillOpen > 0 && performance.now() - leftAt < withinMs) {
    await delay(50);
    stillOpen = await openCount(server.pid, file);
  }
  return { server, sent, openWhileSending, stillOpen, withinMs };
});

check({ id: 'export-release', group: 'piping-big-json', title: 'a client that leaves mid-download does not leave the file open on the server' }, async (ctx) => {
  if (!CAN_MEASURE) ctx.skip(NO_PROC_NOTE);
  const { server, sent, stillOpen, withinMs } = await left();
  if (stillOpen > 0) {
    fail({
      sent,
      expected: `the export file closed within ${withinMs} ms of the client leaving`,
      got: `the server still has the file open (${stillOpen} descriptor${stillOpen > 1 ? 's' : ''}) ${withinMs} ms after the client reset the connection`,
      means:
        'source.pipe(res) does not destroy the file stream when the response closes early: it only stops piping, and the paused stream keeps its descriptor for as long as the process lives. Use await pipeline(createReadStream(file), res), or destroy the source on res "close" yourself. ' +
        'A hand-written loop that waits for "drain" hangs the same way when the client left before the wait began: check res.destroyed first',
      serverOutput: server.tail(),
    });
  }
  const next = await send(server, { path: '/messages' }, 'status 200 from GET /messages after the abandoned download');
  if (next.status !== 200) fail({ sent: next.curl, expected: 'status 200', got: summarize(next), means: 'a client leaving mid-download broke the server' });
});
