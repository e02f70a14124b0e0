/**
 * Runs the real CLI (bin/learn-node-http.js) as a child process with a deadline, no TTY and
 * a clean environment, and measures when its first output line arrived.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/learn-node-http.js', import.meta.url));

export interface Spawned {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Milliseconds from spawn to the first byte on stdout or stderr. */
  readonly firstOutputMs: number | null;
}

/** Environment for the child: no CI hints or colour forcing leaking in from the test runner. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SystemRoot', 'NODE_EXTRA_CA_CERTS', 'npm_config_cache', 'npm_config_registry']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

export function runBin(args: readonly string[], options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; command?: string[] }): Promise<Spawned> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const [cmd, ...pre] = options.command ?? [process.execPath, BIN];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstOutputMs: number | null = null;
    let stdout = '';
    let stderr = '';
    const child = spawn(cmd!, [...pre, ...args], { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const first = (): void => {
      firstOutputMs ??= performance.now() - started;
    };
    child.stdout.on('data', (d: Buffer) => {
      first();
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      first();
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`learn-node-http ${args.join(' ')} did not finish within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, firstOutputMs });
    });
  });
}
