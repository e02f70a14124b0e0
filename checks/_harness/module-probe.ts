/**
 * Imports a learner's module in a child process (see import-probe.mjs) and reports
 * what happened: whether importing it opened a socket, and whether it exports a
 * server, which the probe then listens on a port of its own choosing.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { afterAll } from 'vitest';
import { cleanEnv } from './clean-env.ts';
import { runScratchDir } from './context.ts';
import { sandboxFor, serverTmpDir } from './sandbox.ts';
import { InfraError } from './failures.ts';
import type { Target } from './http.ts';
import { launch, stopAll, type ChildHandle } from './processes.ts';
import { freePort } from './start-server.ts';

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const PROBE = fileURLToPath(new URL('./import-probe.mjs', import.meta.url));
const MARKER = '@@learn-node-http-probe@@';

export type ProbeEvent =
  | { kind: 'imported'; listenCalls: string[]; openSockets: number; exportNames: string[] }
  | { kind: 'import-failed'; error: string }
  | { kind: 'no-server'; problem: string }
  | { kind: 'listen-failed'; error: string }
  | { kind: 'listening'; port: number; via: string };

export interface ModuleProbe {
  readonly file: string;
  readonly imported?: Extract<ProbeEvent, { kind: 'imported' }>;
  /** The last event: listening, or why not. Undefined if the probe died or hung. */
  readonly outcome?: Exclude<ProbeEvent, { kind: 'imported' }>;
  readonly proc: ChildHandle;
  /** Set when the exported server is listening: send requests here. */
  readonly target?: Target;
}

/** Registers an afterAll that stops every probe this check file started. */
export function useModuleProbes(): (file: string, withinMs?: number) => Promise<ModuleProbe> {
  const started: ChildHandle[] = [];
  afterAll(() => stopAll(started));
  return async (file, withinMs = 10_000) => {
    const port = await freePort();
    // The learner's module runs under the same permission sandbox as their server.
    const sandbox = sandboxFor(path.dirname(file), serverTmpDir(runScratchDir()));
    const proc = launch(['--import', TSX_LOADER, PROBE, file], {
      cwd: path.dirname(file),
      // A PORT of ours, in case the module reads it at import time.
      env: cleanEnv({ ...sandbox?.env, PORT: String(port) }),
      nodeFlags: sandbox?.nodeFlags ?? [],
    });
    started.push(proc);
    return collect(file, proc, withinMs);
  };
}

async function collect(file: string, proc: ChildHandle, withinMs: number): Promise<ModuleProbe> {
  const final = new RegExp(`${MARKER}\\{"kind":"(listening|no-server|import-failed|listen-failed)"`);
  await proc.waitForOutput(final, withinMs);
  const events = proc.stdout
    .split('\n')
    .filter((line) => line.startsWith(MARKER))
    .map((line) => JSON.parse(line.slice(MARKER.length)) as ProbeEvent);
  const imported = events.find((e): e is Extract<ProbeEvent, { kind: 'imported' }> => e.kind === 'imported');
  const outcome = events.find((e): e is Exclude<ProbeEvent, { kind: 'imported' }> => e.kind !== 'imported');
  if (!outcome && !proc.exit && !imported) {
    // Still running with nothing to say: their import hangs (or our probe is broken).
    if (!proc.output.trim()) throw new InfraError(`The module probe for ${file} said nothing within ${withinMs} ms.`);
  }
  const target: Target | undefined =
    outcome?.kind === 'listening'
      ? { origin: `http://127.0.0.1:${outcome.port}`, proc, tail: (lines?: number) => proc.tail(lines) }
      : undefined;
  return { file, imported, outcome, proc, target };
}
