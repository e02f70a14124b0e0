/**
 * Runs the hidden checks of one or more phases against learner folders and returns plain
 * results: one PhaseRun per phase.
 *
 * This is the only module that imports vitest/node. vitest is an implementation
 * detail here: it prints nothing (our reporter collects, its logger writes into a
 * buffer), and what leaves this module is CheckResult data for the CLI to print.
 *
 * Several phases go into ONE vitest run, their check files side by side in the same
 * workers: `verify --all` pays vitest's start-up once and keeps every worker busy, instead
 * of seven start-ups and seven tails where one slow file holds up the rest. Each check finds
 * its phase's folder from its own file path (checks/_harness/context.ts).
 *
 * Loading note: the process entry imports 'vitest/node' before it registers tsx
 * (src/boot.mjs says why and what it saves); the module cache then serves this import.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import type { CheckResult, PhaseRun, PhaseToRun, ProgressEvent, RunChecksOptions } from './types.ts';
import { compiledEntry } from '../../checks/_harness/compile-once.ts';
import { paceFactor } from '../../checks/_harness/pace.ts';
import { ResultCollector } from './collect.ts';

// The `provide` keys below (targets, scratchDir) are typed where the checks read them.
import type {} from '../../checks/_harness/context.ts';

/** vitest's root must stay the package: with root elsewhere, the default exclude drops node_modules paths. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Checks mostly wait on child processes and sockets, so a few more workers than cores
 * pays off; past that, starting the workers themselves (each loads vitest and the harness)
 * costs more than it saves. Measured on the 2-core machine, Node 20, 3 runs each, wall time:
 * one phase is fastest with 3 (`verify 01` 4.0 s; 2 workers 4.1 s, 4 workers 5.4 s, 6: 5.3 s;
 * 02, 06 and 07 alike or better with 3 than with 4 or 6); several phases at once gain from
 * more (`verify --all` 24.2 s with 3, 22.6 s with 4, 20.5 s with 6), and 4 is kept there: 6
 * gains 2 s but doubles the servers running side by side on a machine that may be grading.
 * LEARN_NODE_HTTP_MAX_WORKERS overrides it (measuring, a batch sharing the machine, or a
 * machine with many cores).
 */
function defaultMaxWorkers(phases: number): number {
  const fromEnv = Number(process.env.LEARN_NODE_HTTP_MAX_WORKERS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return phases > 1 ? 4 : 3;
}

export async function runChecks(options: RunChecksOptions): Promise<PhaseRun[]> {
  const started = performance.now();
  const present = options.phases.filter((p) => isFolder(p.targetDir));
  const byPhase = new Map<string, CheckResult[]>();
  const spans = new Map<string, number | undefined>();
  if (present.length > 0) {
    const collector = new ResultCollector(
      present.map((p) => ({ phase: p.phaseId, checksDir: p.checksDir, ...(p.lessonSections ? { lessonSections: p.lessonSections } : {}) })),
      PACKAGE_ROOT,
      options.onProgress,
    );
    const log = new BufferedOutput();
    const scratchDir = mkdtempSync(path.join(os.tmpdir(), 'learn-node-http-run-'));
    const restore = preserveProcessState();
    const pace = paceFactor();
    try {
      // Each phase folder compiled once, here, before the workers start their servers from it.
      for (const p of present) {
        const entry = p.entry.map((name) => path.resolve(p.targetDir, name)).find((file) => existsSync(file));
        if (entry) await compiledEntry(path.resolve(p.targetDir), entry, scratchDir);
      }
      await startVitest(
        'test',
        [],
        {
          root: PACKAGE_ROOT,
          include: present.map((p) => toPosix(path.join(path.relative(PACKAGE_ROOT, p.checksDir), '*.check.ts'))),
          watch: false,
          config: false,
          cache: false,
          // Checks share nothing mutable across files, so one module graph per worker is safe
          // and saves ~0.3 s per file.
          isolate: false,
          pool: 'threads',
          maxWorkers: options.maxWorkers ?? defaultMaxWorkers(present.length),
          fileParallelism: true,
          // Each check has its own precise deadlines; these only catch a check that forgot one.
          // The checks stretch their deadlines on a busy machine, so these stretch as well.
          testTimeout: Math.round(60_000 * pace),
          hookTimeout: Math.round(30_000 * pace),
          teardownTimeout: 10_000,
          passWithNoTests: true,
          silent: true,
          reporters: [collector],
          provide: {
            targets: Object.fromEntries(
              present.map((p) => [p.phaseId, { targetDir: path.resolve(p.targetDir), entry: [...p.entry], checksDir: path.resolve(p.checksDir) }]),
            ),
            scratchDir,
          },
        },
        undefined,
        { stdout: log, stderr: log },
      );
    } finally {
      restore();
      rmSync(scratchDir, { recursive: true, force: true });
    }
    for (const [phase, results] of collector.resultsByPhase(log.text())) {
      byPhase.set(phase, results);
      spans.set(phase, collector.phaseSpanMs(phase));
    }
  }
  const durationMs = Math.round(performance.now() - started);
  return options.phases.map((p): PhaseRun => {
    const targetDir = path.resolve(p.targetDir);
    if (!present.includes(p)) return { phase: p.phaseId, targetDir, results: [], durationMs: 0, notSubmitted: true };
    // One phase: the whole run, start-up included (what the learner waited). Several: each
    // phase's own span, since they overlap.
    const own = present.length === 1 ? durationMs : (spans.get(p.phaseId) ?? durationMs);
    return { phase: p.phaseId, targetDir, results: byPhase.get(p.phaseId) ?? [], durationMs: own };
  });
}

/** One phase: the shape most callers (next, watch, the tests' helpers) want. */
export async function runPhaseChecks(options: PhaseToRun & { readonly onProgress?: (event: ProgressEvent) => void }): Promise<PhaseRun> {
  const [run] = await runChecks({ phases: [options], ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  return run!;
}

export type { CheckResult, PhaseRun, ProgressEvent };

function isFolder(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}

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
