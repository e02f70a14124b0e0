/**
 * The hostile-submission corpus (test/fixtures/hostile/<name>/), graded the way an
 * instructor grades a class: ONE batch through the real CLI, several submissions at a time,
 * each in a process of its own. Every fixture is the reference solution plus one hostile or
 * broken behaviour (a syntax error, a loop that never ends, a write outside its folder, a
 * detached child that squats the port, 200 MB of output, unbounded memory...), and says in
 * its expected.json what the report must show for it. A correct copy of the solution rides
 * in the same batch: it must still pass, so no neighbour broke it.
 *
 * After the batch: no process carrying the batch's marker (every submission's grading
 * process and, through the harness's clean environment, every server it started) may be
 * alive, nothing may have been written outside the submissions, and the grader's secret
 * (GRADER_SECRET, in the environment of the CLI) must appear nowhere in the report, although
 * one fixture publishes every secret-looking variable it can see.
 *
 * A fixture that differs from a reference solution in a few places is stored as those places
 * only, in edits.json with into: "<phase>" (expandEdits, test/support/phase-runs.ts), so it
 * cannot drift from the solution it attacks. The others (a junk workspace) are folders as
 * they are.
 *
 * expected.json: { verdict, checks: { "<check id>" | "*": { status, message?, output? } },
 * phase?, platforms?, requiresPermissionModel?, mustNotExist?: [paths relative to the
 * fixture], reportMustNotContain?: ["$GRADER_SECRET"], exactChecks? }. message and output
 * are regular expressions matched against the test's message and output in the report.
 *
 * Slow by nature (~1.5-2 min on 2 cores: two fixtures wait out the 10 s start deadline):
 * it runs whole batches, once, in beforeAll.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { permissionSwitch } from '../../checks/_process/sandbox.ts';
import { cleanEnv, runBin, type Spawned } from '../cli/spawn.ts';
import { expandEdits } from '../support/phase-runs.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/fixtures/hostile');
const DEFAULT_PHASE = '01-raw-handler';
const BATCH_MS = 420_000;

interface CheckSpec {
  readonly status: 'pass' | 'fail' | 'error';
  readonly message?: string;
  readonly output?: string;
}

interface Expected {
  readonly about: string;
  readonly verdict: 'pass' | 'fail' | 'error';
  readonly checks: Record<string, CheckSpec>;
  readonly phase?: string;
  readonly platforms?: readonly NodeJS.Platform[];
  readonly requiresPermissionModel?: boolean;
  readonly mustNotExist?: readonly string[];
  readonly reportMustNotContain?: readonly string[];
  readonly exactChecks?: boolean;
}

interface ReportedTest {
  readonly id: string;
  readonly phase: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly message: string | null;
  readonly output: string | null;
}

interface Reported {
  readonly dir: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly tests: readonly ReportedTest[];
}

const names = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const expectations = new Map(names.map((name) => [name, JSON.parse(readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected]));

const batchId = randomUUID();
const secret = `grader-secret-${randomBytes(12).toString('hex')}`;
let work = '';
const runs: { phase: string; spawned: Spawned; reportText: string }[] = [];
const reports = new Map<string, Reported>();

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'lnh-hostile-corpus-'));
  // Graded from copies: fixtures write files, and the "outside its folder" one aims at work/.
  cpSync(FIXTURES, path.join(work, 'class'), { recursive: true });
  restoreNodeModules(path.join(work, 'class'));
  for (const name of names) await expandEdits(path.join(work, 'class', name), `hostile fixture ${name}`);
  const byPhase = new Map<string, string[]>();
  for (const name of names) {
    const phase = expectations.get(name)!.phase ?? DEFAULT_PHASE;
    byPhase.set(phase, [...(byPhase.get(phase) ?? []), name]);
  }
  // One batch per phase, one after the other (the machine has 2 cores). The first one runs
  // the canary; the next ones skip it, the machine having just proved itself.
  let first = true;
  for (const [phase, members] of byPhase) {
    const out = path.join(work, `report-${phase}.json`);
    const args = ['verify', phase, ...members.flatMap((name) => ['--dir', path.join(work, 'class', name)]), '--jobs', '2', '--reporter', 'json', '--out', out];
    if (!first) args.push('--no-canary');
    first = false;
    const spawned = await runBin(args, {
      cwd: ROOT,
      timeoutMs: BATCH_MS,
      // A lower memory ceiling than the default 1024 MB: the unbounded-memory fixture then
      // reaches it in well under a second even on a loaded machine, far from the 10 s start deadline.
      env: cleanEnv({ LEARN_NODE_HTTP_BATCH_ID: batchId, GRADER_SECRET: secret, LEARN_NODE_HTTP_SERVER_MEMORY_MB: '400' }),
    });
    const reportText = existsSync(out) ? readFileSync(out, 'utf8') : '';
    runs.push({ phase, spawned, reportText });
    if (!reportText) throw new Error(`verify ${phase} wrote no report (exit ${spawned.code}).\nstderr:\n${spawned.stderr}\nstdout:\n${spawned.stdout}`);
    const parsed = JSON.parse(reportText) as Reported | Reported[];
    for (const report of Array.isArray(parsed) ? parsed : [parsed]) reports.set(path.basename(report.dir.replace(/[\\/]+$/, '')), report);
  }
}, BATCH_MS * 2 + 30_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the hostile corpus, graded as one class', () => {
  test('every fixture states its expectation, and a correct neighbour is among them', () => {
    expect(names.length).toBeGreaterThan(10);
    expect(expectations.get('correct')?.verdict).toBe('pass');
    for (const [name, expected] of expectations) {
      expect(expected.about, name).toBeTruthy();
      expect(Object.keys(expected.checks).length, name).toBeGreaterThan(0);
    }
  });

  test('each batch ends with exit code 1 (checks failed), never 2 (a check could not run)', () => {
    for (const run of runs) expect(run.spawned.code, `${run.phase}\n${run.spawned.stderr}`).toBe(1);
  });

  test.for(names)('%s', (name, ctx) => {
    const expected = expectations.get(name)!;
    // Reported as skipped, not as a pass that asserted nothing.
    if (expected.platforms && !expected.platforms.includes(process.platform)) ctx.skip(`only on ${expected.platforms.join(', ')}`);
    if (expected.requiresPermissionModel && permissionSwitch() === undefined) ctx.skip('this Node has no permission model');
    const report = reports.get(name);
    expect(report, `no report for ${name}`).toBeDefined();
    const summary = report!.tests.map((t) => `  ${t.status} ${t.id}: ${(t.message ?? '').split('\n').find((l) => l.startsWith('Got:')) ?? ''}`).join('\n');
    expect(report!.status, `${name}: ${expected.about}\n${summary}`).toBe(expected.verdict);
    for (const t of report!.tests) {
      const spec = expected.checks[t.id] ?? (expected.exactChecks ? undefined : expected.checks['*']);
      expect(spec, `${name}: unexpected check ${t.id}`).toBeDefined();
      expect(t.status, `${name} › ${t.id}\n${t.message ?? ''}`).toBe(spec!.status);
      if (spec!.message) expect(t.message ?? '', `${name} › ${t.id}`).toMatch(new RegExp(spec!.message));
      if (spec!.output) expect(t.output ?? '', `${name} › ${t.id}`).toMatch(new RegExp(spec!.output));
    }
    // A check id named in expected.json that the report lacks: renamed, or never ran.
    const reported = new Set(report!.tests.map((t) => t.id));
    for (const id of Object.keys(expected.checks)) if (id !== '*') expect(reported, `${name}: no check ${id} in the report`).toContain(id);
    for (const relative of expected.mustNotExist ?? []) {
      expect(existsSync(path.resolve(work, 'class', name, relative)), `${name}: ${relative} was written`).toBe(false);
    }
    for (const forbidden of expected.reportMustNotContain ?? []) {
      const text = forbidden === '$GRADER_SECRET' ? secret : forbidden;
      expect(JSON.stringify(report)).not.toContain(text);
    }
  });

  test("the grader's secret reaches no report and no output, although a fixture publishes what it finds", () => {
    const everything = runs.map((run) => `${run.reportText}\n${run.spawned.stdout}\n${run.spawned.stderr}`).join('\n');
    // The channel works: the fixture's loot made it into the report (empty, as it should be).
    expect(everything).toContain('stolen: []');
    expect(everything).not.toContain(secret);
  });

  test.runIf(process.platform === 'linux')('no process of the batch is left running: neither a grading process nor a server, nor what a server detached', async () => {
    const leftovers = await survivors();
    expect(leftovers, leftovers.join('\n')).toEqual([]);
  });

  test.runIf(process.platform === 'linux')('the leftover scan finds a process carrying the batch marker (so the test above can fail)', async () => {
    const { spawn } = await import('node:child_process');
    const probe = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      env: { PATH: process.env.PATH, LEARN_NODE_HTTP_MARKER: `${batchId}:probe` },
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await survivors(0)).some((line) => line.startsWith(`${probe.pid}:`))).toBe(true);
    } finally {
      probe.kill('SIGKILL');
    }
  });
});

/**
 * git ignores every node_modules/ folder, so the fixtures keep their junk node_modules as
 * node_modules__/; the copies get the real name back.
 */
