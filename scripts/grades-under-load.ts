/**
 * Proof for instructors (issue 13, item 1): a class graded while the machine is
 * oversubscribed gets exactly the grades it gets on a quiet machine.
 *
 * Builds a class of ten workspaces the way a real one looks (three complete, three
 * partial, two with one realistic bug taken from the mutants, one syntax error, one
 * empty), grades it once on the quiet machine, then `--runs` more times with busy loops
 * on every core (`--load` × the core count runnable processes, counting the batch's own
 * two jobs), and compares every check's status and every score with the quiet grades.
 *
 *   npm run proof:grades-under-load -- [--runs 5] [--load 4] [--save DIR] [--baseline FILE]
 *
 * --save keeps every run's JSON report (baseline.json, loaded-1.json, …) in DIR.
 * --baseline compares with a report saved earlier instead of grading the baseline now:
 * on a machine that cannot be quiet while the loaded runs are prepared, grade the
 * baseline alone first (`--runs 0 --save DIR`), then the loaded runs against it.
 *
 * Exit 0: every loaded run graded every check exactly as the quiet run did. Exit 1: a
 * difference, printed student by student. Takes about 5 minutes per loaded run on the
 * 2-core machine; it is a proof to run by hand before a release, not part of `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';
import { MUTANTS_BY_PHASE } from '../test/mutants/index.ts';
import { applyMutant } from '../test/support/phase-runs.ts';
import type { Mutant } from '../test/mutants/types.ts';

const CLI = path.join(PACKAGE_ROOT, 'bin/learn-node-http.js');
const PHASES = ['01-raw-handler', '02-request-bodies', '03-routing', '04-middleware', '05-json-api', '06-async-streams-structure', '07-request-lifecycle'];
/** A batch that has not finished in this long is stopped: the proof never hangs. */
const BATCH_DEADLINE_MS = 45 * 60_000;

type Source = 'solution' | 'starter' | { mutant: Mutant } | 'syntax-error';

interface Student {
  readonly name: string;
  /** Phase id → what the folder holds; phases left out are not submitted. */
  readonly phases: Readonly<Record<string, Source>>;
}

const solutionUpTo = (last: number, extra: Record<string, Source> = {}): Record<string, Source> => ({
  ...Object.fromEntries(PHASES.slice(0, last).map((id) => [id, 'solution' as Source])),
  ...extra,
});
const mutant = (phase: string, id: string): Source => ({ mutant: MUTANTS_BY_PHASE[phase]!.find((m) => m.id === id)! });

const CLASS: readonly Student[] = [
  { name: 's01-alice', phases: solutionUpTo(7) },
  { name: 's02-bob', phases: solutionUpTo(7) },
  { name: 's03-carol', phases: solutionUpTo(7) },
  { name: 's04-dave', phases: solutionUpTo(4, { '05-json-api': 'starter' }) },
  { name: 's05-erin', phases: solutionUpTo(3) },
  { name: 's06-frank', phases: solutionUpTo(5, { '06-async-streams-structure': 'starter' }) },
  { name: 's07-grace', phases: solutionUpTo(7, { '02-request-bodies': mutant('02-request-bodies', 'missing-content-type-allowed') }) },
  { name: 's08-heidi', phases: solutionUpTo(7, { '04-middleware': mutant('04-middleware', 'errors-swallowed') }) },
  { name: 's09-ivan', phases: { '01-raw-handler': 'syntax-error' } },
  { name: 's10-judy', phases: {} },
];

interface Grades {
  /** student → "phase/check id" → status */
  readonly checks: Map<string, Map<string, string>>;
  /** student → "passed/total" from the score model */
  readonly scores: Map<string, string>;
}

interface RunFigures {
  readonly label: string;
  readonly wallSeconds: number;
  readonly canary: string;
  readonly loadAverage: number;
  readonly retried: number;
}

async function buildClass(top: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const student of CLASS) {
    const dir = path.join(top, student.name);
    await mkdir(dir, { recursive: true });
    for (const [phase, source] of Object.entries(student.phases)) {
      const target = path.join(dir, phase);
      const from = source === 'starter' ? path.join(PACKAGE_ROOT, 'phases', phase, 'starter') : path.join(PACKAGE_ROOT, 'solutions', phase);
      await cp(from, target, { recursive: true });
      if (source === 'syntax-error') await appendTo(path.join(target, 'server.ts'), '\nconst broken = {;\n');
      if (typeof source === 'object') await applyMutant(target, source.mutant);
    }
    dirs.push(dir);
  }
  return dirs;
}

async function appendTo(file: string, text: string): Promise<void> {
  await writeFile(file, (await readFile(file, 'utf8')) + text);
}

