/**
 * Reporters on hand-made runs (every status, a missing phase, hostile text), and `verify`
 * in-process with a fake runner: dirs, --all, --out, exit codes, no progress file needed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/course/load.ts';
import { renderCsv } from '../../src/report/csv.ts';
import { renderJson, toExercism } from '../../src/report/json.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { exitCodeFor, notSubmittedRun, type DirReport } from '../../src/report/model.ts';
import { renderPretty } from '../../src/report/pretty.ts';
import type { FakeRunnerCall } from './helpers.ts';
import { PROGRESS_FILE } from '../../src/workspace/progress.ts';
import { findAll, parseXml } from './xml.ts';
import { FIRST, SECOND, fakeRunner, fixtureCourse, removeTempDirs, result, runCli, tempDir, writeFiles } from './helpers.ts';

afterAll(removeTempDirs);

const courseRoot = fixtureCourse();
const phases = loadCourse(courseRoot);
const plain = new Chalk({ level: 0 });
const hostile = 'Sent: curl -sS "http://127.0.0.1:4000/a?b=1&c=<2>"\nGot: \u001b[31m"quoted" & \'single\'\u001b[39m \u0000\u0007 ]]> end';

const reports: DirReport[] = [
  {
    dir: '/grading/alice',
    label: 'alice',
    runs: [
      {
        phase: FIRST,
        targetDir: `/grading/alice/${FIRST}`,
        durationMs: 1500,
        results: [
          result(FIRST, 'alpha', 'pass'),
          result(FIRST, 'beta', 'fail', hostile),
          { ...result(FIRST, 'beta-2', 'error', 'could not bind a port'), output: 'server log line\n'.repeat(60) },
          result(FIRST, 'alpha-skip', 'skip', 'SIGTERM does not exist on Windows'),
        ],
      },
      notSubmittedRun(phases[1]!, `/grading/alice/${SECOND}`),
    ],
  },
  {
    dir: '/grading/bob, jr',
    label: 'bob, jr',
    runs: [
      { phase: FIRST, targetDir: `/grading/bob/${FIRST}`, durationMs: 900, results: [result(FIRST, 'alpha', 'pass'), result(FIRST, 'beta', 'pass')] },
      { phase: SECOND, targetDir: `/grading/bob/${SECOND}`, durationMs: 900, results: [result(SECOND, 'alpha', 'pass'), result(SECOND, 'beta', 'fail', 'nope')] },
    ],
  },
];

describe('json (Exercism results.json v3)', () => {
  it('has the v3 shape, statuses, task ids and our extra fields', () => {
    const parsed = JSON.parse(renderJson(reports, phases)) as unknown[];
    expect(Array.isArray(parsed)).toBe(true);
    expect(parsed).toHaveLength(2);
    for (const doc of parsed as Array<Record<string, unknown>>) {
      expect(doc['version']).toBe(3);
      expect(['pass', 'fail', 'error']).toContain(doc['status']);
      for (const t of doc['tests'] as Array<Record<string, unknown>>) {
        expect(Object.keys(t)).toEqual(expect.arrayContaining(['name', 'status', 'message', 'output', 'test_code', 'task_id', 'group']));
        expect(['pass', 'fail', 'error']).toContain(t['status']);
        expect(typeof t['name']).toBe('string');
      }
    }
    const alice = toExercism(reports[0]!, phases);
    expect(alice.status).toBe('error');
    expect(alice.message).toMatch(/could not run/);
    expect(alice.tests.map((t) => t.status)).toEqual(['pass', 'fail', 'error', 'fail']);
    // test_code: what the student should look at, the request that showed the problem.
    expect(alice.tests[1]).toMatchObject({ task_id: 2, group: 'beta', test_code: 'curl -sS "http://127.0.0.1:4000/a?b=1&c=<2>"', name: '01 · The beta check' });
    expect(alice.tests[0]!.test_code).toBe('npx learn-node-http verify 01');
    expect(alice.tests[1]!.message).not.toContain('\u001b');
    expect(alice.tests[0]!.message).toBeNull();
    expect(alice.tests[2]!.output!.length).toBeLessThanOrEqual(500);
    expect(alice.tests[3]!.message).toMatch(/Not submitted/);
    expect(alice.skipped).toEqual([{ name: 'The alpha-skip check', message: 'SIGTERM does not exist on Windows' }]);
    expect(toExercism(reports[1]!, phases).status).toBe('fail');
  });

  it('one folder gives one object, not an array', () => {
    const one = JSON.parse(renderJson([reports[1]!], phases));
    expect(one.version).toBe(3);
    expect(one.dir).toBe('bob, jr');
  });
});

describe('junit', () => {
  it('is well-formed XML with a suite per folder and phase and escaped text', () => {
    const xml = renderJunit(reports, phases, { wallMs: 2500 });
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '9', failures: '3', errors: '1', skipped: '1', time: '2.500' });
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attrs['name'])).toEqual([`alice: ${FIRST}`, `alice: ${SECOND}`, `bob, jr: ${FIRST}`, `bob, jr: ${SECOND}`]);
    const failure = findAll(suites[0]!, 'failure')[0]!;
    expect(failure.text).toContain('curl -sS "http://127.0.0.1:4000/a?b=1&c=<2>"');
    expect(failure.text).toContain('"quoted" & \'single\'');
    expect(failure.text).toContain(']]> end');
    // The reason, not the request: the first line after the Sent: block.
    expect(failure.attrs['message']).toMatch(/^Got: "quoted" & 'single'/);
    expect(findAll(suites[0]!, 'testcase').every((t) => t.attrs['classname']!.startsWith(`alice.${FIRST}`))).toBe(true);
    expect(findAll(suites[2]!, 'testcase')[0]!.attrs['classname']).toBe(`bob, jr.${FIRST}.alpha`);
    expect(findAll(suites[0]!, 'error')).toHaveLength(1);
    expect(findAll(suites[0]!, 'skipped')).toHaveLength(1);
    expect(findAll(suites[1]!, 'failure')[0]!.text).toMatch(/Not submitted/);
  });
});

describe('csv', () => {
  it('has a row per folder, passed/total per phase, a total and a status, quoted where needed', () => {
    const csv = renderCsv(reports, [FIRST, SECOND]);
    expect(csv.split('\r\n')).toEqual([`dir,${FIRST},${SECOND},total,status`, `alice,1/3,0/1,1/4,not submitted: 02; could not run: 1 check`, `"bob, jr",2/2,1/2,3/4,ok`, '']);
  });

  it('an empty submission scores 0 of every check and says so in the status, never in a score cell', () => {
    const checks = [result(FIRST, 'alpha', 'fail'), result(FIRST, 'beta', 'fail')];
    const csv = renderCsv([{ dir: '/x', label: 'x', runs: [notSubmittedRun(phases[0]!, `/x/${FIRST}`, checks)] }], [FIRST]);
    expect(csv).toBe(`dir,${FIRST},total,status\r\nx,0/2,0/2,empty submission (no phase folder)\r\n`);
  });
});

describe('pretty', () => {
  it('shows every check, the message under failures and the lesson sections to reread', () => {
    const text = renderPretty(reports, phases, plain);
    expect(text).toContain(`${FIRST} · First steps  in alice`);
    expect(text).toContain('  ✓ The alpha check');
    expect(text).toContain('  ✗ The beta check');
    expect(text).toContain('      Sent: curl');
    expect(text).toContain("! The beta-2 check (could not run: not your code's fault)");
    expect(text).toContain('- The alpha-skip check (skipped: SIGTERM does not exist on Windows)');
    expect(text).toContain('1 of 3 checks passed, 1 could not run, 1 skipped on this platform');
    expect(text).toContain(`Not submitted: there is no folder ${SECOND}/, so this phase scores 0 of 1 check.`);
    expect(text).toContain('Reread in 02-second-steps/LESSON.md: “Beta”');
  });

  it('exit code: error beats fail beats pass', () => {
    expect(exitCodeFor(reports)).toBe(2);
    expect(exitCodeFor([reports[1]!])).toBe(1);
    expect(exitCodeFor([{ ...reports[1]!, runs: [reports[1]!.runs[0]!] }])).toBe(0);
  });
});

describe('verify (in-process, fake runner)', () => {
  const solvedFolder = (root: string, phase: string) => writeFiles(root, { [`${phase}/server.ts`]: '// solved\n' });

  it('grades folders without a progress file; a missing phase is not submitted; exit 1', async () => {
    const top = tempDir();
    solvedFolder(join(top, 'alice'), FIRST);
    solvedFolder(join(top, 'alice'), SECOND);
    solvedFolder(join(top, 'bob'), FIRST);
    const calls: FakeRunnerCall[] = [];
    const r = await runCli(['verify', '--all', '--dir', 'alice', '--dir', 'bob', '--reporter', 'csv'], { cwd: top, courseRoot, runner: fakeRunner(calls) });
    expect(r.code).toBe(1);
    // Several folders make a batch: the reference solution is graded first, as a canary.
    expect(calls.map((c) => c.targetDir)).toEqual([
      join(courseRoot, 'solutions', FIRST),
      join(courseRoot, 'solutions', SECOND),
      join(top, 'alice', FIRST),
      join(top, 'alice', SECOND),
      join(top, 'bob', FIRST),
    ]);
    expect(r.stdout).toBe(`dir,${FIRST},${SECOND},total,status\r\nalice,2/2,2/2,4/4,ok\r\nbob,2/2,0/2,2/4,not submitted: 02\r\n`);
    expect(r.stderr).toMatch(/6\/8 checks passed, 1 phase folder not submitted/);
  });

  it('exit 0 when everything passes; --out writes the file and prints only a summary', async () => {
    const top = tempDir();
    solvedFolder(top, FIRST);
    const r = await runCli(['verify', '01', '--reporter', 'json', '--out', 'reports/r.json'], { cwd: top, courseRoot });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Wrote the json report for 1 folder to reports\/r\.json: 2\/2 checks passed\./);
    const doc = JSON.parse(readFileSync(join(top, 'reports/r.json'), 'utf8'));
    expect(doc).toMatchObject({ version: 3, status: 'pass' });
  });

  it('a phase folder that is missing entirely is reported, not a crash', async () => {
    const top = tempDir();
    mkdirSync(join(top, 'empty'));
    const r = await runCli(['verify', '02', '--dir', 'empty'], { cwd: top, courseRoot });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Not submitted: there is no folder 02-second-steps\//);
  });

  it('a --dir that does not exist is a usage error before anything runs', async () => {
    const calls: FakeRunnerCall[] = [];
    const r = await runCli(['verify', '--all', '--dir', 'nobody'], { cwd: tempDir(), courseRoot, runner: fakeRunner(calls) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dir nobody: there is no folder/);
    expect(calls).toHaveLength(0);
  });

  it('in a workspace, defaults to the current phase and records the check run (with --dir it writes nothing)', async () => {
    const ws = tempDir();
    await runCli(['next'], { cwd: ws, courseRoot });
    const before = readFileSync(join(ws, PROGRESS_FILE), 'utf8');
    const calls: FakeRunnerCall[] = [];
    const r = await runCli(['verify'], { cwd: join(ws, FIRST), courseRoot, runner: fakeRunner(calls) });
    expect(r.code).toBe(1);
    expect(calls.map((c) => c.phaseId)).toEqual([FIRST]);
    expect(JSON.parse(readFileSync(join(ws, PROGRESS_FILE), 'utf8')).phases[FIRST].attempts).toBe(1);
    const recorded = readFileSync(join(ws, PROGRESS_FILE), 'utf8');
    expect(recorded).not.toBe(before);
    await runCli(['verify', '--dir', '.'], { cwd: ws, courseRoot, runner: fakeRunner(calls) });
    expect(readFileSync(join(ws, PROGRESS_FILE), 'utf8')).toBe(recorded);
    writeFileSync(join(ws, PROGRESS_FILE), '{ broken');
    const graded = await runCli(['verify'], { cwd: ws, courseRoot, runner: fakeRunner(calls) });
    expect(graded.stderr).toMatch(/Note: grading every phase, because the progress file could not be read/);
    expect(graded.code).toBe(1);
  });
});
