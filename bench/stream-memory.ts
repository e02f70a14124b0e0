/**
 * Peak resident memory growth of the phase-06 reference server while it streams the
 * big export file: once to a client that reads as fast as it can, once to a client
 * that pauses reading (where ignored backpressure would pile the file up in memory).
 * Uses the checks' own harness, so the number is measured exactly as the check does.
 */
import path from 'node:path';
import { request } from 'undici';
import { ensureBigJson } from '../checks/_harness/big-json.ts';
import { pauseAfterHeaders } from '../checks/_harness/http.ts';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';
import { startServer, type RunningServer } from '../checks/_harness/start-server.ts';

const PHASE = '06-async-streams-structure';
const MB = 1024 * 1024;

export interface StreamMemory {
  readonly fileMb: number;
  readonly fastClientMb: number[];
  readonly pausedClientMb: number[];
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

export async function measureStreamMemory(fileBytes: number, runs: number): Promise<StreamMemory> {
  pointHarnessAtSolution();
  const big = await ensureBigJson(fileBytes, 600_000);
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
  return { fileMb: big.bytes / MB, fastClientMb, pausedClientMb };
}