/** One batch, as an instructor runs it; returns the grades read from the JSON report. */
async function gradeClass(dirs: readonly string[], out: string, label: string): Promise<{ grades: Grades; figures: RunFigures }> {
  const loadSamples: number[] = [];
  const sampler = setInterval(() => loadSamples.push(os.loadavg()[0]!), 5_000);
  const started = performance.now();
  try {
    const { code, stderr } = await runCli(['verify', '--all', '--dir', ...dirs, '--jobs', '2', '--reporter', 'json', '--out', out]);
    // 1: some student failed a check (expected in this class). 0 or 2 would mean the class is not what this proof built.
    if (code !== 1) throw new Error(`${label}: the batch exited ${code}, expected 1 (some students fail).\n${stderr.slice(-4000)}`);
    const reports = await readReports(out);
    const grades = gradesOf(reports);
    const canary = /canary[^\n]*\((\d+(?:\.\d+)?) s\)/.exec(stderr)?.[1];
    return {
      grades,
      figures: {
        label,
        wallSeconds: (performance.now() - started) / 1000,
        canary: canary ? `${canary} s` : 'not reported',
        loadAverage: loadSamples.length > 0 ? loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length : os.loadavg()[0]!,
        retried: reports.filter((r) => (r.attempts ?? 1) > 1).length,
      },
    };
  } finally {
    clearInterval(sampler);
  }
}

interface StudentReport {
  readonly dir: string;
  readonly tests: ReadonlyArray<{ phase: string; id: string; status: string }>;
  readonly score?: { passed: number; total: number };
  readonly attempts?: number;
}

async function readReports(file: string): Promise<StudentReport[]> {
  return JSON.parse(await readFile(file, 'utf8')) as StudentReport[];
}

function gradesOf(reports: readonly StudentReport[]): Grades {
  const grades: Grades = { checks: new Map(), scores: new Map() };
  for (const report of reports) {
    const student = path.basename(report.dir);
    grades.checks.set(student, new Map(report.tests.map((t) => [`${t.phase}/${t.id}`, t.status])));
    grades.scores.set(student, report.score ? `${report.score.passed}/${report.score.total}` : '?');
  }
  return grades;
}

function runCli(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGINT'), BATCH_DEADLINE_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Busy loops that keep `count` extra processes runnable for as long as they live. */
function startLoad(count: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

function differences(quiet: Grades, loaded: Grades): string[] {
  const found: string[] = [];
  for (const [student, checks] of quiet.checks) {
    const other = loaded.checks.get(student);
    if (!other) {
      found.push(`${student}: missing from the loaded report`);
      continue;
    }
    for (const [key, status] of checks) if (other.get(key) !== status) found.push(`${student} ${key}: quiet ${status}, loaded ${other.get(key) ?? 'absent'}`);
    for (const key of other.keys()) if (!checks.has(key)) found.push(`${student} ${key}: only in the loaded report`);
    if (quiet.scores.get(student) !== loaded.scores.get(student)) found.push(`${student} score: quiet ${quiet.scores.get(student)}, loaded ${loaded.scores.get(student)}`);
  }
  return found;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '5' }, load: { type: 'string', default: '4' }, save: { type: 'string' }, baseline: { type: 'string' } },
  });
  const runs = Number(values.runs);
  const load = Number(values.load);
  const cores = os.availableParallelism();
  // The batch keeps about two processes runnable itself (--jobs 2).
  const spinners = Math.max(0, Math.round(load * cores) - 2);
  const top = await mkdtemp(path.join(os.tmpdir(), 'lnh-class-under-load-'));
  const reportsDir = values.save ? path.resolve(values.save) : top;
  await mkdir(reportsDir, { recursive: true });
  let failed = false;
  try {
    // The same folder names every time: a report names each student by its folder.
    const dirs = await buildClass(path.join(top, 'class'));
    console.log(`Class of ${dirs.length}; ${cores} cores; loaded runs add ${spinners} busy loops (about ${load}× the cores runnable).`);
    const figures: RunFigures[] = [];
    let quiet: Grades;
    if (values.baseline) {
      quiet = gradesOf(await readReports(values.baseline));
      console.log(`baseline from ${values.baseline}`);
    } else {
      const graded = await gradeClass(dirs, path.join(reportsDir, 'baseline.json'), 'baseline');
      quiet = graded.grades;
      figures.push(graded.figures);
    }
    console.log(`baseline: ${[...quiet.scores].map(([s, score]) => `${s} ${score}`).join(', ')}`);
    for (let run = 1; run <= runs; run++) {
      const spinning = startLoad(spinners);
      try {
        // Let the load average climb before the batch starts.
        await new Promise((r) => setTimeout(r, 15_000));
        const loaded = await gradeClass(dirs, path.join(reportsDir, `loaded-${run}.json`), `loaded ${run}`);
        figures.push(loaded.figures);
        const diff = differences(quiet, loaded.grades);
        console.log(`loaded ${run}: ${diff.length === 0 ? 'identical to the baseline grades' : `${diff.length} differences`}`);
        for (const line of diff) console.log(`  ${line}`);
        if (diff.length > 0) failed = true;
      } finally {
        for (const child of spinning) child.kill('SIGKILL');
      }
    }
    console.log('\n| run | wall | canary | load average (1 min, mean) | submissions retried |\n|---|---|---|---|---|');
    for (const f of figures) console.log(`| ${f.label} | ${f.wallSeconds.toFixed(0)} s | ${f.canary} | ${f.loadAverage.toFixed(1)} | ${f.retried} |`);
  } finally {
    await rm(top, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
