/**
 * One vitest instance for the check files of some phases, and the scratch folder its
 * checks share. A session can run the checks more than once: `watch` keeps one open
 * across saves, so a save pays neither vitest's start-up nor the transform of the check
 * files again (measured on the 2-core machine, Node 20, phase 01: first result 1.13 s
 * on a new instance, 0.82–0.87 s on a kept one). Vitest itself still starts its workers
 * anew for each run: its pool stops every worker once a run's queue is empty.
 *
 * This is the only module that imports vitest/node (collect.ts takes its types). vitest
 * prints nothing: its logger writes into a bounded buffer, kept for diagnosing a run that
 * produced no results.
 *
 * Loading note: the process entry imports 'vitest/node' before it registers tsx
 * (src/boot.mjs says why and what it saves); the module cache then serves this import.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createVitest, type Reporter, type TestCase, type TestModule, type Vitest } from 'vitest/node';
import type { PhaseToRun } from './types.ts';
import { paceFactor } from '../../checks/_harness/pace.ts';

// The `provide` keys below (targets, scratchDir) are typed where the checks read them.
import type {} from '../../checks/_harness/context.ts';

/** vitest's root must stay the package: with root elsewhere, the default exclude drops node_modules paths. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The reporter methods ResultCollector implements: each run hands its own collector. */
type RunReporter = Pick<Reporter, 'onTestCaseReady' | 'onTestCaseResult' | 'onTestRunEnd'>;

export class VitestSession {
  private runs = 0;
  private closed = false;
  private reporter: RunReporter | undefined;

  private constructor(
    /** What the session was opened for: a run of other phases, folders or workers needs a new one. */
    readonly key: string,
    private readonly vitest: Vitest,
    /** Holds one scratch folder per run (each run's checks share theirs); removed on close. */
    private readonly sessionDir: string,
    private readonly log: BufferedOutput,
  ) {}

  static key(phases: readonly PhaseToRun[], maxWorkers: number): string {
    return JSON.stringify([maxWorkers, phases.map((p) => [p.phaseId, path.resolve(p.checksDir), path.resolve(p.targetDir), p.entry])]);
  }

  static async open(phases: readonly PhaseToRun[], maxWorkers: number): Promise<VitestSession> {
    const sessionDir = mkdtempSync(path.join(os.tmpdir(), 'learn-node-http-run-'));
    const log = new BufferedOutput();
    const pace = paceFactor();
    const restore = preserveProcessState();
    // Filled in below: vitest takes its reporters when it is created, each run brings its own collector.
    let session: VitestSession | undefined;
    const forward: Reporter = {
      onTestCaseReady: (testCase: TestCase) => session?.reporter?.onTestCaseReady?.(testCase),
      onTestCaseResult: (testCase: TestCase) => session?.reporter?.onTestCaseResult?.(testCase),
      onTestRunEnd: (modules: ReadonlyArray<TestModule>, errors, reason) => session?.reporter?.onTestRunEnd?.(modules, errors, reason),
    };
    const signalListeners = SIGNALS.map((signal) => process.listeners(signal));
    try {
      const vitest = await createVitest(
        'test',
        {
          root: PACKAGE_ROOT,
          include: phases.map((p) => toPosix(path.join(path.relative(PACKAGE_ROOT, p.checksDir), '*.check.ts'))),
          watch: false,
          config: false,
          cache: false,
          // Checks share nothing mutable across files, so one module graph per worker is safe
          // and saves ~0.3 s per file.
          isolate: false,
          pool: 'threads',
          maxWorkers,
          fileParallelism: true,
          // Each check has its own precise deadlines; these only catch a check that forgot one.
          // The checks stretch their deadlines on a busy machine, so these stretch as well.
          testTimeout: Math.round(60_000 * pace),
          hookTimeout: Math.round(30_000 * pace),
          teardownTimeout: 10_000,
          passWithNoTests: true,
          silent: true,
          reporters: [forward],
          provide: {
            targets: Object.fromEntries(
              phases.map((p) => [p.phaseId, { targetDir: path.resolve(p.targetDir), entry: [...p.entry], checksDir: path.resolve(p.checksDir) }]),
            ),
            // Set again before each run (run() below): every run has a folder of its own.
            scratchDir: sessionDir,
          },
        },
        undefined,
        { stdout: log, stderr: log },
      );
      // vitest's logger ends the process on SIGINT and SIGTERM (its CLI's way). Here the CLI
      // owns both (src/interrupt.ts): `watch`, which keeps a session between saves, must
      // still say "Stopped watching." and exit 0 on Ctrl-C.
      SIGNALS.forEach((signal, i) => {
        for (const listener of process.listeners(signal)) if (!signalListeners[i]!.includes(listener)) process.off(signal, listener);
      });
      session = new VitestSession(VitestSession.key(phases, maxWorkers), vitest, sessionDir, log);
      return session;
    } catch (error) {
      rmSync(sessionDir, { recursive: true, force: true });
      throw error;
    } finally {
      restore();
    }
  }

  /**
   * Runs every check file once, reporting to `reporter`, after `prepare` has filled the run's
   * scratch folder (the runner compiles the phase folders into it). Each run has a new
   * folder: what one run's checks learned (a memo that the server never listened, the
   * servers' temporary files) is about that version of the learner's code only. Returns what
   * vitest's logger wrote (bounded): an error vitest met outside any check lands there, as
   * with its own CLI.
   */
  async run(reporter: RunReporter, prepare: (scratchDir: string) => Promise<void>): Promise<string> {
    if (this.closed) throw new Error('This vitest session is closed.');
    // The last run's servers are all stopped by now (each check file stops its own).
    for (const earlier of readdirSync(this.sessionDir)) rmSync(path.join(this.sessionDir, earlier), { recursive: true, force: true });
    const scratchDir = mkdtempSync(path.join(this.sessionDir, 'run-'));
    await prepare(scratchDir);
    this.vitest.provide('scratchDir', scratchDir);
    this.reporter = reporter;
    this.log.clear();
    const restore = preserveProcessState();
    try {
      // The first run is vitest's own start (reporters' onInit, the run); later runs reuse
      // its resolved check files.
      if (this.runs++ === 0) await this.vitest.start([]);
      else await this.vitest.runTestSpecifications(await this.vitest.globTestSpecifications(), true);
    } catch (error) {
      // What vitest's startVitest does with an error outside the checks: it goes to the log.
      this.vitest.logger.printError(error, { fullStack: true, type: 'Unhandled Error' });
    } finally {
      this.reporter = undefined;
      restore();
    }
    return this.log.text();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.vitest.close();
    } finally {
      rmSync(this.sessionDir, { recursive: true, force: true });
    }
  }
}

/**
 * vitest sets process.exitCode when a check fails and TEST/VITEST/NODE_ENV in the
 * environment; the CLI owns both, so put them back the way they were.
 */
function preserveProcessState(): () => void {
  const exitCode = process.exitCode;
  const env = { TEST: process.env.TEST, VITEST: process.env.VITEST, NODE_ENV: process.env.NODE_ENV };
  // What vitest's own CLI sets before it creates an instance.
  process.env.TEST = 'true';
  process.env.VITEST = 'true';
  process.env.NODE_ENV ??= 'test';
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

  clear(): void {
    this.chunks = '';
  }
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
