/**
 * Runs one phase's hidden checks against one learner folder and returns plain results.
 *
 * This is the only module that imports vitest/node. vitest is an implementation
 * detail here: it prints nothing (our reporter collects, its logger writes into a
 * buffer), and what leaves this module is CheckResult data for the CLI to print.
 *
 * Loading note: importing vitest/node under tsx's hooks costs ~0.8 s instead of
 * ~0.2 s on Node 20, so the process entry should import 'vitest/node' before it
 * registers tsx (the module cache then serves this import for free).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import type { CheckResult, PhaseRun, ProgressEvent } from './types.ts';
import { ResultCollector } from './collect.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    targetDir: string;
    phaseId: string;
    entry: readonly string[];
  }
}

export interface RunPhaseChecksOptions {
  readonly phaseId: string;
  /** Absolute path of checks/<phaseId>/ inside the package. */
  readonly checksDir: string;
  /** The learner's phase folder. */
  readonly targetDir: string;
  /** phase.json "entry": the files to start, in order of preference. */
  readonly entry: readonly string[];
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** vitest's root must stay the package: with root elsewhere, the default exclude drops node_modules paths. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Checks mostly wait on child processes and sockets, so a few more workers than cores
 * pays off; more than this and server start-ups (CPU-bound) just queue up.
 * LEARN_NODE_HTTP_MAX_WORKERS overrides it (measuring, or a machine with many cores).
 */
const MAX_WORKERS = Number(process.env.LEARN_NODE_HTTP_MAX_WORKERS ?? 4);

export async function runPhaseChecks(options: RunPhaseChecksOptions): Promise<PhaseRun> {
  const started = performance.now();
  const targetDir = path.resolve(options.targetDir);
  if (!existsSync(targetDir)) {
    return { phase: options.phaseId, targetDir, results: [], durationMs: 0, notSubmitted: true };
  }

  const collector = new ResultCollector(options.phaseId, PACKAGE_ROOT, options.onProgress);
  const log = new BufferedOutput();
  const restore = preserveProcessState();
  try {
    await startVitest(
      'test',
      [],
      {
        root: PACKAGE_ROOT,
        include: [toPosix(path.join(path.relative(PACKAGE_ROOT, options.checksDir), '*.check.ts'))],
        watch: false,
        config: false,
        cache: false,
        // Checks share nothing mutable across files, so one module graph per worker is safe
        // and saves ~0.3 s per file.
        isolate: false,
        pool: 'threads',
        maxWorkers: MAX_WORKERS,
        fileParallelism: true,
        // Each check has its own precise deadlines; these only catch a check that forgot one.
        testTimeout: 60_000,
        hookTimeout: 30_000,
        teardownTimeout: 10_000,
        passWithNoTests: true,
        silent: true,
        reporters: [collector],
        provide: { targetDir, phaseId: options.phaseId, entry: [...options.entry] },
      },
      undefined,
      { stdout: log, stderr: log },
    );
  } finally {
    restore();
  }
  const results = collector.results(log.text());
  return { phase: options.phaseId, targetDir, results, durationMs: Math.round(performance.now() - started) };
}

export type { CheckResult, PhaseRun, ProgressEvent };

/**
 * vitest sets process.exitCode when a check fails and TEST/VITEST/NODE_ENV in the
 * environment; the CLI owns both, so put them back the way they were.
 */
function preserveProcessState(): () => void {
  const exitCode = process.exitCode;
  const env = { TEST: process.env.TEST, VITEST: process.env.VITEST, NODE_ENV: process.env.NODE_ENV };
  return () => {
    process.exitCode = exitCode;
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Where vitest's own logger writes: kept (bounded) for diagnosing a run that produced no results. */
class BufferedOutput extends Writable {
  private chunks = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks = (this.chunks + chunk.toString()).slice(-64 * 1024);
    callback();
  }

  text(): string {
    return this.chunks;
  }
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
