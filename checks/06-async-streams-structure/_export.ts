/**
 * Shared by the streaming checks: peak memory growth of a fresh server while a client
 * downloads the big file, and the verdict on it.
 */
import type { BigJson } from '../_harness/big-json.ts';
import { fail } from '../_harness/failures.ts';
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
 * samples while paused, before it hangs up), else right after it.
 */
export async function growthDuring<T>(
  start: (options?: StartOptions) => Promise<RunningServer>,
  big: BigJson,
  exercise: (server: RunningServer) => Promise<T>,
): Promise<{ server: RunningServer; outcome: T; growth: number }> {
  const server = await start({ env: { BIG_JSON: big.path } });
  const baseline = await server.peakRssBytes();
  const outcome = await exercise(server);
  // Peak memory only ever rises: each client gets its own server, or the first would mask the second.
  const measured = (outcome as { measured?: unknown }).measured;
  const peak = typeof measured === 'number' ? measured : await server.peakRssBytes();
  return { server, outcome, growth: peak - baseline };
}

export function checkMemory(growth: number, fileBytes: number, curl: string, client: string): void {
  const limit = fileBytes * GROWTH_LIMIT_SHARE;
  if (growth > limit) {
    fail({
      sent: curl,
      expected: `peak memory of the server to grow by less than ${Math.round(limit / MB)} MB (${GROWTH_LIMIT_SHARE * 100}% of the file) while sending it ${client}`,
      got: `it grew by ${Math.round(growth / MB)} MB for a ${Math.round(fileBytes / MB)} MB file`,
      means: 'the file is held in memory: readFile loads all of it, and res.write() without waiting for "drain" queues all of it. Use pipeline(createReadStream(file), res)',
    });
  }
}
