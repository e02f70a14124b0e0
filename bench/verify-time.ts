/**
 * Wall time of `learn-node-http verify` on the reference solutions, measured the way an
 * instructor or a learner meets it: a fresh CLI process per run, the big file of phase 06
 * already cached. Every phase on its own, then `verify --all` (the whole course at once).
 *
 * solutions/ is laid out like a workspace (one folder per phase), so a copy of it is graded
 * with `--dir`. A copy, because a run must not depend on (or leave anything in) the repository.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureBigJson } from '../checks/06-async-streams-structure/_big-json.ts';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';
import { loadCourse } from '../src/course/load.ts';
import { runCli } from './cli.ts';
import { writeWorkspaceManifest } from './workspace.ts';

const RUN_DEADLINE_MS = 180_000;

export interface VerifyTiming {
  /** "01" … "07", or "all". */
  readonly phase: string;
  readonly checks: number;
  readonly seconds: number[];
}

/** Runs `verify <phase>` for every phase, then `verify --all`, `runs` times each; every run must pass. */
export async function timeVerifyAll(runs: number, onPhase: (label: string) => void = () => {}): Promise<VerifyTiming[]> {
  // The streaming checks of 06 generate the big file on first use: not part of what is timed.
  await ensureBigJson();
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'lnh-bench-verify-'));
  try {
    await cp(path.join(PACKAGE_ROOT, 'solutions'), workspace, { recursive: true });
    await writeWorkspaceManifest(workspace);
    // One unmeasured run warms what a learner's machine has warm after the first use (tsx's cache, the page cache).
    await timeOne(['verify', '01', '--dir', workspace], 1, '01');
    const timings: VerifyTiming[] = [];
    for (const phase of loadCourse()) {
      onPhase(`verify ${phase.number}`);
      timings.push(await timeOne(['verify', phase.number, '--dir', workspace], runs, phase.number));
    }
    onPhase('verify --all');
    timings.push(await timeOne(['verify', '--all', '--dir', workspace], runs, 'all'));
    return timings;
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

async function timeOne(args: readonly string[], runs: number, phase: string): Promise<VerifyTiming> {
  const seconds: number[] = [];
  let checks = 0;
  for (let run = 0; run < runs; run++) {
    const result = await runCli([...args, '--reporter', 'json'], {
      cwd: os.tmpdir(),
      deadlineMs: RUN_DEADLINE_MS,
    });
    const report = parseReport(result.stdout);
    if (result.code !== 0 || report.status !== 'pass') {
      throw new Error(`learn-node-http ${args.join(' ')} did not pass on the reference solutions (exit ${result.code}):\n${result.stderr.slice(-2000)}\n${result.stdout.slice(-4000)}`);
    }
    seconds.push(result.seconds);
    checks = report.tests;
  }
  return { phase, checks, seconds };
}

/** The json reporter writes one results object for one folder (an array for several). */
function parseReport(stdout: string): { status: string; tests: number } {
  try {
    const parsed = JSON.parse(stdout) as { status: string; tests: unknown[] } | Array<{ status: string; tests: unknown[] }>;
    const reports = Array.isArray(parsed) ? parsed : [parsed];
    return {
      status: reports.every((r) => r.status === 'pass') ? 'pass' : (reports.find((r) => r.status !== 'pass')?.status ?? 'error'),
      tests: reports.reduce((sum, r) => sum + r.tests.length, 0),
    };
  } catch {
    return { status: 'unreadable report', tests: 0 };
  }
}
