/**
 * Grades one submission in a process of its own, so that nothing one submission does can
 * reach another: its own process group, its own temp folder (TMPDIR), its own ports (every
 * server gets a free one), a marker in the environment of everything it starts, and a
 * time budget that stretches with the machine's pace (paced-budget.ts). When it is done, or
 * its budget runs out, or it dies, the whole group is killed and every process still
 * carrying its marker is swept, so a detached grandchild that escaped the group (setsid)
 * does not outlive the batch either.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, sweepProcessesWithEnv } from '../../checks/_process/isolation.ts';
import type { CheckResult, PhaseRun } from '../runner/types.ts';
import { startPacedBudget } from './paced-budget.ts';
import type { WorkerJob, WorkerMessage } from './protocol.ts';
import type { GradeOutcome, SubmissionJob } from './types.ts';

const WORKER = fileURLToPath(new URL('./submission-worker.mjs', import.meta.url));

/** The grading process's own output, kept for a report when it dies: bounded, always drained. */
const OUTPUT_TAIL = 16 * 1024;

export interface ChildGradingOptions {
  /** Distinguishes this batch's processes from any other's (marker prefix). */
  readonly batchId: string;
  /** Under it each submission gets a private temp folder, removed afterwards. */
  readonly tmpRoot: string;
  /** Shared cache of generated fixtures (the big JSON file), so it is made once per machine. */
  readonly cacheDir: string;
  /** vitest workers inside each submission's grading process. */
  readonly workersPerSubmission: number;
}

export const MARKER_VARIABLE = 'LEARN_NODE_HTTP_MARKER';

export function markerFor(batchId: string, index: number): string {
  return `${batchId}:${index}`;
}

export function gradeInChild(options: ChildGradingOptions): (job: SubmissionJob) => Promise<GradeOutcome> {
  return (job) => gradeOne(job, options);
}

async function gradeOne(job: SubmissionJob, options: ChildGradingOptions): Promise<GradeOutcome> {
  mkdirSync(options.tmpRoot, { recursive: true });
  const tmp = mkdtempSync(path.join(options.tmpRoot, `s${job.index}-`));
  const marker = markerFor(options.batchId, job.index);
  const finished: CheckResult[] = [];
  let output = '';
  const [command, ...args] = [...(pidNamespace() ?? []), process.execPath, WORKER];
  const child = spawn(command!, args, {
    cwd: tmp,
    env: cleanEnv({
      ...ownSettings(),
      TMPDIR: tmp,
      TMP: tmp,
      TEMP: tmp,
      LEARN_NODE_HTTP_CACHE: options.cacheDir,
      [MARKER_VARIABLE]: marker,
      LEARN_NODE_HTTP_MAX_WORKERS: String(options.workersPerSubmission),
    }),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const started = performance.now();
  const outcome = await new Promise<GradeOutcome>((resolve) => {
    let settled = false;
    let removeAbortListener = (): void => {};
    const settle = (value: GradeOutcome): void => {
      if (settled) return;
      settled = true;
      stopBudget();
      removeAbortListener();
      resolve(value);
    };
    const stopBudget = startPacedBudget(job.budgetMs, (reason) => settle({ runs: partialRuns(job, finished), stoppedReason: reason }));
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') {
        if (message.event.type === 'check-end') finished.push(message.event.result);
        job.onProgress?.(message.event);
      } else if (message.type === 'done') {
        settle({ runs: message.runs });
      } else {
        settle({ runs: graderError(job, `The grading process failed:\n${message.message}`), graderFailed: true });
      }
    });
    child.once('error', (error) => settle({ runs: graderError(job, `The grading process could not start: ${error.message}`), graderFailed: true }));
    child.once('exit', (code, signal) => {
      // 'done' always arrives before a normal exit; an exit without it is the grader dying.
      setTimeout(() => {
        const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
        const after = Math.round((performance.now() - started) / 1000);
        settle({
          runs: graderError(job, `The grading process ${how} after ${after} s before it reported.\n${output.trim().split('\n').slice(-20).join('\n')}`),
          stoppedReason: `the grading process ${how}`,
          graderFailed: true,
        });
      }, 200).unref();
    });
    const abort = (): void => settle({ runs: graderError(job, 'Grading was interrupted.'), stoppedReason: 'grading was interrupted', graderFailed: true });
    if (job.signal?.aborted) abort();
    job.signal?.addEventListener('abort', abort, { once: true });
    // One signal serves the whole batch: drop this submission's listener when it is done.
    removeAbortListener = () => job.signal?.removeEventListener('abort', abort);
    try {
      child.send({ phases: job.phases } satisfies WorkerJob);
    } catch {
      // No channel: the process did not start; its 'error' or 'exit' settles the outcome.
    }
  });

  stopEverything(child.pid, marker);
  rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  return outcome;
}

