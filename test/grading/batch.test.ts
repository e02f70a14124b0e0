/**
 * Batch grading's own rules, with a fake grader (no processes): the canary gates the batch,
 * an infrastructure error is retried exactly once, a submission stopped by its budget keeps
 * what finished and fails the rest by name, missing phase folders are not submitted, and no
 * more than `jobs` submissions are graded at once.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/course/load.ts';
import { readFileSync } from 'node:fs';
import { CanaryFailure, expectedCanaryMs, gradeBatch, slowCanaryWarning, type BatchEvent } from '../../src/grading/batch.ts';
import { scoreSubmission } from '../../src/report/score.ts';
import type { GradeOutcome, SubmissionJob } from '../../src/grading/types.ts';
import type { CheckResult, PhaseRun } from '../../src/runner/types.ts';
import { FIRST, fixtureCourse, removeTempDirs, SECOND, tempDir, writeFiles } from '../cli/helpers.ts';

afterAll(removeTempDirs);

const courseRoot = fixtureCourse();
const phases = loadCourse(courseRoot);

function check(phase: string, id: string, status: CheckResult['status']): CheckResult {
  return { phase, id, group: 'alpha', title: `check ${id}`, status, message: status === 'pass' ? '' : `${id} went wrong`, durationMs: 1, file: '' };
}

function runOf(job: SubmissionJob, statuses: Record<string, CheckResult['status']>): PhaseRun[] {
  return job.phases.map((p) => ({ phase: p.phaseId, targetDir: p.targetDir, durationMs: 1, results: Object.entries(statuses).map(([id, s]) => check(p.phaseId, id, s)) }));
}

function classOf(...names: string[]): Array<{ dir: string; label: string }> {
  const top = tempDir();
  for (const name of names) writeFiles(join(top, name), { [`${FIRST}/server.ts`]: '', [`${SECOND}/server.ts`]: '' });
  return names.map((name) => ({ dir: join(top, name), label: name }));
}

describe('gradeBatch', () => {
  it('stops before grading anyone when the reference solution fails, and says the machine is at fault', async () => {
    const graded: string[] = [];
    const batch = gradeBatch({
      submissions: classOf('alice'),
      phases,
      jobs: 2,
      budgetMs: 1000,
      canary: true,
      grade: async (job) => {
        graded.push(job.label);
        return { runs: runOf(job, { a: 'pass', b: 'error' }) };
      },
    });
    await expect(batch).rejects.toBeInstanceOf(CanaryFailure);
    await expect(batch).rejects.toThrow(/machine or the install is broken, not the students/);
    // Like any submission it gets one retry for an infrastructure error; then no one is graded.
    expect(graded).toEqual(['reference solution', 'reference solution']);
  });

  it('grades the canary from the solutions folder, then every submission', async () => {
    const seen: string[][] = [];
    const reports = await gradeBatch({
      submissions: classOf('alice', 'bob'),
      phases,
      jobs: 1,
      budgetMs: 1000,
      canary: true,
      grade: async (job) => {
        seen.push(job.phases.map((p) => p.targetDir));
        return { runs: runOf(job, { a: 'pass', b: 'pass' }) };
      },
    });
    expect(seen[0]).toEqual(phases.map((p) => p.paths.solutionDir));
    expect(reports.map((r) => r.label)).toEqual(['alice', 'bob']);
    expect(reports.every((r) => r.attempts === undefined && r.stoppedReason === undefined)).toBe(true);
  });

  it('retries a submission once after an infrastructure error and reports the second attempt', async () => {
    const attempts = new Map<string, number>();
    const events: BatchEvent[] = [];
    const reports = await gradeBatch({
      submissions: classOf('flaky', 'broken', 'fine'),
      phases,
      jobs: 2,
      budgetMs: 1000,
      canary: false,
      onEvent: (e) => events.push(e),
      grade: async (job) => {
        const n = (attempts.get(job.label) ?? 0) + 1;
        attempts.set(job.label, n);
        if (job.label === 'fine') return { runs: runOf(job, { a: 'pass', b: 'fail' }) };
        if (job.label === 'flaky' && n === 2) return { runs: runOf(job, { a: 'pass', b: 'pass' }) };
        return { runs: runOf(job, { a: 'pass', b: 'error' }) };
      },
    });
    expect(Object.fromEntries(attempts)).toEqual({ flaky: 2, broken: 2, fine: 1 });
    const byLabel = Object.fromEntries(reports.map((r) => [r.label, r]));
    expect(byLabel['flaky']!.attempts).toBe(2);
    expect(byLabel['flaky']!.runs.flatMap((r) => r.results).every((r) => r.status === 'pass')).toBe(true);
    expect(byLabel['broken']!.runs.flatMap((r) => r.results).some((r) => r.status === 'error')).toBe(true);
    // A learner's failure is not an infrastructure error: never retried.
    expect(byLabel['fine']!.attempts).toBeUndefined();
    expect(events.filter((e) => e.type === 'retrying').map((e) => (e as { label: string }).label).sort()).toEqual(['broken', 'flaky']);
  });

  it('keeps what finished before the budget ran out and fails every other check of the reference by name', async () => {
    const [alice] = classOf('alice');
    const reports = await gradeBatch({
      submissions: [alice!],
      phases,
      jobs: 1,
      budgetMs: 1000,
      canary: true,
      grade: async (job): Promise<GradeOutcome> => {
        if (job.label === 'reference solution') return { runs: runOf(job, { a: 'pass', b: 'pass', c: 'pass' }) };
        return { runs: job.phases.map((p) => ({ phase: p.phaseId, targetDir: p.targetDir, durationMs: 1000, results: [check(p.phaseId, 'b', 'pass')] })), stoppedReason: 'its time budget of 1 s ran out' };
      },
    });
    const [report] = reports;
    expect(report!.stoppedReason).toMatch(/budget/);
    const first = report!.runs[0]!.results;
    expect(first.map((r) => `${r.id}:${r.status}`)).toEqual(['a:fail', 'b:pass', 'c:fail']);
    expect(first[0]!.message).toMatch(/stopped because its time budget of 1 s ran out.*verify 01-first-steps/s);
    // Stopped is the submission's doing, not the grader's: no retry.
    expect(report!.attempts).toBeUndefined();
  });

  it('reports a missing phase folder as not submitted without starting a grader for it', async () => {
    const top = tempDir();
    writeFiles(join(top, 'half'), { [`${FIRST}/server.ts`]: '' });
    writeFiles(join(top, 'none'), { 'README.md': 'junk' });
    const graded: string[][] = [];
    const reports = await gradeBatch({
      submissions: [
        { dir: join(top, 'half'), label: 'half' },
        { dir: join(top, 'none'), label: 'none' },
      ],
      phases,
      jobs: 2,
      budgetMs: 1000,
      canary: false,
      grade: async (job) => {
        graded.push(job.phases.map((p) => p.phaseId));
        return { runs: runOf(job, { a: 'pass' }) };
      },
    });
    expect(graded).toEqual([[FIRST]]);
    expect(reports[0]!.runs.map((r) => Boolean(r.notSubmitted))).toEqual([false, true]);
    expect(reports[1]!.runs.every((r) => r.notSubmitted)).toBe(true);
  });

  it('never grades more than `jobs` submissions at once', async () => {
    let running = 0;
    let peak = 0;
    await gradeBatch({
      submissions: classOf('a', 'b', 'c', 'd', 'e'),
      phases,
      jobs: 2,
      budgetMs: 1000,
      canary: false,
      grade: async (job) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        return { runs: runOf(job, { a: 'pass' }) };
      },
    });
    expect(peak).toBe(2);
  });

  it('starts nothing new once aborted', async () => {
    const controller = new AbortController();
    const graded: string[] = [];
    await gradeBatch({
      submissions: classOf('a', 'b', 'c'),
      phases,
      jobs: 1,
      budgetMs: 1000,
      canary: false,
      signal: controller.signal,
      grade: async (job) => {
        graded.push(job.label);
        controller.abort();
        return { runs: runOf(job, { a: 'error' }) };
      },
    });
    // Aborted: no second attempt, no next submission.
    expect(graded).toEqual(['a']);
  });

  it('Ctrl-C during the canary grades no one and does not blame the machine', async () => {
    const controller = new AbortController();
    const graded: string[] = [];
    const reports = await gradeBatch({
      submissions: classOf('a', 'b'),
      phases,
      jobs: 1,
      budgetMs: 1000,
      canary: true,
      signal: controller.signal,
      grade: async (job) => {
        graded.push(job.label);
        controller.abort();
        // What the grader returns when it is interrupted: an error for every phase.
        return { runs: runOf(job, { a: 'error' }), stoppedReason: 'grading was interrupted', graderFailed: true };
      },
    });
    expect(reports).toEqual([]);
    expect(graded).toEqual(['reference solution']);
  });

  it('a missing phase counts every check the canary ran for it; an unchanged starter scores 0 with its state', async () => {
    const top = tempDir();
    // "starter" has phase 1 exactly as the course hands it out (CRLF line ends: a Windows checkout).
    const starter = Object.fromEntries(
      ['server.ts', 'data/sample.json'].map((name) => [`${FIRST}/${name}`, readFileSync(join(courseRoot, 'phases', FIRST, 'starter', name), 'utf8').replace(/\n/g, '\r\n')]),
    );
    writeFiles(join(top, 'starter'), starter);
    writeFiles(join(top, 'edited'), { ...starter, [`${FIRST}/server.ts`]: `${starter[`${FIRST}/server.ts`]}// one line of mine\n` });
    const events: BatchEvent[] = [];
    const reports = await gradeBatch({
      submissions: [
        { dir: join(top, 'starter'), label: 'starter' },
        { dir: join(top, 'edited'), label: 'edited' },
      ],
      phases,
      jobs: 1,
      budgetMs: 1000,
      canary: true,
      onEvent: (e) => events.push(e),
      // The starter passes check a on its own; b and c need the learner's work.
      grade: async (job) => ({ runs: runOf(job, job.label === 'reference solution' ? { a: 'pass', b: 'pass', c: 'pass' } : { a: 'pass', b: 'fail', c: 'fail' }) }),
    });
    const [untouched, edited] = reports.map((r) => scoreSubmission(r));
    expect(untouched).toMatchObject({ passed: 0, total: 6, untouched: [FIRST], notSubmitted: [SECOND], empty: false });
    expect(untouched!.phases.map((p) => [p.state, `${p.passed}/${p.total}`])).toEqual([
      ['untouched starter', '0/3'],
      ['not submitted', '0/3'],
    ]);
    const credited = reports[0]!.runs[0]!.results.find((r) => r.id === 'a')!;
    expect(credited).toMatchObject({ status: 'fail' });
    expect(credited.message).toMatch(/Not credited: the starter files of 01-first-steps\/ .* are exactly as the course handed them out/);
    expect(edited).toMatchObject({ passed: 1, total: 6, untouched: [] });
    // The missing phase lists the canary's checks by name.
    expect(reports[1]!.runs[1]!.results.map((r) => `${r.id}:${r.status}`)).toEqual(['a:fail', 'b:fail', 'c:fail']);
    const canary = events.find((e) => e.type === 'canary-done');
    expect(canary).toMatchObject({ expectedMs: expectedCanaryMs(phases.length) });
  });

  it('a canary far slower than on a quiet machine is a warning with the figures', () => {
    expect(expectedCanaryMs(7)).toBe(16_100);
    expect(slowCanaryWarning(20_000, 16_100)).toBeNull();
    expect(slowCanaryWarning(99_900, 16_100)).toMatch(/^Warning: the canary took 99\.9 s, 6\.2× the 16\.1 s it takes on a quiet machine: this machine is busy or slow right now\./);
  });
});
