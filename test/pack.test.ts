/**
 * What `npx learn-node-http` does for a learner: the packed tarball, installed into an empty
 * folder from the registry (dependencies) and the file (us), runs `next` in another empty
 * folder (creates the workspace) and `verify` passes on the reference solution copied in,
 * for one folder and for a batch of two, from the compiled tool the package ships.
 * Costs ~10 s of npm install with a warm cache plus one check run.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { loadCourse } from '../src/course/load.ts';
import { removeTempDirs, tempDir } from './cli/helpers.ts';
import { cleanEnv, runBin } from './cli/spawn.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

afterAll(removeTempDirs);

function npm(args: string[], cwd: string, timeoutMs: number): string {
  return execFileSync(NPM, args, { cwd, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

it('the packed package installs and runs next and verify in empty folders', { timeout: 300_000 }, async () => {
  const top = tempDir('lnh-pack-');
  const packed = join(top, 'packed');
  const install = join(top, 'install');
  const learner = join(top, 'learner');
  for (const d of [packed, install, learner]) mkdirSync(d);

  const t0 = performance.now();
  // Packed from a copy: prepack builds dist/ in the folder it packs, and a checkout with a
  // dist/ starts the build instead of its sources (bin/learn-node-http.js), which would
  // change what the tests running beside this one start.
  const source = join(top, 'source');
  cpSync(ROOT, source, { recursive: true, filter: (from) => !/^(node_modules|\.git|\.cache|dist|test[\\/]tmp)([\\/]|$)/.test(relative(ROOT, from)) });
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  npm(['pack', '--pack-destination', packed, '--silent'], source, 60_000);
  const tarball = readdirSync(packed).find((f) => f.endsWith('.tgz'));
  expect(tarball, 'npm pack produced no tarball').toBeDefined();
  const t1 = performance.now();

  writeFileSync(join(install, 'package.json'), '{ "name": "pack-test", "private": true }\n');
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(packed, tarball!)], install, 240_000);
  const t2 = performance.now();
  const bin = join(install, 'node_modules', '.bin', process.platform === 'win32' ? 'learn-node-http.cmd' : 'learn-node-http');
  expect(existsSync(bin), 'the tarball installs a learn-node-http command').toBe(true);
  // Nothing of the repository's own tooling leaks into the package.
  const shipped = join(install, 'node_modules', 'learn-node-http');
  expect(existsSync(join(shipped, 'test'))).toBe(false);
  expect(existsSync(join(shipped, 'bin', 'learn-node-http.js'))).toBe(true);
  // The tool ships compiled (prepack: scripts/build.mjs), and the checkout keeps no build
  // (postpack), which bin/learn-node-http.js would otherwise start instead of the sources.
  expect(existsSync(join(shipped, 'dist', 'cli', 'main.mjs'))).toBe(true);
  expect(existsSync(join(shipped, 'dist', 'cli', 'submission-worker.mjs'))).toBe(true);
  expect(existsSync(join(source, 'dist'))).toBe(false);
  // Nothing the editor alone needs is installed for the tool (issue 12: a light package).
  expect(existsSync(join(install, 'node_modules', 'typescript'))).toBe(false);

  const next = await runBin(['next'], { cwd: learner, command: [bin], env: cleanEnv() });
  expect(next.code, next.stderr).toBe(0);
  expect(existsSync(join(learner, 'learn-node-http.json'))).toBe(true);

  // The phases, solutions and checks read from the installed copy, not from this repository.
  const phase = loadCourse(shipped)[0]!;
  expect(existsSync(join(learner, phase.id))).toBe(true);
  cpSync(phase.paths.solutionDir, join(learner, phase.id), { recursive: true });
  const verify = await runBin(['verify', phase.number], { cwd: learner, command: [bin], env: cleanEnv(), timeoutMs: 120_000 });
  expect(verify.code, `${verify.stdout}\n${verify.stderr}`).toBe(0);
  expect(verify.stdout).toMatch(/(\d+) of \1 checks passed/);
  // A batch too: each submission is graded by dist/cli/submission-worker.mjs, without tsx.
  const other = join(top, 'other');
  cpSync(phase.paths.solutionDir, join(other, phase.id), { recursive: true });
  const batch = await runBin(['verify', phase.number, '--dir', learner, '--dir', other], { cwd: top, command: [bin], env: cleanEnv(), timeoutMs: 180_000 });
  expect(batch.code, `${batch.stdout}\n${batch.stderr}`).toBe(0);
  expect(batch.stdout).toContain('2 submissions, 2 with full marks');
  const t3 = performance.now();
  console.log(
    `pack test: npm pack ${((t1 - t0) / 1000).toFixed(1)} s, npm install ${((t2 - t1) / 1000).toFixed(1)} s, ` +
      `next ${(next.ms / 1000).toFixed(1)} s, verify ${(verify.ms / 1000).toFixed(1)} s, total ${((t3 - t0) / 1000).toFixed(1)} s`,
  );
});
