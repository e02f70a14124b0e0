/**
 * `npm run bench`: the performance budget, measured on this machine.
 *
 *   --only LIST     sections to run, comma-separated (default: all of them, in this order):
 *                   stream, verify, watch, next, grading
 *   --runs N        repetitions per measurement (default 5; 3 for stream)
 *   --sizes LIST    export file sizes in MB for `stream` (default 256,1024)
 *
 * Prints one Markdown table (measurement, median, range, aim, met?) to paste into the
 * README, and writes the raw samples to bench/results/latest.json. Numbers live here,
 * never in the tests: the tests assert behaviour only. The CLI measured is the compiled
 * one `npm pack` ships (built into dist/ for the run, removed after).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';
import { loadCourse } from '../src/course/load.ts';
import { measureGradingThroughput } from './grading-throughput.ts';
import { timeNext } from './next-time.ts';
import { measureStreamMemory } from './stream-memory.ts';
import { BenchRefusal, markdownTable, type Measurement, type SectionResult } from './table.ts';
import { timeVerifyAll, type VerifyTiming } from './verify-time.ts';
import { runCli } from './cli.ts';
import { floorSeconds } from './floor.ts';
import { ensureBigJson } from '../checks/06-async-streams-structure/_big-json.ts';
import { timeWatch } from './watch-time.ts';

interface BenchOptions {
  /** --runs, when given. */
  readonly runs: number | undefined;
  readonly sizesMb: readonly number[];
  /** Progress for the person waiting (the table comes at the end). */
  readonly say: (text: string) => void;
}

type Section = (options: BenchOptions) => Promise<SectionResult>;

/**
 * The sections, in the order they run. `stream` comes first: it generates (or finds) the
 * cached big files that `verify 06` streams.
 */
const SECTIONS: Record<string, Section> = {
  stream: measureStreamSection,
  verify: measureVerifySection,
  watch: measureWatchSection,
  next: measureNextSection,
  grading: measureGradingSection,
};

/**
 * An instructor's batch, once each (a run takes minutes): 20 phase-06 workspaces (the issue's
 * throughput measure) and 30 full workspaces (every phase), `--jobs` = the core count,
 * canary included. Copies of the reference solution, so every grade must be full marks.
 */
async function measureGradingSection({ say }: BenchOptions): Promise<SectionResult> {
  const jobs = os.availableParallelism();
  const rows: Measurement[] = [];
  const raw: Record<string, unknown> = {};
  for (const batch of [
    { name: '20 phase-06 workspaces', submissions: 20, phases: ['06-async-streams-structure'], aimSeconds: undefined },
    { name: '30 full workspaces (every phase)', submissions: 30, phases: loadCourse().map((p) => p.id), aimSeconds: 180 },
  ]) {
    say(`grading ${batch.name}, ${jobs} at a time (one verify batch, canary included) …`);
    const result = await measureGradingThroughput({ submissions: batch.submissions, phases: batch.phases, jobs, deadlineMs: 30 * 60_000 });
    raw[batch.name] = result;
    rows.push({ name: `grading ${batch.name}, --jobs ${jobs}: whole batch`, samples: [result.wallSeconds], unit: 's', ...(batch.aimSeconds ? { under: batch.aimSeconds } : {}) });
    rows.push({ name: `↳ submissions per minute`, samples: [result.perMinute], unit: '/min' });
    rows.push({ name: `↳ slowest submission's wall time`, samples: [Math.max(...result.submissionSeconds)], unit: 's' });
    rows.push({ name: `↳ the canary (reference solution, graded first)`, samples: [result.canarySeconds], unit: 's' });
  }
  return { rows, raw };
}

