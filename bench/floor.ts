/**
 * The floor a phase's verify is compared with: what the least possible checker would do.
 * Start the reference server once under tsx (how a learner runs it by hand), wait until it
 * answers, send as many requests as the phase has checks, stop it. No test runner, no
 * per-check server, no report. Issue 12 defines it this way; `verify NN` is judged by its
 * ratio to this floor.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';
import { freePort } from '../checks/_harness/ports.ts';
import type { Phase } from '../src/course/types.ts';

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const READY_WITHIN_MS = 30_000;

/** Seconds for one floor run of `phase`: start, `requests` GET / on one keep-alive connection, stop. */
export async function floorSeconds(phase: Phase, requests: number, bigJson: string): Promise<number> {
  const folder = path.join(PACKAGE_ROOT, 'solutions', phase.id);
  const entry = phase.entry.find((name) => existsSync(path.join(folder, name)))!;
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, entry], {
    cwd: folder,
    env: { PATH: process.env.PATH, PORT: String(port), BIG_JSON: bigJson },
    stdio: 'ignore',
  });
  const agent = new Agent({ connections: 1 });
  try {
    await untilAnswering(port, agent);
    for (let i = 1; i < requests; i++) await get(port, agent);
    return (performance.now() - started) / 1000;
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit');
    await agent.close();
  }
}

async function untilAnswering(port: number, agent: Agent): Promise<void> {
  const deadline = performance.now() + READY_WITHIN_MS;
  for (;;) {
    try {
      await get(port, agent);
      return;
    } catch (error) {
      if (performance.now() > deadline) throw new Error(`the reference server did not answer on port ${port} within ${READY_WITHIN_MS} ms: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

async function get(port: number, agent: Agent): Promise<void> {
  const response = await request(`http://127.0.0.1:${port}/`, { dispatcher: agent });
  await response.body.dump();
}
