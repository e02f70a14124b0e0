/**
 * What a check knows about the submission it is testing: the learner's phase folder,
 * the phase id and which file to start.
 *
 * One vitest run can grade several phases at once (`verify --all` runs every phase's check
 * files side by side), so the runner provides a map from phase id to folder and entry, and
 * a check finds its own phase from the path of the check file being run (the phase whose
 * checks folder holds it). The environment variables let a maintainer run one
 * check file by hand (`LEARN_NODE_HTTP_TARGET_DIR=... npx vitest run checks/06-.../boom.check.ts`),
 * and let the benchmark start a learner's server with the same harness outside vitest.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject, TestRunner } from 'vitest';
import { InfraError } from './failures.ts';

/** One phase to grade in a run: the learner's folder for it and the files to start. */
export interface PhaseTarget {
  /** Absolute path of the learner's phase folder. */
  readonly targetDir: string;
  /** Candidate entry files, in order of preference (phase.json "entry"). */
  readonly entry: readonly string[];
  /** Absolute path of the folder holding this phase's check files. */
  readonly checksDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Phase id (e.g. "06-async-streams-structure") → what to grade for it. */
    targets: Record<string, PhaseTarget>;
    /** A folder private to this grading run, shared by every check worker (see runScratchDir). */
    scratchDir: string;
  }
}

export interface Submission {
  readonly dir: string;
  readonly phaseId: string;
  /** "06" */
  readonly phaseNumber: string;
  readonly entryCandidates: readonly string[];
}

/** vitest's provided value, or undefined outside a vitest worker (where inject() throws). */
function provided<K extends 'targets' | 'scratchDir'>(key: K) {
  try {
    return inject(key);
  } catch {
    return undefined;
  }
}

/**
 * The check file vitest is running in this worker: the running test's file, or, while a file
 * is collected or runs its hooks, the file the current suite belongs to (vitest collects and
 * runs one file at a time in a worker). Both through vitest's public TestRunner API.
 */
function currentCheckFile(): string | undefined {
  try {
    return TestRunner.getCurrentTest()?.file.filepath ?? TestRunner.getCurrentSuite().file?.filepath;
  } catch {
    return undefined; // outside a vitest worker
  }
}

/** The phase (and its target) whose checks folder holds this check file. */
export function phaseOfCheckFile(file: string, targets: Record<string, PhaseTarget>): [string, PhaseTarget] | undefined {
  const normal = path.resolve(file);
  return Object.entries(targets).find(([, target]) => normal.startsWith(path.resolve(target.checksDir) + path.sep));
}

export function submission(): Submission {
  const targets = provided('targets');
  if (targets !== undefined) {
    const file = currentCheckFile();
    const [phaseId, target] = (file === undefined ? undefined : phaseOfCheckFile(file, targets)) ?? [];
    if (phaseId === undefined || target === undefined) {
      throw new InfraError(
        `The check file ${file ?? '(unknown)'} belongs to no phase this run grades (${Object.keys(targets).join(', ')}). This is a bug in the course.`,
      );
    }
    return toSubmission(target.targetDir, phaseId, target.entry);
  }
  const dir = process.env.LEARN_NODE_HTTP_TARGET_DIR;
  const phaseId = process.env.LEARN_NODE_HTTP_PHASE;
  const entry = process.env.LEARN_NODE_HTTP_ENTRY?.split(',');
  if (!dir || !phaseId || !entry || entry.length === 0) {
    throw new InfraError(
      'The check was started without a submission to test (targetDir, phaseId, entry). ' +
        'Run checks through `learn-node-http verify`, not vitest directly.',
    );
  }
  return toSubmission(dir, phaseId, entry);
}

function toSubmission(dir: string, phaseId: string, entry: readonly string[]): Submission {
  return { dir: path.resolve(dir), phaseId, phaseNumber: phaseId.slice(0, 2), entryCandidates: entry };
}

/**
 * A folder private to this grading run and shared by all its check workers: the place for
 * what one check learns that others should not pay for again (e.g. "this submission never
 * starts listening"). Outside a run (by hand, benchmarks) it is one folder per process.
 */
export function runScratchDir(): string {
  const given = provided('scratchDir') ?? process.env.LEARN_NODE_HTTP_SCRATCH;
  if (given !== undefined) {
    mkdirSync(given, { recursive: true });
    return given;
  }
  if (ownScratch === undefined) {
    ownScratch = mkdtempSync(path.join(os.tmpdir(), 'learn-node-http-scratch-'));
    const made = ownScratch;
    // Made here, so removed here: nobody else knows about it.
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return ownScratch;
}

let ownScratch: string | undefined;

/**
 * The file to start: the first entry candidate that exists (phase 06 runs main.ts
 * once the learner has created it, server.ts before), or undefined when none does.
 */
export function findEntry(sub: Submission): string | undefined {
  for (const candidate of sub.entryCandidates) {
    const file = path.join(sub.dir, candidate);
    if (existsSync(file)) return file;
  }
  return undefined;
}
