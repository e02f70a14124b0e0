/**
 * Helpers for the proof tests: run a phase's hidden checks on a folder in a child
 * process (never vitest inside vitest), make mutated copies of a solution, and make
 * sure no process outlives a run.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CheckResult, PhaseRun } from '../../src/runner/types.ts';
import type { Edit, Mutant } from '../mutants/types.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN_CHECKS = path.join(ROOT, 'test/support/run-checks.mjs');

export interface ProvenRun extends PhaseRun {
  /** Processes still running after the run whose command line mentions the folder. */
  readonly leftovers: readonly string[];
}

/**
 * Runs the checks of `phaseId` on `dir` in a child process (run-checks.mjs); rejects if the
 * run itself fails or takes too long. A folder of this repository (a solution, a fixture) is
 * graded on a private temp copy, its edits.json expanded (expandEdits): the leftover-process
 * scan matches by folder, and another run of the same folder at the same time (the Node
 * matrix, a second test file) must not count as this run's leftover.
 */
export async function runChecksInChild(phaseId: string, dir: string, withinMs = 150_000, checksDir?: string): Promise<ProvenRun> {
  if (!path.resolve(dir).startsWith(ROOT)) return spawnRun(phaseId, dir, withinMs, checksDir);
  const copy = await mkdtemp(path.join(os.tmpdir(), `lnh-proof-${path.basename(dir)}-`));
  try {
    await cp(dir, copy, { recursive: true });
    await expandEdits(copy, path.relative(ROOT, dir));
    return await spawnRun(phaseId, copy, withinMs, checksDir);
  } finally {
    await removeDir(copy);
  }
}

function spawnRun(phaseId: string, dir: string, withinMs: number, checksDir?: string): Promise<ProvenRun> {
  return new Promise((resolve, reject) => {
    const args = [RUN_CHECKS, phaseId, dir, ...(checksDir ? ['--checks', checksDir] : [])];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-8000)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`verify of ${dir} did not finish within ${withinMs} ms\n${stderr}`));
    }, withinMs);
    child.once('exit', async (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`run-checks exited with ${code}\n${stderr}\n${stdout.slice(-2000)}`));
      try {
        const run = JSON.parse(stdout) as PhaseRun;
        resolve({ ...run, leftovers: await leftoverProcesses(dir) });
      } catch (error) {
        reject(new Error(`run-checks printed no JSON (${String(error)})\n${stderr}\n${stdout.slice(-2000)}`));
      }
    });
  });
}

const execFileAsync = promisify(execFile);

/** Processes whose command line mentions `dir`, after a short grace (Linux and macOS). */
export async function leftoverProcesses(dir: string): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    const found = (await commandLines()).filter(({ command }) => command.includes(dir)).map(({ pid, command }) => `${pid}: ${command}`);
    if (found.length === 0 || attempt >= 10) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every process's command line: /proc on Linux, `ps` elsewhere on POSIX (macOS). */
async function commandLines(): Promise<{ pid: string; command: string }[]> {
  if (process.platform === 'linux') {
    const lines: { pid: string; command: string }[] = [];
    for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline) lines.push({ pid, command: cmdline.replaceAll('\0', ' ').trim() });
    }
    return lines;
  }
  if (process.platform === 'win32') throw new Error('leftoverProcesses: no way to list command lines on Windows; skip the test there');
  const { stdout } = await execFileAsync('ps', ['-Ao', 'pid=,command=']);
  return stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) !== process.pid)
    .map((m) => ({ pid: m[1]!, command: m[2]! }));
}

/** A temp copy of `sourceDir` with the mutant's edits applied; throws if an edit did not match exactly once. */
export async function mutatedCopy(sourceDir: string, mutant: Mutant): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `lnh-mutant-${mutant.id}-`));
  await cp(sourceDir, dir, { recursive: true });
  await applyMutant(dir, mutant);
  return dir;
}

/** The mutant's edits and renames, applied in place to a copy of the solution in `dir`. */
export async function applyMutant(dir: string, mutant: Mutant): Promise<void> {
  await applyEdits(dir, mutant.edits, `mutant ${mutant.id}`);
  for (const [from, to] of mutant.renames ?? []) await rename(path.join(dir, from), path.join(dir, to));
}

/**
 * Exact text replacements, in order, on the files under `dir`. Each `find` must occur exactly
 * once, so an edit cannot rot silently when the base it was written against changes.
 */
export async function applyEdits(dir: string, edits: readonly Edit[], label: string): Promise<void> {
  for (const edit of edits) {
    const file = path.join(dir, edit.file);
    const text = await readFile(file, 'utf8');
    const count = text.split(edit.find).length - 1;
    if (count !== 1) {
      throw new Error(`${label}: expected the text to replace in ${edit.file} exactly once, found it ${count} times:\n${edit.find}`);
    }
    await writeFile(file, text.replace(edit.find, () => edit.replace));
  }
}

/**
 * A fixture that differs from a reference solution in a few places is stored as those places
 * only, in edits.json: { base: "solutions/<phase>", into?: "<folder>", edits: [{ file, find,
 * replace }] }, find and replace as arrays of lines. Expanding a copy of such a fixture puts the
 * base's files into `into` (the copy itself when absent) without overwriting the fixture's own
 * files, so a file the fixture holds wins; then applies the edits (each find must occur exactly
 * once) and removes edits.json. A fixture that holds a style throughout stays a full folder and
 * has no edits.json. Edits cannot drift from the solution they change: a stale find throws.
 */
export async function expandEdits(copy: string, label: string): Promise<void> {
  const file = path.join(copy, 'edits.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return;
  }
  const spec = JSON.parse(text) as EditsFile;
  const target = path.join(copy, spec.into ?? '.');
  await cp(path.join(ROOT, spec.base), target, { recursive: true, force: false });
  const lines = (list: readonly string[]) => list.map((line) => `${line}\n`).join('');
  await applyEdits(target, spec.edits.map((edit) => ({ file: edit.file, find: lines(edit.find), replace: lines(edit.replace) })), label);
  await rm(file);
}

interface EditsFile {
  readonly base: string;
  readonly into?: string;
  readonly edits: readonly { readonly file: string; readonly find: readonly string[]; readonly replace: readonly string[] }[];
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** "group: pass 3, fail 1 [titles...]" per group, for assertion messages. */
export function describeRun(run: PhaseRun): string {
  const lines: string[] = [];
  for (const result of run.results) {
    lines.push(`  ${result.status.padEnd(5)} ${result.group} | ${result.title}`);
    if (result.status !== 'pass' && result.message) lines.push(...result.message.split('\n').slice(0, 6).map((l) => `        ${l}`));
  }
  return lines.join('\n');
}

export function byGroup(run: PhaseRun): Map<string, CheckResult[]> {
  const groups = new Map<string, CheckResult[]>();
  for (const result of run.results) groups.set(result.group, [...(groups.get(result.group) ?? []), result]);
  return groups;
}

/** At most `limit` of the returned function's tasks run at once. */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
