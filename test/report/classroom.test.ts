/**
 * The GitHub Classroom reporter: scores that add up (full, partial, not submitted, skipped,
 * error), the shape the grading-reporter action reads, and a size that fits in the one
 * environment variable the action receives it through.
 */
import { describe, expect, it } from 'vitest';
import { PHASE_POINTS, renderClassroom, splitPoints, toClassroom, type ClassroomResults } from '../../src/report/classroom.ts';
import { render } from '../../src/report/index.ts';
import { Chalk } from 'chalk';
import { P1, P2, check, missing, phases, report, run, suite } from './fixtures.ts';

/** Scores are whole hundredths: add them as integers so the check is exact. */
const hundredths = (scores: readonly number[]): number => scores.reduce((sum, s) => sum + Math.round(s * 100), 0);
const isHundredths = (s: number): boolean => Math.abs(s * 100 - Math.round(s * 100)) < 1e-9;

/** What classroom-resources/autograding-grading-reporter does with one runner's step output. */
function asTheActionReadsIt(text: string, runnerId: string): { points: number; max: number; status: string } {
  const env: Record<string, string> = { [`${runnerId.trim().toUpperCase()}_RESULTS`]: Buffer.from(text).toString('base64') };
  const json = Buffer.from(env[`${runnerId.trim().toUpperCase()}_RESULTS`]!, 'base64').toString('utf-8');
  const results = JSON.parse(json) as ClassroomResults;
  return { points: results.tests.reduce((acc, { score }) => acc + score, 0), max: results.max_score, status: results.status };
}

describe('splitPoints', () => {
  it('splits 10 points into whole hundredths that add up to exactly 10', () => {
    expect(splitPoints(3)).toEqual([3.34, 3.33, 3.33]);
    expect(splitPoints(1)).toEqual([10]);
    for (let n = 1; n <= 60; n++) {
      const shares = splitPoints(n);
      expect(shares).toHaveLength(n);
      expect(shares.every(isHundredths), `n=${n}`).toBe(true);
      expect(hundredths(shares), `n=${n}`).toBe(PHASE_POINTS * 100);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(0.0100001);
    }
  });
});

