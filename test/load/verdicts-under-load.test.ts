/**
 * Verdicts do not depend on load: with every core oversubscribed (CPU-bound busy loops,
 * BUSY_PER_CORE per core, plus two check runs at once), the reference solutions and the
 * alternatives still pass every check, and mutants, including the ones that hang or crash
 * after answering, still fail their own group (and only it, bar `mayAlsoFail`), in a
 * bounded time. Deadlines stretch with the pace the harness measures (checks/_harness/pace.ts);
 * this test logs the factor a probe in this process sees before and under the load.
 *
 * Skipped in `npm test` (it takes 5-8 minutes and makes every other test's timing noisy):
 * `npm run test:load` (LEARN_NODE_HTTP_LOAD=quick) runs phase 01's solution and alternative
 * side by side, then a crash-after-answer mutant (01) beside a hang mutant (02).
 * LEARN_NODE_HTTP_LOAD=full: every phase's solution and alternatives, and a sample of each
 * phase's mutants that hang, stall or crash (see FULL_MUTANTS), two runs at a time; tens of
 * minutes. LEARN_NODE_HTTP_LOAD_PHASES=01,06 limits the full run to those phases.
 *
 * Loopback only; every busy loop ends itself after BUSY_LIFETIME_MS even if this process
 * dies, and is killed in afterAll (and in a process 'exit' hook) anyway.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { paceReport } from '../../checks/_harness/pace.ts';
import { MUTANTS_BY_PHASE } from '../mutants/index.ts';
import type { Mutant } from '../mutants/types.ts';
import { byGroup, concurrencyLimit, describeRun, mutatedCopy, removeDir, ROOT, runChecksInChild, type ProvenRun } from '../support/phase-runs.ts';

const FULL = process.env.LEARN_NODE_HTTP_LOAD === 'full';
const WANTED = FULL || process.env.LEARN_NODE_HTTP_LOAD === 'quick';
const BUSY_PER_CORE = Number(process.env.LEARN_NODE_HTTP_LOAD_BUSY_PER_CORE ?? 2);
const CORES = Math.max(1, os.availableParallelism());
/** A busy loop ends itself after this long, whatever happens to the test. */
const BUSY_LIFETIME_MS = FULL ? 3 * 60 * 60_000 : 15 * 60_000;
/** Per check run; a quiet run of one phase takes 5-60 s. */
const RUN_WITHIN_MS = FULL ? 900_000 : 400_000;
/** The two check runs that make up the "two runs at once" of the load. */
const limit = concurrencyLimit(2);

const PHASES = [
  '01-raw-handler',
  '02-request-bodies',
  '03-routing',
  '04-middleware',
  '05-json-api',
  '06-async-streams-structure',
  '07-request-lifecycle',
] as const;

/** Mutants whose failure rests on a deadline (a hang, a stall, a crash after answering): what load could hide. */
const DEFAULT_MUTANTS: readonly (readonly [string, string])[] = [
  ['01-raw-handler', 'hello-missing-return'],
  ['02-request-bodies', 'declared-length-ignored'],
];
const FULL_MUTANTS: readonly (readonly [string, string])[] = [
  ...DEFAULT_MUTANTS,
  ['06-async-streams-structure', 'boom-logs-but-never-answers'],
  ['06-async-streams-structure', 'boom-answers-then-exits'],
  ['06-async-streams-structure', 'no-shutdown-deadline'],
  ['06-async-streams-structure', 'never-stops-accepting'],
  ['07-request-lifecycle', 'stream-last-line-never-ends'],
  ['07-request-lifecycle', 'report-checks-client-after-wait'],
  ['04-middleware', 'next-does-not-wait'],
];

const selectedPhases = (() => {
  const wanted = process.env.LEARN_NODE_HTTP_LOAD_PHASES?.split(',').map((p) => p.trim());
  return PHASES.filter((phase) => !wanted || wanted.some((w) => phase.startsWith(w)));
})();

function alternativesOf(phase: string): string[] {
  const fixtures = path.join(ROOT, 'test/fixtures');
  return readdirSync(fixtures).filter((name) => name.startsWith(`${phase}-alt-`)).map((name) => path.join(fixtures, name));
}

const correct: { label: string; phase: string; dir: string }[] = FULL
  ? selectedPhases.flatMap((phase) => [
      { label: `solutions/${phase}`, phase, dir: path.join(ROOT, 'solutions', phase) },
      ...alternativesOf(phase).map((dir) => ({ label: path.relative(ROOT, dir), phase, dir })),
    ])
  : [
      { label: 'solutions/01-raw-handler', phase: '01-raw-handler', dir: path.join(ROOT, 'solutions/01-raw-handler') },
      ...alternativesOf('01-raw-handler').slice(0, 1).map((dir) => ({ label: path.relative(ROOT, dir), phase: '01-raw-handler', dir })),
    ];

