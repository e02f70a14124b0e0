/**
 * Ctrl-C (SIGINT) and SIGTERM to the real CLI while the checks run: every server the
 * command started is gone, its temp folder is removed, one line says so, and the exit code
 * is 130 or 143 (src/interrupt.ts). Servers are found by the marker every process of the
 * command carries (LEARN_NODE_HTTP_MARKER=learn-node-http-session:<pid>), by reading
 * /proc, so this runs on Linux only. Also: a TMPDIR that does not exist is one sentence.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sessionMarker } from '../../src/interrupt.ts';
import { removeTempDirs, tempDir } from './helpers.ts';
import { BIN, cleanEnv, runBin } from './spawn.ts';

afterAll(removeTempDirs);

const ROOT = new URL('../../', import.meta.url).pathname;
const linux = process.platform === 'linux';

function markedProcesses(pid: number): number[] {
  const needle = `LEARN_NODE_HTTP_MARKER=${sessionMarker(pid)}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle)) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

/** What the command left in its TMPDIR; tsx's compile cache (tsx-<uid>) is tsx's own, shared by every run. */
function leftovers(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => !name.startsWith('tsx-'));
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function interruptWhileServersRun(args: string[], cwd: string, tmp: string, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; servers: number[] }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv({ TMPDIR: tmp }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Interrupt once the checks have started servers (marked processes other than the CLI itself).
  const servers = await waitFor('a server started by the checks', () => {
    const found = markedProcesses(child.pid!).filter((p) => p !== child.pid);
    return found.length > 0 ? found : undefined;
  }, 60_000);
  child.kill(signal);
  const code = await Promise.race([exited, new Promise<number | null>((_, reject) => setTimeout(() => reject(new Error(`still running 20 s after ${signal}`)), 20_000))]);
  // Nothing left: no process with the marker, nothing in the temp folder (give the reaper a moment).
  await waitFor('every marked process to be gone', () => (markedProcesses(child.pid!).length === 0 ? true : undefined), 5000);
  await waitFor('the temp folder to be empty', () => (leftovers(tmp).length === 0 ? true : undefined), 5000);
  return { code, stderr, servers };
}

describe.runIf(linux)('interrupting a command that runs checks', () => {
  it('SIGINT during verify --all (a copy of the solutions): no server and no temp folder left, one line, exit 130', { timeout: 120_000 }, async () => {
    const top = tempDir('lnh-int-');
    const tmp = join(top, 'tmp');
    mkdirSync(tmp);
    cpSync(join(ROOT, 'solutions'), join(top, 'ws'), { recursive: true });
    const r = await interruptWhileServersRun(['verify', '--all', '--dir', 'ws'], top, tmp, 'SIGINT');
    expect(r.servers.length).toBeGreaterThan(0);
    expect(r.code).toBe(130);
    expect(r.stderr.match(/Interrupted/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/Interrupted \(SIGINT\): stopped every server the checks started and removed their temp folder\./);
    expect(r.stderr).not.toMatch(/machine or the install is broken|Unexpected error/);
    for (const pid of r.servers) expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  it('SIGTERM during next (phase 01 solved in a workspace): the same, exit 143', { timeout: 120_000 }, async () => {
    const top = tempDir('lnh-int-');
    const tmp = join(top, 'tmp');
    mkdirSync(tmp);
    const ws = join(top, 'ws');
    mkdirSync(ws);
    expect((await runBin(['next'], { cwd: ws, env: cleanEnv({ TMPDIR: tmp }) })).code).toBe(0);
    cpSync(join(ROOT, 'solutions', '01-raw-handler'), join(ws, '01-raw-handler'), { recursive: true });
    const before = readFileSync(join(ws, 'learn-node-http.json'), 'utf8');
    const r = await interruptWhileServersRun(['next'], ws, tmp, 'SIGTERM');
    expect(r.code).toBe(143);
    expect(r.stderr).toMatch(/Interrupted \(SIGTERM\)/);
    // Interrupted before the result: nothing recorded.
    expect(readFileSync(join(ws, 'learn-node-http.json'), 'utf8')).toBe(before);
  });
});

describe('a temp folder that cannot be used', () => {
  it('TMPDIR under a file (nothing can be created there): one sentence naming it, exit 2, no stack', { timeout: 60_000 }, async () => {
    const top = tempDir('lnh-int-');
    writeFileSync(join(top, 'a-file'), '');
    const bad = join(top, 'a-file', 'tmp');
    for (const args of [['verify', '--all', '--dir', '.'], ['status']]) {
      const r = await runBin(args, { cwd: top, env: cleanEnv({ TMPDIR: bad }) });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`The temporary folder ${bad} (from TMPDIR) cannot be used (ENOTDIR). Point TMPDIR at a folder you can write to (or unset it), then run the command again.\n`);
    }
  });

  it('TMPDIR that does not exist yet is created (tsx keeps its cache there), and the command runs', { timeout: 60_000 }, async () => {
    const top = tempDir('lnh-int-');
    const missing = join(top, 'new', 'tmp');
    const r = await runBin(['lesson', '01'], { cwd: top, env: cleanEnv({ TMPDIR: missing }) });
    expect(r.code).toBe(0);
    expect(existsSync(missing)).toBe(true);
  });
});