function restoreNodeModules(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    restoreNodeModules(full);
    if (entry.name === 'node_modules__') renameSync(full, path.join(dir, 'node_modules'));
  }
}

/**
 * Linux: processes whose environment carries this batch's marker (LEARN_NODE_HTTP_MARKER=<batch
 * id>:<n>), or a server marker and a command line or working folder inside this test's copies.
 * Retries for a moment: a process killed at the very end of the batch may still be exiting.
 */
async function survivors(graceTries = 10): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    const found: string[] = [];
    for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
      if (Number(pid) === process.pid) continue;
      let environ: string;
      try {
        environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      } catch {
        continue;
      }
      const entries = environ.split('\0');
      const ofBatch = entries.some((entry) => entry.startsWith(`LEARN_NODE_HTTP_MARKER=${batchId}`));
      const server = entries.some((entry) => entry.startsWith('LEARN_NODE_HTTP_SERVER_MARKER='));
      let cmdline = '';
      let cwd = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // exited, or not ours to inspect
      }
      const state = statusOf(pid);
      if (state === 'Z') continue; // a zombie holds no port and no memory; its parent reaps it
      if (ofBatch || (server && (cmdline.includes(work) || cwd.startsWith(work)))) found.push(`${pid}: ${cmdline}`);
    }
    if (found.length === 0 || attempt >= graceTries) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function statusOf(pid: string): string {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}
