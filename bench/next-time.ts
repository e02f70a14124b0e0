/**
 * `next` from an installed package to its first line of output: how long a learner stares
 * at an empty terminal. Two cases: in an empty folder (creates the workspace: no checks run,
 * so no vitest is loaded) and in a workspace (checks the current phase: the first line says
 * so before the checks start, and vitest is loaded before it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './cli.ts';

const RUN_DEADLINE_MS = 90_000;

export interface NextTiming {
  /** Empty folder: spawn → first line (the welcome). */
  readonly newWorkspaceS: number[];
  /** Workspace on phase 01's starter: spawn → first line ("Checking phase …"). */
  readonly checkPhaseS: number[];
}

export async function timeNext(runs: number): Promise<NextTiming> {
  const timing: NextTiming = { newWorkspaceS: [], checkPhaseS: [] };
  const top = await mkdtemp(path.join(os.tmpdir(), 'lnh-bench-next-'));
  try {
    // The first run of all is not counted: "warm install" means tsx's transform cache and
    // the OS page cache already hold the package, as after a learner's first command.
    for (let run = -1; run < runs; run++) {
      const folder = await mkdtemp(path.join(top, 'ws-'));
      const created = await runCli(['next'], { cwd: folder, deadlineMs: RUN_DEADLINE_MS });
      if (created.code !== 0 || created.firstLineSeconds === null) throw new Error(`next in an empty folder failed (exit ${created.code}):\n${created.stderr}${created.stdout}`);
      // The starter fails its checks: exit 1 is the expected outcome here.
      const checked = await runCli(['next'], { cwd: folder, deadlineMs: RUN_DEADLINE_MS, marks: { checking: /^Checking phase / } });
      if (checked.code !== 1 || checked.marks.checking === undefined) throw new Error(`next on the phase-01 starter did not fail as expected (exit ${checked.code}):\n${checked.stderr}${checked.stdout}`);
      if (run < 0) continue;
      timing.newWorkspaceS.push(created.firstLineSeconds);
      timing.checkPhaseS.push(checked.marks.checking);
    }
    return timing;
  } finally {
    await rm(top, { recursive: true, force: true });
  }
}
