/**
 * Wall time of `learn-node-http verify <phase>` on the reference solution, measured the
 * way a learner meets it: a fresh CLI process per run, the big file already cached.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';

const CLI = path.join(PACKAGE_ROOT, 'bin/learn-node-http.js');
const RUN_DEADLINE_MS = 180_000;

export interface VerifyTiming {
  readonly seconds: number[];
  readonly checks: number;
}

/** Runs verify `runs` times on a copy of solutions/<phaseId>; every run must pass. */
export async function timeVerify(phaseId: string, runs: number): Promise<VerifyTiming> {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'lnh-bench-'));
  try {
    await cp(path.join(PACKAGE_ROOT, 'solutions', phaseId), path.join(workspace, phaseId), { recursive: true });
    const seconds: number[] = [];
    let checks = 0;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const report = await runCli(['verify', phaseId.slice(0, 2), '--dir', workspace, '--reporter', 'json']);
      seconds.push((performance.now() - started) / 1000);
      const parsed = JSON.parse(report) as { status: string; tests: unknown[] };
      if (parsed.status !== 'pass') throw new Error(`verify ${phaseId} did not pass on the reference solution:\n${report}`);
      checks = parsed.tests.length;
    }
    return { seconds, checks };
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

function runCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`learn-node-http ${args.join(' ')} exited with ${code}\n${stderr}\n${stdout.slice(-2000)}`));
    });
  });
}
