/**
 * `watch` prints each check's line the moment the check finishes, then the summary: first
 * in-process with a fake runner (exact lines, what happens to results that arrive without
 * an event), then for real (bin/learn-node-http.js, the real runner, phase 01's starter),
 * where the proof of streaming is that the first result line reached us while the summary
 * had not been written yet. No timing assertions: the numbers are in `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/course/load.ts';
import { main } from '../../src/main.ts';
import type { PhaseRun } from '../../src/runner/types.ts';
import type { RunChecks } from '../../src/ui/context.ts';
import { FIRST, fixtureCourse, removeTempDirs, result, runCli, tempDir, watchContext } from './helpers.ts';
import { BIN, cleanEnv, runBin } from './spawn.ts';
import { ROOT } from '../support/phase-runs.ts';

afterAll(removeTempDirs);

/** Polls `test` until it holds, or throws after `ms` with what was seen. */
async function waitFor(what: string, test: () => boolean, ms: number, seen: () => string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!test()) {
    if (performance.now() > deadline) throw new Error(`watch: no ${what} within ${ms} ms. Output so far:\n${seen()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('watch, in-process with a fake runner', () => {
  it('prints each result as its check finishes, then results that came without an event, the summary and what to do', async () => {
    const courseRoot = fixtureCourse();
    const ws = tempDir('lnh-watch-ws-');
    expect((await runCli(['next'], { cwd: ws, courseRoot })).code).toBe(0);

    let stdoutWhenAlphaEnded: string | undefined;
    let stdoutWhenBetaEnded: string | undefined;
    const runner: RunChecks = async ({ phases, onProgress }) => {
      const [target] = phases;
      const alpha = result(target!.phaseId, 'alpha', 'pass');
      const beta = result(target!.phaseId, 'beta', 'fail', 'Expected status 404, got 200.\nRun: npx learn-node-http hint');
      // A check file that failed to load: the runner reports it only in the final results.
      const broken = { ...result(target!.phaseId, 'broken', 'error', 'The check could not reach a verdict.'), group: 'checks', title: 'The check file broken.check.ts loads' };
      onProgress?.({ type: 'check-start', phase: alpha.phase, title: alpha.title, group: alpha.group });
      onProgress?.({ type: 'check-start', phase: beta.phase, title: beta.title, group: beta.group });
      onProgress?.({ type: 'check-end', result: alpha });
      stdoutWhenAlphaEnded = output.stdout;
      onProgress?.({ type: 'check-end', result: beta });
      stdoutWhenBetaEnded = output.stdout;
      const run: PhaseRun = { phase: target!.phaseId, targetDir: target!.targetDir, results: [alpha, beta, broken], durationMs: 1234 };
      return [run];
    };
    const { ctx, output, interrupt } = watchContext(ws, courseRoot, runner);

    const outcome = main(['watch'], ctx);
    await waitFor('end of the first run', () => output.stdout.includes('Waiting for you to save'), 10_000, () => output.stdout + output.stderr);
    interrupt();
    expect(await outcome).toEqual({ exitCode: 0, exitNow: true });

    expect(stdoutWhenAlphaEnded).toContain('  ✓ The alpha check 12 ms\n');
    expect(stdoutWhenAlphaEnded).not.toContain('beta');
    expect(stdoutWhenBetaEnded).toContain('  ✗ The beta check 12 ms\n      Expected status 404, got 200.\n      Run: npx learn-node-http hint\n');
    expect(stdoutWhenBetaEnded).not.toContain('checks passed');
    expect(output.stdout).toBe(
      [
        `Watching ${FIRST}/ for phase ${FIRST}: checks run now and after every save. Ctrl-C stops.`,
        '  ✓ The alpha check 12 ms',
        '  ✗ The beta check 12 ms',
        '      Expected status 404, got 200.',
        '      Run: npx learn-node-http hint',
        "  ! The check file broken.check.ts loads (could not run: not your code's fault) 12 ms",
        '      The check could not reach a verdict.',
        '  1 of 3 checks passed, 1 could not run (1.2 s)',
        `  Reread in ${FIRST}/LESSON.md: “Beta”`,
        `Waiting for you to save a file in ${FIRST}/ … (Ctrl-C stops)`,
        '',
        'Stopped watching.',
        '',
      ].join('\n'),
    );
    // Without a terminal no progress lines: the results above are all there is.
    expect(output.stderr).not.toContain('running:');
  });
});

describe('watch, for real', () => {
  /** One phase's checks take ~3 s here; this allows for a slow CI machine. */
  const CHECK_RUN_MS = 90_000;

  it('streams each check line before the summary, and again after each save, judging a fix as itself', { timeout: 3 * CHECK_RUN_MS + 30_000 }, async () => {
    const dir = tempDir('lnh-watch-real-');
    expect((await runBin(['next'], { cwd: dir })).code).toBe(0);
    const phase = loadCourse()[0]!;
    const child = spawn(process.execPath, [BIN, 'watch'], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    /** What stdout held when each result line arrived: proof that lines come as checks finish. */
    const outWhenResultArrived: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      if (/^ {2}[✓✗!] /m.test(text)) outWhenResultArrived.push(out);
    });
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // A run ends with "Waiting for you to save …", or with "All checks pass …" once it passes.
    const runsDone = (): number => out.split(/^(?:Waiting for you to save|All checks pass)/m).length - 1;
    const seen = (): string => out;
    try {
      await waitFor('end of the first run', () => runsDone() === 1, CHECK_RUN_MS, seen);
      const summary = /^ {2}\d+ of \d+ checks passed/m;
      expect(outWhenResultArrived.length).toBeGreaterThan(0);
      expect(outWhenResultArrived[0]).not.toMatch(summary);
      expect(out.search(/^ {2}✗ /m)).toBeGreaterThan(-1); // the starter fails: its lines carry ✗ and the teaching message
      expect(out.search(/^ {2}[✓✗!] /m)).toBeLessThan(out.search(summary));
      const firstRunResults = out.match(/^ {2}[✓✗!-] /gm)!.length;

      outWhenResultArrived.length = 0;
      const file = join(dir, phase.id, phase.starter[0]!);
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n// saved\n`);
      await waitFor('second run after the save', () => runsDone() === 2, CHECK_RUN_MS, seen);
      const second = out.slice(out.indexOf('Waiting for you to save') + 1);
      expect(second).toContain(`${phase.starter[0]} changed: checking phase ${phase.number} again`);
      expect(outWhenResultArrived.length).toBeGreaterThan(0);
      expect(outWhenResultArrived[0]!.slice(out.indexOf('Waiting for you to save') + 1)).not.toMatch(summary);
      expect(second.match(/^ {2}[✓✗!-] /gm)!.length).toBe(firstRunResults);

      // The same vitest instance runs every save (KeepWarm): a fix must be judged as itself.
      writeFileSync(file, readFileSync(join(ROOT, 'solutions', phase.id, phase.starter[0]!), 'utf8'));
      await waitFor('third run after the fix', () => runsDone() === 3, CHECK_RUN_MS, seen);
      const third = out.slice(out.lastIndexOf('changed: checking phase'));
      expect(third).toMatch(new RegExp(`^ {2}${firstRunResults} of ${firstRunResults} checks passed`, 'm'));
      expect(third).not.toMatch(/^ {2}[✗!] /m);

      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running 10 s after SIGINT'), 10_000))]);
      expect(code).toBe(0);
      expect(out).toContain('Stopped watching.');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