async function measureStreamSection({ runs, sizesMb, say }: BenchOptions): Promise<SectionResult> {
  const rows: Measurement[] = [];
  const raw: Record<string, unknown> = {};
  const skipped: string[] = [];
  for (const sizeMb of sizesMb) {
    say(`streaming a ${sizeMb} MB export: peak RSS growth of the phase-06 reference server …`);
    let memory;
    try {
      memory = await measureStreamMemory(sizeMb * 1024 * 1024, runs ?? 3, say);
    } catch (error) {
      if (!(error instanceof BenchRefusal)) throw error;
      skipped.push(error.message);
      continue;
    }
    raw[`${sizeMb}MB`] = memory;
    rows.push({ name: `server peak RSS growth, ${sizeMb} MB export, fast client`, samples: memory.fastClientMb, unit: 'MB', under: 64 });
    rows.push({ name: `server peak RSS growth, ${sizeMb} MB export, client pausing 1 s`, samples: memory.pausedClientMb, unit: 'MB', under: 64 });
    if (memory.generatedSeconds > 0) rows.push({ name: `↳ generating the ${sizeMb} MB export (once, then cached)`, samples: [memory.generatedSeconds], unit: 's' });
  }
  return { rows, raw, skipped };
}

async function measureVerifySection({ runs, say }: BenchOptions): Promise<SectionResult> {
  const timings = await timeVerifyAll(runs ?? 5, (label) => say(`${label} on the reference solution (fresh CLI process each run) …`));
  const floors = await measureFloors(timings, runs ?? 5, say);
  const rows: Measurement[] = [];
  for (const timing of timings) {
    const all = timing.phase === 'all';
    const name = all ? `\`verify --all\` wall time (${timing.checks} checks, every phase)` : `\`verify ${timing.phase}\` wall time (${timing.checks} checks${timing.phase === '06' ? ', big file cached' : ''})`;
    rows.push({ name, samples: timing.seconds, unit: 's', ...(all ? { under: 10 } : {}) });
    const floor = floors.get(timing.phase)!;
    rows.push({ name: `↳ floor: ${all ? 'each reference server' : 'the reference server'} started once under tsx, ${timing.checks} requests, no test runner`, samples: floor, unit: 's' });
    // Issue 12's aims: verify 01 within 2.5 times its floor, every other phase within 4 times.
    const ratios = timing.seconds.map((seconds, run) => seconds / floor[run % floor.length]!);
    rows.push({ name: `↳ ${all ? '`verify --all`' : `\`verify ${timing.phase}\``} ÷ its floor`, samples: ratios, unit: '×', ...(all ? {} : { under: timing.phase === '01' ? 2.5 : 4 }) });
  }
  say('the CLI alone: `learn-node-http --version` (node and the compiled tool, no checks) …');
  const cliStart: number[] = [];
  for (let run = 0; run < (runs ?? 5); run++) cliStart.push((await runCli(['--version'], { cwd: os.tmpdir(), deadlineMs: 30_000 })).seconds);
  rows.push({ name: '↳ of which the CLI alone starts (`--version`: node and the compiled tool)', samples: cliStart, unit: 's' });
  return { rows, raw: { timings, floors: Object.fromEntries(floors), cliStart } };
}

/** The floor of every phase, `runs` times each; the floor of `--all` is the sum of the phases' floors of the same run. */
async function measureFloors(timings: readonly VerifyTiming[], runs: number, say: (text: string) => void): Promise<Map<string, number[]>> {
  const { path: bigJson } = await ensureBigJson();
  const floors = new Map<string, number[]>();
  const byNumber = new Map(loadCourse().map((phase) => [phase.number, phase]));
  for (const timing of timings.filter((t) => t.phase !== 'all')) {
    say(`floor of verify ${timing.phase}: the reference server once, ${timing.checks} requests …`);
    const samples: number[] = [];
    for (let run = 0; run < runs; run++) samples.push(await floorSeconds(byNumber.get(timing.phase)!, timing.checks, bigJson));
    floors.set(timing.phase, samples);
  }
  floors.set('all', Array.from({ length: runs }, (_, run) => [...floors.values()].reduce((sum, samples) => sum + samples[run]!, 0)));
  return floors;
}

async function measureWatchSection({ runs, say }: BenchOptions): Promise<SectionResult> {
  say('watch: save a file, wait for the first result line (phase 01, reference solution) …');
  const timing = await timeWatch(runs ?? 5);
  const rows: Measurement[] = [
    { name: '`watch`: save → first result line', samples: timing.firstResultS, unit: 's', under: 0.5 },
    { name: '↳ save seen: file-system event + debounce', samples: timing.detectS, unit: 's' },
    { name: '↳ save seen → first result line (compile, vitest starting its workers, the first check and its server start)', samples: timing.runToFirstResultS, unit: 's' },
    { name: '↳ server start alone (compiled once per run, then plain node, until it accepts)', samples: timing.serverStartS, unit: 's' },
    { name: '`watch`: save → whole run reported', samples: timing.wholeRunS, unit: 's' },
  ];
  return { rows, raw: timing };
}

async function measureNextSection({ runs, say }: BenchOptions): Promise<SectionResult> {
  say('next: first output line, in an empty folder and in a workspace …');
  const timing = await timeNext(runs ?? 5);
  const rows: Measurement[] = [
    { name: '`next` in an empty folder → first output line', samples: timing.newWorkspaceS, unit: 's', under: 1 },
    { name: '`next` in a workspace → first output line', samples: timing.checkPhaseS, unit: 's', under: 1 },
  ];
  return { rows, raw: timing };
}

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string' },
    sizes: { type: 'string', default: '256,1024' },
  },
});
const runs = values.runs === undefined ? undefined : Number(values.runs);
if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) usage(`--runs takes a whole number of runs, like --runs 3 (got "${values.runs}").`);
const sizesMb = values.sizes.split(',').map(Number);
if (sizesMb.some((size) => !(Number.isInteger(size) && size > 0))) usage(`--sizes takes sizes in MB, like --sizes 256,1024 (got "${values.sizes}").`);
const only = values.only?.split(',').map((name) => name.trim()) ?? Object.keys(SECTIONS);
const unknown = only.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) usage(`--only: no section called ${unknown.join(', ')}. Sections: ${Object.keys(SECTIONS).join(', ')}.`);

const machine = `Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${os.platform()} ${os.arch()}`;
const loadAtStart = os.loadavg()[0]!;
console.log(`learn-node-http benchmark: ${machine}, load average ${loadAtStart.toFixed(2)}\n`);

// The CLI as npx runs it: compiled (what `npm pack` ships), not the sources under tsx.
// Removed again at the end, or the checkout would keep starting the build instead of its sources.
execFileSync(process.execPath, [path.join(PACKAGE_ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
process.once('exit', () => execFileSync(process.execPath, [path.join(PACKAGE_ROOT, 'scripts/build.mjs'), '--clean']));

const rows: Measurement[] = [];
const skipped: string[] = [];
const results: Record<string, unknown> = { machine, date: new Date().toISOString(), runs: runs ?? 'default', loadAverageAtStart: os.loadavg() };
const options: BenchOptions = { runs, sizesMb, say: (text) => console.log(text) };
// Run in the table's order, whatever order --only named them in.
for (const name of Object.keys(SECTIONS).filter((section) => only.includes(section))) {
  try {
    const section = await SECTIONS[name]!(options);
    rows.push(...section.rows);
    skipped.push(...(section.skipped ?? []));
    results[name] = section.raw;
  } catch (error) {
    if (!(error instanceof BenchRefusal)) throw error;
    skipped.push(error.message);
  }
}
results.loadAverageAtEnd = os.loadavg();
// A shared machine makes every figure slower: say how busy it was, so a reader can judge.
const busy = `load average ${loadAtStart.toFixed(2)} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end (${os.cpus().length} cores)`;

if (rows.length > 0) console.log(`\n${markdownTable(rows)}\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}; ${busy}.\n`);
if (skipped.length > 0) {
  // Not measured is not "met": the run fails so that CI notices.
  console.error(`Not measured:\n${skipped.map((why) => `- ${why}`).join('\n')}\n`);
  process.exitCode = 2;
}
const out = path.join(PACKAGE_ROOT, 'bench/results/latest.json');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`raw samples: ${path.relative(process.cwd(), out)}`);

function usage(problem: string): never {
  console.error(`${problem}\nUsage: npm run bench -- [--only ${Object.keys(SECTIONS).join(',')}] [--runs N] [--sizes 256,1024]`);
  process.exit(2);
}
