/**
 * Shared by the streaming checks: peak memory growth of a fresh server while a client
 * downloads the big file, and the verdict on it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { BigJson } from './_big-json.ts';
import { fail } from '../_harness/failures.ts';
import { rssSparkline, sampleRss, type RssSeries } from './_rss-samples.ts';
import type { RunningServer, StartOptions } from '../_harness/start-server.ts';

const MB = 1024 * 1024;
/**
 * Correct streaming grows 25-75 MB whatever the file size (Node 20: ~35 MB, Node 24:
 * 58-72 MB measured with this file); buffering grows by the whole file (~255 MB).
 * Half the file sits well clear of both.
 */
const GROWTH_LIMIT_SHARE = 0.5;

/**
 * Starts a server for `big`, runs `exercise` against it, and returns the growth of its
 * peak RSS: measured by `exercise` itself when it returns `measured` (a paused client
 * samples while paused, before it hangs up), else right after it. `rss` is the server's
 * memory sampled over `exercise`, for the failure message only (the verdict is `growth`).
 */
export async function growthDuring<T>(
  start: (options?: StartOptions) => Promise<RunningServer>,
  big: BigJson,
  exercise: (server: RunningServer) => Promise<T>,
): Promise<{ server: RunningServer; outcome: T; growth: number; rss: RssSeries }> {
  const server = await start({ env: { BIG_JSON: big.path } });
  const baseline = await server.peakRssBytes();
  const sampler = sampleRss(server);
  const outcome = await exercise(server).finally(() => sampler.stop());
  const rss = await sampler.stop(); // the same series: stop() is idempotent
  // Peak memory only ever rises: each client gets its own server, or the first would mask the second.
  const measured = (outcome as { measured?: unknown }).measured;
  const peak = typeof measured === 'number' ? measured : await server.peakRssBytes();
  return { server, outcome, growth: peak - baseline, rss };
}

/**
 * The server's peak memory once it has stopped rising: polled every 100 ms until it grew
 * less than 2 MB over the last `settleMs`, or until `withinMs` is up. A server that ignores
 * backpressure keeps moving the file into its write queue for as long as the client pauses,
 * at whatever speed the machine allows: on a busy machine a fixed one-second pause ended
 * before half the file was queued, and the mutant passed. Waiting for the peak to settle
 * judges the same final state on any machine; a streaming server settles at once.
 */
export async function peakOnceSettled(server: RunningServer, { settleMs, withinMs }: { settleMs: number; withinMs: number }): Promise<number> {
  const everyMs = 100;
  const window = Math.max(1, Math.round(settleMs / everyMs));
  const deadline = performance.now() + withinMs;
  const peaks = [await server.peakRssBytes()];
  while (performance.now() < deadline) {
    await delay(everyMs);
    peaks.push(await server.peakRssBytes());
    if (peaks.length > window && peaks.at(-1)! - peaks.at(-1 - window)! < SETTLED_BYTES) break;
  }
  return peaks.at(-1)!;
}

/** Growth below this over the settle window counts as flat (one 64 KiB chunk at a time is far below). */
const SETTLED_BYTES = 2 * MB;

/**
 * `during` names the stretch `rss` covers ("over the download"): the sparkline shows the shape
 * under the number, flat for a stream, a ramp up by the file's size for a buffer.
 */
export function checkMemory(growth: number, fileBytes: number, curl: string, client: string, rss: RssSeries, during: string): void {
  const limit = fileBytes * GROWTH_LIMIT_SHARE;
  if (growth > limit) {
    fail({
      sent: curl,
      expected: `peak memory of the server to grow by less than ${Math.round(limit / MB)} MB (${GROWTH_LIMIT_SHARE * 100}% of the file) while sending it ${client}`,
      got: withSparkline(`it grew by ${Math.round(growth / MB)} MB for a ${Math.round(fileBytes / MB)} MB file`, rss, fileBytes, during),
      means: 'the file is held in memory: readFile loads all of it, and res.write() without waiting for "drain" queues all of it. Use pipeline(createReadStream(file), res)',
    });
  }
}

/** `got`, then on its own line (indented under "Got:") the memory sparkline, when there is one. */
function withSparkline(got: string, rss: RssSeries, fileBytes: number, during: string): string {
  const line = rssSparkline(rss, fileBytes, during);
  return line ? `${got}\n          ${line}` : got;
}