const sampled: { phase: string; mutant: Mutant }[] = (FULL ? FULL_MUTANTS : DEFAULT_MUTANTS)
  .filter(([phase]) => !FULL || selectedPhases.includes(phase as (typeof PHASES)[number]))
  .map(([phase, id]) => ({ phase, mutant: MUTANTS_BY_PHASE[phase]?.find((m) => m.id === id) }))
  .filter((entry): entry is { phase: string; mutant: Mutant } => entry.mutant !== undefined);

// ---- the load ---------------------------------------------------------------------

const busy: ChildProcess[] = [];
const BUSY_LOOP = `const end = Date.now() + ${BUSY_LIFETIME_MS}; let x = 0; while (Date.now() < end) { for (let i = 0; i < 1e6; i++) x = (x + i) | 0; }`;

function startLoad(): void {
  for (let i = 0; i < CORES * BUSY_PER_CORE; i++) {
    const child = spawn(process.execPath, ['-e', BUSY_LOOP], { stdio: 'ignore' });
    child.once('error', () => {});
    busy.push(child);
  }
}

function stopLoad(): void {
  for (const child of busy.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

// A test process that dies without afterAll still takes its busy loops with it.
process.once('exit', stopLoad);

const temps: string[] = [];
const paceSeen: number[] = [];

function notePace(label: string): void {
  const report = paceReport();
  paceSeen.push(report.factor);
  console.log(`[load] pace ${label}: ×${report.factor} (probes: ${report.probes.map((p) => `${p.factor}@${p.wallMs}ms`).join(', ')})`);
}

beforeAll(async () => {
  if (!WANTED) return;
  notePace('before the load');
  startLoad();
  // Let the scheduler feel it, then see what the harness's probe makes of it.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  notePace(`with ${busy.length} busy loops on ${CORES} cores`);
});

afterAll(async () => {
  if (!WANTED) return;
  notePace('at the end, still loaded');
  stopLoad();
  await Promise.all(temps.map(removeDir));
});

function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  return run().finally(() => {
    const factor = paceReport().factor;
    paceSeen.push(factor);
    console.log(`[load] ${label}: ${Math.round((performance.now() - started) / 1000)} s (pace now ×${factor})`);
  });
}

// ---- the proofs ----------------------------------------------------------------------

describe.skipIf(!WANTED).concurrent(`verdicts with the machine oversubscribed (${BUSY_PER_CORE} busy loops per core, two check runs at once)`, () => {
  for (const { label, phase, dir } of correct) {
    test.skipIf(!existsSync(dir))(`${label} passes every check`, async () => {
      const run = await limit(() => timed(label, () => runChecksInChild(phase, dir, RUN_WITHIN_MS)));
      expect(run.results.length).toBeGreaterThan(0);
      expect(run.results.filter((r) => r.status !== 'pass'), describeRun(run)).toEqual([]);
      expect(run.leftovers).toEqual([]);
    }, RUN_WITHIN_MS * 2);
  }

  for (const { phase, mutant } of sampled) {
    test(`${phase} mutant ${mutant.id} still fails "${mutant.group}" (${mutant.story})`, async () => {
      const dir = await mutatedCopy(path.join(ROOT, 'solutions', phase), mutant);
      temps.push(dir);
      const run = await limit(() => timed(`${phase} mutant ${mutant.id}`, () => runChecksInChild(phase, dir, RUN_WITHIN_MS)));
      expectCaught(mutant, run);
    }, RUN_WITHIN_MS * 2);
  }

  test('the load was real: the harness measured the machine as busy', async () => {
    // A concurrent test starts with the others: wait until the proofs above are well under
    // way (each proof also notes the pace when it ends), then look.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    notePace('during the proofs');
    expect(Math.max(...paceSeen)).toBeGreaterThanOrEqual(2);
  });
});

/** The proof's rule for a mutant (test/support/prove-phase.ts), under load. */
function expectCaught(mutant: Mutant, run: ProvenRun): void {
  const report = `mutant ${mutant.id} (${mutant.story}):\n${describeRun(run)}`;
  expect(run.results.filter((r) => r.status === 'error'), report).toEqual([]);
  expect(run.leftovers, report).toEqual([]);
  for (const [group, results] of byGroup(run)) {
    const failed = results.filter((r) => r.status === 'fail');
    if (group === mutant.group) {
      expect(failed.some((r) => r.id === mutant.check), `check ${mutant.check} did not fail\n${report}`).toBe(true);
    } else if (!mutant.mayAlsoFail?.includes(group)) {
      expect(failed.map((r) => r.title), `other group ${group} failed too\n${report}`).toEqual([]);
    }
  }
}
