/**
 * Grading throughput: how fast an instructor's batch goes on this machine.
 *
 * Builds N copies of the reference solution (only the phases asked for, e.g. 06, or every
 * phase for a "full workspace"), grades them in ONE `verify --dir ... --jobs J` batch (canary
 * included, as an instructor runs it), and reads the per-submission wall times from the
 * batch's progress lines. Every submission must come out fully passing: a grade that drifts
 * under load would be a bug, not a number.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';
import { writeWorkspaceManifest } from './workspace.ts';

const CLI = path.join(PACKAGE_ROOT, 'bin/learn-node-http.js');

export interface GradingThroughput {
  readonly submissions: number;
  readonly phases: readonly string[];
  readonly jobs: number;
  /** The whole batch, canary and start-up included. */
  readonly wallSeconds: number;
  readonly perMinute: number;
  /** Per submission, from the batch's own "[i/n] label: passed/total (x s)" lines. */
  readonly submissionSeconds: readonly number[];
  readonly canarySeconds: number;
}

export async function measureGradingThroughput(options: { submissions: number; phases: readonly string[]; jobs: number; deadlineMs: number }): Promise<GradingThroughput> {
  const top = await mkdtemp(path.join(os.tmpdir(), 'lnh-bench-class-'));
  try {
    const dirs: string[] = [];
    for (let n = 1; n <= options.submissions; n++) {
      const dir = path.join(top, `student-${String(n).padStart(2, '0')}`);
      await mkdir(dir);
      await writeWorkspaceManifest(dir);
      for (const phase of options.phases) await cp(path.join(PACKAGE_ROOT, 'solutions', phase), path.join(dir, phase), { recursive: true });
      dirs.push(dir);
    }
    const out = path.join(top, 'grades.json');
    const phaseArgs = options.phases.length === 1 ? [options.phases[0]!] : ['--all'];
    const started = performance.now();
    const stderr = await runCli(['verify', ...phaseArgs, '--dir', ...dirs, '--jobs', String(options.jobs), '--reporter', 'json', '--out', out], options.deadlineMs);
    const wallSeconds = (performance.now() - started) / 1000;
    const reports = JSON.parse(await readFile(out, 'utf8')) as Array<{ dir: string; status: string }>;
    const failing = reports.filter((r) => r.status !== 'pass').map((r) => r.dir);
    if (failing.length > 0) throw new Error(`Copies of the reference solution did not pass under load: ${failing.join(', ')}\n${stderr}`);
    const submissionSeconds = [...stderr.matchAll(/^\s*\[\s*\d+\/\d+\] .*\((\d+(?:\.\d+)?) s\)/gm)].map((m) => Number(m[1]));
    const canary = /canary: .*\((\d+(?:\.\d+)?) s\)/.exec(stderr);
    return {
      submissions: options.submissions,
      phases: options.phases,
      jobs: options.jobs,
      wallSeconds,
      perMinute: (options.submissions / wallSeconds) * 60,
      submissionSeconds,
      canarySeconds: canary ? Number(canary[1]) : 0,
    };
  } finally {
    await rm(top, { recursive: true, force: true });
  }
}

function runCli(args: readonly string[], deadlineMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGINT'), deadlineMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      // 0: all passed. Anything else is reported with what the batch said.
      if (code === 0) resolve(stderr);
      else reject(new Error(`learn-node-http ${args.slice(0, 3).join(' ')} … exited with ${code}\n${stderr.slice(-4000)}`));
    });
  });
}
