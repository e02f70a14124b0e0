/**
 * Peak resident memory growth of the phase-06 reference server while it streams the
 * big export file: once to a client that reads as fast as it can, once to a client
 * that pauses reading (where ignored backpressure would pile the file up in memory).
 * Uses the checks' own harness, so the number is measured exactly as the check does.
 *
 * The export file of each size is generated once into the checks' cache folder
 * (LEARN_NODE_HTTP_CACHE, else $TMPDIR/learn-node-http-cache) and reused by every later
 * run; before generating one, the free disk space there is checked.
 */
import { existsSync } from 'node:fs';
import { mkdir, statfs } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { cacheDir, ensureBigJson, type BigJson } from '../checks/06-async-streams-structure/_big-json.ts';
import { pauseAfterHeaders } from '../checks/_client/http.ts';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';
import { startServer, type RunningServer } from '../checks/_harness/start-server.ts';
import { BenchRefusal } from './table.ts';

const PHASE = '06-async-streams-structure';
const MB = 1024 * 1024;

export interface StreamMemory {
  readonly fileMb: number;
  /** Seconds spent generating the file in this run; 0 when it was already cached. */
  readonly generatedSeconds: number;
  readonly fastClientMb: number[];
  readonly pausedClientMb: number[];
}

/** Room beyond the file itself: its hash, a filesystem's reserve, the rest of the system. */
const DISK_SLACK_BYTES = 256 * MB;

/**
 * The cached export of `bytes`, generated first if needed (saying so: 1 GB takes a while).
 * Refuses with a sentence, before writing anything, when the cache's disk has no room for it.
 */
export async function cachedExport(bytes: number, say: (text: string) => void): Promise<{ file: BigJson; generatedSeconds: number }> {
  const dir = cacheDir();
  // _big-json.ts names its files big-<bytes>.json, with the hash beside it once complete.
  const file = path.join(dir, `big-${bytes}.json`);
  if (existsSync(file) && existsSync(`${file}.sha256`)) return { file: await ensureBigJson(bytes), generatedSeconds: 0 };
  await mkdir(dir, { recursive: true });
  const disk = await statfs(dir);
  const free = disk.bavail * disk.bsize;
  if (free < bytes + DISK_SLACK_BYTES) {
    throw new BenchRefusal(
      `Not enough disk space to generate the ${Math.round(bytes / MB)} MB export file: ${dir} has ${Math.floor(free / MB)} MB free ` +
        `and needs about ${Math.ceil((bytes + DISK_SLACK_BYTES) / MB)} MB. Free some space there, point LEARN_NODE_HTTP_CACHE ` +
        'at a folder on a disk with room, or measure smaller files only (npm run bench -- --sizes 256).',
    );
  }
  say(`  generating the ${Math.round(bytes / MB)} MB export once into ${dir} (later runs reuse it) …`);
  const started = performance.now();
  const ready = await ensureBigJson(bytes, 600_000);
  return { file: ready, generatedSeconds: (performance.now() - started) / 1000 };
}

/** The harness reads its submission from these when it runs outside vitest. */
function pointHarnessAtSolution(): void {
  process.env.LEARN_NODE_HTTP_TARGET_DIR = path.join(PACKAGE_ROOT, 'solutions', PHASE);
  process.env.LEARN_NODE_HTTP_PHASE = PHASE;
  process.env.LEARN_NODE_HTTP_ENTRY = 'main.ts,server.ts';
}

async function growthMb(bigPath: string, exercise: (server: RunningServer) => Promise<number | undefined>): Promise<number> {
  const server = await startServer({ env: { BIG_JSON: bigPath } });
  try {
    const baseline = await server.peakRssBytes();
    const measured = await exercise(server);
    const peak = measured ?? (await server.peakRssBytes());
    return (peak - baseline) / MB;
  } finally {
    await server.stop();
  }
}

async function downloadAll(server: RunningServer, expectedBytes: number): Promise<undefined> {
  const response = await request(`${server.origin}/export`, { reset: true, signal: AbortSignal.timeout(120_000) });
  let received = 0;
  for await (const chunk of response.body) received += (chunk as Buffer).length;
  if (response.statusCode !== 200 || received !== expectedBytes) {
    throw new Error(`GET /export gave status ${response.statusCode} and ${received} of ${expectedBytes} bytes`);
  }
  return undefined;
}

export async function measureStreamMemory(fileBytes: number, runs: number, say: (text: string) => void = () => {}): Promise<StreamMemory> {
  const { file: big, generatedSeconds } = await cachedExport(fileBytes, say);
  pointHarnessAtSolution();
  const fastClientMb: number[] = [];
  const pausedClientMb: number[] = [];
  for (let run = 0; run < runs; run++) {
    fastClientMb.push(await growthMb(big.path, (server) => downloadAll(server, big.bytes)));
    pausedClientMb.push(
      await growthMb(big.path, async (server) => {
        const read = await pauseAfterHeaders(server, { path: '/export' }, { pauseMs: 1000, headersWithinMs: 10_000, whilePaused: () => server.peakRssBytes() });
        if (read.problem || read.measured === undefined) throw new Error(`paused client: ${read.problem?.got ?? 'no measurement'}`);
        return read.measured;
      }),
    );
  }
  return { fileMb: big.bytes / MB, generatedSeconds, fastClientMb, pausedClientMb };
}
