/**
 * Imports a learner's module in a child process (see _import-probe.mjs) and reports
 * what happened: whether importing it opened a socket, and whether it exports a
 * server, which the probe then listens on a port of its own choosing.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Target } from '../_client/http.ts';
import { InfraError } from '../_harness/failures.ts';
import { describeMs } from '../_harness/pace.ts';
import { freePort } from '../_harness/ports.ts';
import type { ChildHandle } from '../_process/processes.ts';
import { startWithinMs, useProbes } from '../_process/spawn-learner.ts';

const PROBE = fileURLToPath(new URL('./_import-probe.mjs', import.meta.url));

type ProbeEvent =
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
export function useModuleProbes(): (file: string) => Promise<ModuleProbe> {
  const runProbe = useProbes();
  return async (file) => {
    const withinMs = startWithinMs();
    const { proc, events } = await runProbe<ProbeEvent>({
      folder: path.dirname(file),
      probe: [PROBE, file],
      // A PORT of ours, in case the module reads it at import time.
      env: { PORT: String(await freePort()) },
      final: ['listening', 'no-server', 'import-failed', 'listen-failed'],
      withinMs,
    });
    const imported = events.find((e) => e.kind === 'imported');
    const outcome = events.find((e) => e.kind !== 'imported');
    if (!outcome && !proc.exit && !imported) {
      // Still running with nothing to say: their import hangs (or our probe is broken).
      if (!proc.output.trim()) throw new InfraError(`The module probe for ${file} said nothing within ${describeMs(withinMs)}.`);
    }
    const target: Target | undefined =
      outcome?.kind === 'listening'
        ? { origin: `http://127.0.0.1:${outcome.port}`, proc, tail: (lines?: number) => proc.tail(lines) }
        : undefined;
    return { file, imported, outcome, proc, target };
  };
}
