/**
 * `watch`: how long a learner waits, after saving a file, for the first check result.
 *
 * One `watch` process in a fresh workspace (made with `next`, holding the phase-01
 * reference solution so every run is the same), first run left to finish; then each
 * sample saves server.ts with new content and times the lines watch prints:
 *
 *   save ──detect──▶ "server.ts changed" ──run──▶ first ✓/✗ line
 *
 * detect = the file-system event plus watch's debounce; run = vitest's start-up (workers,
 * loading the check files) and the first check to finish, its server start included. Where
 * a check starts is shown only on a terminal (a spinner), so the two are timed together
 * here. Server start-up alone is timed separately with the checks' own harness.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';
import { startServer } from '../checks/_harness/start-server.ts';
import { LiveCli, runCli, type Line } from './cli.ts';

const PHASE = '01-raw-handler';
const RUN_DEADLINE_MS = 90_000;

export interface WatchTiming {
  /** Save → first result line: what the learner feels. */
  readonly firstResultS: number[];
  /** Save → the "changed" line: file-system event + debounce. */
  readonly detectS: number[];
  /** "changed" line → the first result line: vitest start-up and the first check, its server start included. */
  readonly runToFirstResultS: number[];
  /** Save → end of the run (summary printed). */
  readonly wholeRunS: number[];
  /** The server started by the checks' harness (compiled once, then `node server.js`) until it accepts connections. */
  readonly serverStartS: number[];
}

/** Lines watch prints (src/commands/watch.ts). */
const isResultLine = (line: Line): boolean => line.stream === 'stdout' && /^ {2}[✓✗!-] /.test(line.text);
const isRunStart = (line: Line): boolean => line.stream === 'stdout' && / changed: checking /.test(line.text);
const isRunEnd = (line: Line): boolean => line.stream === 'stdout' && /^(All checks pass|Waiting for you to save)/.test(line.text);

export async function timeWatch(runs: number): Promise<WatchTiming> {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'lnh-bench-watch-'));
  const timing: WatchTiming = { firstResultS: [], detectS: [], runToFirstResultS: [], wholeRunS: [], serverStartS: [] };
  let watch: LiveCli | undefined;
  try {
    const made = await runCli(['next'], { cwd: workspace, deadlineMs: 30_000 });
    if (made.code !== 0) throw new Error(`next could not create a workspace:\n${made.stderr}${made.stdout}`);
    const server = path.join(workspace, PHASE, 'server.ts');
    const solution = await readFile(path.join(PACKAGE_ROOT, 'solutions', PHASE, 'server.ts'), 'utf8');
    await writeFile(server, solution);

    watch = new LiveCli(['watch'], workspace);
    let end = await watch.waitForLine(isRunEnd, 0, RUN_DEADLINE_MS, 'end of the first run');
    for (let run = 0; run < runs; run++) {
      // Let the last run's stragglers (its own file events, the server's exit) settle.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const from = watch.lines.length;
      const saved = performance.now();
      await writeFile(server, `${solution}\n// saved by the benchmark, run ${run + 1}\n`);
      const start = await watch.waitForLine(isRunStart, from, RUN_DEADLINE_MS, 'line saying the save was seen');
      const firstResult = await watch.waitForLine(isResultLine, from, RUN_DEADLINE_MS, 'result line');
      end = await watch.waitForLine(isRunEnd, from, RUN_DEADLINE_MS, 'end of the run');
      if (!/^All checks pass/.test(end.text)) throw new Error(`watch: the reference solution did not pass:\n${watch.transcript()}`);
      timing.firstResultS.push((firstResult.at - saved) / 1000);
      timing.detectS.push((start.at - saved) / 1000);
      timing.runToFirstResultS.push((firstResult.at - start.at) / 1000);
      timing.wholeRunS.push((end.at - saved) / 1000);
    }
    const code = await watch.stop();
    watch = undefined;
    if (code !== 0) throw new Error(`watch exited with ${code} after Ctrl-C`);

    for (let run = 0; run < runs; run++) timing.serverStartS.push(await timeServerStart(path.join(workspace, PHASE)));
    return timing;
  } finally {
    await watch?.stop();
    await rm(workspace, { recursive: true, force: true });
  }
}

/** The harness reads its submission from these when it runs outside vitest. */
async function timeServerStart(phaseDir: string): Promise<number> {
  process.env.LEARN_NODE_HTTP_TARGET_DIR = phaseDir;
  process.env.LEARN_NODE_HTTP_PHASE = PHASE;
  process.env.LEARN_NODE_HTTP_ENTRY = 'server.ts';
  const started = performance.now();
  const server = await startServer();
  const seconds = (performance.now() - started) / 1000;
  await server.stop();
  return seconds;
}