describe('toClassroom', () => {
  it('a fully passing phase is worth exactly 10, and max_score is 10 per phase', () => {
    const r = toClassroom(report('alice', [run(P1, ['pass', 'pass', 'pass']), run(P2, Array(9).fill('pass'))]), phases, suite);
    expect(r).toMatchObject({ version: 1, status: 'pass', max_score: 20, dir: 'alice', suite });
    expect(hundredths(r.tests.slice(0, 3).map((t) => t.score))).toBe(1000);
    expect(hundredths(r.tests.slice(3).map((t) => t.score))).toBe(1000);
    for (const t of r.tests) {
      expect(typeof t.score).toBe('number');
      expect(t).toMatchObject({ status: 'pass', message: '', test_code: '', line_no: 0 });
      expect(Object.keys(t).sort()).toEqual(['execution_time', 'filename', 'line_no', 'message', 'name', 'score', 'status', 'test_code']);
    }
    expect(r.tests[0]).toMatchObject({ name: '01 · The a1 check', filename: `checks/${P1}/a1.check.ts`, execution_time: '0.12s' });
  });

  it('partial credit: a failing check scores 0 and the others keep their share', () => {
    const r = toClassroom(report('bob', [run(P1, ['fail', 'pass', 'pass'])]), phases, suite);
    expect(r.status).toBe('fail');
    expect(r.max_score).toBe(10);
    expect(r.tests.map((t) => t.score)).toEqual([0, 3.33, 3.33]);
    expect(r.tests[0]!.test_code).toContain('Expected: 200');
    expect(r.tests[0]!.message).toContain('curl -sS http://127.0.0.1:4000/a1');
  });

  it('a phase not submitted is one failing test scored 0 that still counts 10 towards max_score', () => {
    const r = toClassroom(report('carol', [run(P1, ['pass', 'pass']), missing(P2)]), phases, suite);
    expect(r.max_score).toBe(20);
    expect(r.status).toBe('fail');
    expect(r.tests).toHaveLength(3);
    expect(r.tests[2]).toMatchObject({ status: 'fail', score: 0 });
    expect(r.tests[2]!.message).toMatch(/Not submitted/);
    expect(hundredths(r.tests.map((t) => t.score))).toBe(1000);
  });

  it('skipped checks are left out: the phase is split over the checks that ran', () => {
    const r = toClassroom(report('dan', [run(P1, ['pass', 'skip', 'pass', 'pass'])]), phases, suite);
    expect(r.tests).toHaveLength(3);
    expect(r.tests.map((t) => t.score)).toEqual([3.34, 3.33, 3.33]);
    expect(r.status).toBe('pass');
  });

  it('a check that could not run is an error scored 0, and the whole result is an error', () => {
    const r = toClassroom(report('erin', [run(P1, ['pass', 'error']), run(P2, ['fail'])]), phases, suite);
    expect(r.status).toBe('error');
    expect(r.tests[1]).toMatchObject({ status: 'error', score: 0, test_code: '' });
    expect(r.tests.map((t) => t.score)).toEqual([5, 0, 0]);
  });

  it('a phase whose every check was skipped cannot be graded: an error, 0 points, still 10 in max_score', () => {
    const r = toClassroom(report('finn', [run(P1, ['skip', 'skip'])]), phases, suite);
    expect(r).toMatchObject({ status: 'error', max_score: 10 });
    expect(r.tests).toEqual([expect.objectContaining({ status: 'error', score: 0, name: '01 · Raw handler: no check could be scored' })]);
  });

  it('says when a submission was graded twice or stopped early', () => {
    const r = toClassroom(report('gus', [run(P1, ['pass'])], { attempts: 2, stoppedReason: 'its time budget of 90 s ran out' }), phases, suite);
    expect(r.attempts).toBe(2);
    expect(r.stopped).toBe('its time budget of 90 s ran out');
    expect(r.message).toMatch(/graded 2 times/);
    expect(r.message).toMatch(/stopped early \(its time budget of 90 s ran out\)/);
    expect(toClassroom(report('hal', [run(P1, ['pass'])]), phases, suite)).not.toHaveProperty('attempts');
  });

  it('shortens long messages so the base64 text fits in one environment variable (Linux: 128 KiB)', () => {
    const huge = 'x'.repeat(5000);
    const many = { phase: P1, targetDir: '/g/x', durationMs: 1, results: Array.from({ length: 150 }, (_, i) => check(P1, `a${i}`, 'fail', huge)) };
    const text = renderClassroom([report('ivy', [many])], phases, suite);
    expect(Buffer.from(text.trimEnd()).toString('base64').length + 'LEARN-NODE-HTTP_RESULTS='.length).toBeLessThan(128 * 1024);
    const r = JSON.parse(text) as ClassroomResults;
    expect(r.tests).toHaveLength(150);
    expect(r.tests[0]!.message).toMatch(/shortened; `npx learn-node-http verify 01` shows all of it/);
    // A short message is left whole.
    expect(toClassroom(report('jo', [run(P1, ['fail'])]), phases, suite).tests[0]!.message).not.toMatch(/shortened/);
  });
});

describe('renderClassroom', () => {
  it('one folder: the object the action decodes; its points and maximum are what we scored', () => {
    const text = render('classroom', [report('alice', [run(P1, ['pass', 'fail', 'pass']), missing(P2)])], phases, [P1, P2], new Chalk({ level: 0 }), { suite });
    expect(text.endsWith('\n')).toBe(true);
    const seen = asTheActionReadsIt(text, 'learn-node-http');
    expect(seen.max).toBe(20);
    expect(Math.round(seen.points * 100)).toBe(667);
    expect(seen.status).toBe('fail');
  });

  it('several folders: an array, one object per folder with its dir', () => {
    const parsed = JSON.parse(renderClassroom([report('a', [run(P1, ['pass'])]), report('b', [missing(P1)])], phases, suite)) as ClassroomResults[];
    expect(parsed.map((r) => [r.dir, r.status, r.max_score])).toEqual([
      ['a', 'pass', 10],
      ['b', 'fail', 10],
    ]);
  });

  it('carries the suite of the installed package when none is given', () => {
    const r = JSON.parse(renderClassroom([report('a', [run(P1, ['pass'])])], phases)) as ClassroomResults;
    expect(r.suite.name).toBe('learn-node-http');
    expect(r.suite.checksSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