/**
 * Where the machine allows it (Linux with unprivileged user namespaces), each submission's
 * grading process is the first process of a PID namespace of its own: when it ends, the
 * kernel kills everything left inside, whatever a submission did to escape (setsid, a
 * scrubbed environment without our marker, double forks). --kill-child ends the namespace
 * if `unshare` itself is killed. Elsewhere (macOS, containers without user namespaces) the
 * process group and the marker sweep do the job. LEARN_NODE_HTTP_PID_NAMESPACE=off skips it.
 */
const UNSHARE = ['unshare', '--user', '--map-root-user', '--pid', '--fork', '--mount-proc', '--kill-child'];
let namespaceProbe: readonly string[] | null | undefined;

export function pidNamespace(): readonly string[] | null {
  if (namespaceProbe !== undefined) return namespaceProbe;
  namespaceProbe = null;
  if (process.platform === 'linux' && process.env.LEARN_NODE_HTTP_PID_NAMESPACE !== 'off') {
    const probe = spawnSync(UNSHARE[0]!, [...UNSHARE.slice(1), process.execPath, '-e', 'process.exit(process.pid === 1 ? 0 : 3)'], { stdio: 'ignore', timeout: 5000 });
    if (probe.status === 0) namespaceProbe = UNSHARE;
  }
  return namespaceProbe;
}

/**
 * The grader's own LEARN_NODE_HTTP_* settings (memory limit, permission model switch, workers)
 * reach each grading process; nothing else of the instructor's environment does, so a
 * submission cannot read the grader's secrets through it.
 */
function ownSettings(): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('LEARN_NODE_HTTP_') && value !== undefined && name !== MARKER_VARIABLE && name !== 'LEARN_NODE_HTTP_BATCH_ID') settings[name] = value;
  }
  return settings;
}

/** Kills the grading process's group, then anything else still carrying the submission's marker. */
function stopEverything(pid: number | undefined, marker: string): void {
  if (pid !== undefined) {
    try {
      process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  sweepProcessesWithEnv(MARKER_VARIABLE, marker);
}

/** Every phase of the job carries the same error: the grader, not the submission, failed. */
function graderError(job: SubmissionJob, message: string): PhaseRun[] {
  return job.phases.map((p) => ({
    phase: p.phaseId,
    targetDir: p.targetDir,
    durationMs: 0,
    results: [{ phase: p.phaseId, id: 'grading-process', group: '', title: 'The grading process ran to the end', status: 'error', message, durationMs: 0, file: '' }],
  }));
}

/** What finished before the budget ran out, per phase (the batch adds the checks that never ran). */
function partialRuns(job: SubmissionJob, finished: readonly CheckResult[]): PhaseRun[] {
  return job.phases.map((p) => ({
    phase: p.phaseId,
    targetDir: p.targetDir,
    durationMs: job.budgetMs,
    results: finished.filter((r) => r.phase === p.phaseId),
  }));
}
