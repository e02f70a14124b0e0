/**
 * A temporary phase folder for tests that start servers with the harness outside a check
 * run: <root>/workspace/01-test, with the run's scratch folder beside the workspace, named
 * to the harness by its environment variables (context.ts reads them outside vitest's
 * runner). New for each test; the servers a test started are stopped and the folder removed
 * after it, and the variables are put back after the file.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';
import type { RunningServer } from '../../checks/_harness/start-server.ts';
import { stopAll } from '../../checks/_process/processes.ts';

const NAMED = ['LEARN_NODE_HTTP_TARGET_DIR', 'LEARN_NODE_HTTP_PHASE', 'LEARN_NODE_HTTP_ENTRY', 'LEARN_NODE_HTTP_SCRATCH'] as const;

export interface PhaseFolder {
  root: string;
  phaseDir: string;
  /** Servers the tests started: stopped after each test. */
  readonly servers: RunningServer[];
}

/** `unset`: further variables the tests set themselves, removed before each test. */
export function usePhaseFolder(prefix: string, unset: readonly string[]): PhaseFolder {
  const names = [...NAMED, ...unset];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  const folder: PhaseFolder = { root: '', phaseDir: '', servers: [] };
  beforeEach(() => {
    folder.root = mkdtempSync(path.join(os.tmpdir(), prefix));
    folder.phaseDir = path.join(folder.root, 'workspace', '01-test');
    mkdirSync(folder.phaseDir, { recursive: true });
    process.env.LEARN_NODE_HTTP_TARGET_DIR = folder.phaseDir;
    process.env.LEARN_NODE_HTTP_PHASE = '01-test';
    process.env.LEARN_NODE_HTTP_ENTRY = 'server.ts';
    process.env.LEARN_NODE_HTTP_SCRATCH = path.join(folder.root, 'scratch');
    for (const name of unset) delete process.env[name];
  });
  afterEach(async () => {
    await stopAll(folder.servers.splice(0).map((server) => server.proc));
    rmSync(folder.root, { recursive: true, force: true });
  });
  afterAll(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  return folder;
}
