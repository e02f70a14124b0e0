/**
 * What a check knows about the submission it is testing: the learner's phase folder,
 * the phase id and which file to start. The runner hands these over with vitest's
 * `provide`; the environment variables let a maintainer run one check file by hand
 * (`LEARN_NODE_HTTP_TARGET_DIR=... npx vitest run checks/06-.../boom.check.ts`), and let
 * the benchmark start a learner's server with the same harness outside vitest.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { InfraError } from './failures.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the learner's phase folder. */
    targetDir: string;
    /** e.g. "06-async-streams-structure". */
    phaseId: string;
    /** Candidate entry files, in order of preference (phase.json "entry"). */
    entry: readonly string[];
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
function provided<K extends 'targetDir' | 'phaseId' | 'entry'>(key: K) {
  try {
    return inject(key);
  } catch {
    return undefined;
  }
}

export function submission(): Submission {
  const dir = provided('targetDir') ?? process.env.LEARN_NODE_HTTP_TARGET_DIR;
  const phaseId = provided('phaseId') ?? process.env.LEARN_NODE_HTTP_PHASE;
  const entry = provided('entry') ?? process.env.LEARN_NODE_HTTP_ENTRY?.split(',');
  if (!dir || !phaseId || !entry || entry.length === 0) {
    throw new InfraError(
      'The check was started without a submission to test (targetDir, phaseId, entry). ' +
        'Run checks through `learn-node-http verify`, not vitest directly.',
    );
  }
  return { dir: path.resolve(dir), phaseId, phaseNumber: phaseId.slice(0, 2), entryCandidates: entry };
}

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
