/**
 * The GitHub Classroom reporter: one point per check (the score model, score.ts), so the
 * points are whole numbers that add up to max_score for full marks, the action's own log
 * shows the recorded points, and a missing phase, an unchanged starter, a skipped or an
 * errored check all count the same way as in every other report. Checked by feeding each
 * result to a reimplementation of the released reporter action (grading-reporter.ts), under
 * the variable name the COURSE.md workflow uses.
 */
import { describe, expect, it } from 'vitest';
import { classroomFilesPerSubmission, renderClassroom, toClassroom, type ClassroomResults } from '../../src/report/classroom.ts';
import { renderCsv } from '../../src/report/csv.ts';
import { render } from '../../src/report/index.ts';
import { scoreSubmission } from '../../src/report/score.ts';
import { Chalk } from 'chalk';
import { P1, P2, check, missing, phases, report, run, suite } from './fixtures.ts';
import { encodeForReporter, runGradingReporter } from './grading-reporter.ts';

/** As the COURSE.md workflow hands it over: runners `learn-node-http`, env LEARN-NODE-HTTP_RESULTS. */
const asTheActionReadsIt = (text: string) => runGradingReporter('learn-node-http', { 'LEARN-NODE-HTTP_RESULTS': encodeForReporter(text.trimEnd()) });

describe('toClassroom', () => {
  it('full marks: one point per check, exactly max_score, and the log says the same', () => {
    const r = toClassroom(report('alice', [run(P1, ['pass', 'pass', 'pass']), run(P2, Array(9).fill('pass'))]), phases, suite);
    expect(r).toMatchObject({ version: 1, status: 'pass', max_score: 12, dir: 'alice', suite });
    expect(r.tests.map((t) => t.score)).toEqual(Array(12).fill(1));
    for (const t of r.tests) {
      expect(t).toMatchObject({ status: 'pass', message: '', test_code: '', line_no: 0 });
      expect(Object.keys(t).sort()).toEqual(['execution_time', 'filename', 'line_no', 'message', 'name', 'score', 'status', 'test_code']);
    }
    expect(r.tests[0]).toMatchObject({ name: '01 · The a1 check', filename: `checks/${P1}/a1.check.ts`, execution_time: '0.12s' });
    const seen = asTheActionReadsIt(JSON.stringify(r));
    expect(seen.recorded).toBe('Points 12/12');
    expect(seen.log).toEqual(['Total points for learn-node-http: 12.00/12']);
    expect(seen.failed).toBeUndefined();
  });

  it('full marks on a whole course of 91 checks reach Classroom as exactly 91/91', () => {
    const counts = [8, 15, 11, 12, 11, 24, 10];
    const runs = counts.map((n, i) => ({ ...run(P1, Array(n).fill('pass')), phase: `0${i + 1}-x` }));
    const seen = asTheActionReadsIt(JSON.stringify(toClassroom(report('zoe', runs), phases, suite)));
    expect(seen.recorded).toBe('Points 91/91');
    expect(seen.log).toEqual(['Total points for learn-node-http: 91.00/91']);
  });

  it('partial credit: the recorded points, the log and the CSV total are the same number', () => {
    const dave = report('dave', [run(P1, ['fail', 'pass', 'pass']), run(P2, ['pass', 'error', 'skip', 'fail'])]);
    const r = toClassroom(dave, phases, suite);
    expect(r.status).toBe('error');
    expect(r.tests.map((t) => t.score)).toEqual([0, 1, 1, 1, 0, 0]);
    expect(r.tests[0]!.test_code).toContain('Expected: 200');
    expect(r.tests[0]!.message).toContain('curl -sS http://127.0.0.1:4000/a1');
    const seen = asTheActionReadsIt(JSON.stringify(r));
    expect(seen.recorded).toBe('Points 3/6');
    expect(seen.log).toEqual(['Total points for learn-node-http: 3.00/6']);
    expect(renderCsv([dave], [P1, P2]).split('\r\n')[1]).toBe('dave,2/3,1/3,3/6,could not run: 1 check');
    expect(scoreSubmission(dave)).toMatchObject({ passed: 3, total: 6 });
  });

  it('a phase not submitted lists each of its checks, failed, so it counts all of them', () => {
    const r = toClassroom(report('carol', [run(P1, ['pass', 'pass']), missing(P2, '/grading/x', ['a1', 'a2', 'a3'])]), phases, suite);
    expect(r.max_score).toBe(5);
    expect(r.status).toBe('fail');
    expect(r.tests.slice(2).map((t) => [t.status, t.score])).toEqual([
      ['fail', 0],
      ['fail', 0],
      ['fail', 0],
    ]);
    expect(r.tests[2]!.message).toMatch(/Not submitted/);
    expect(r.message).toBe('Not submitted: 02.');
    expect(asTheActionReadsIt(JSON.stringify(r)).recorded).toBe('Points 2/5');
  });

  it('skipped checks are left out of the tests and of max_score', () => {
    const r = toClassroom(report('dan', [run(P1, ['pass', 'skip', 'pass', 'pass'])]), phases, suite);
    expect(r.tests).toHaveLength(3);
    expect(r).toMatchObject({ status: 'pass', max_score: 3 });
  });

  it('a phase whose every check was skipped cannot be graded: status error, no points, the reason in the message', () => {
    const r = toClassroom(report('finn', [run(P1, ['skip', 'skip']), run(P2, ['pass'])]), phases, suite);
    expect(r).toMatchObject({ status: 'error', max_score: 1 });
    expect(r.tests).toHaveLength(1);
    expect(r.message).toMatch(/None of the checks of 01-raw-handler \(Raw handler\) ran on this machine/);
    expect(asTheActionReadsIt(JSON.stringify(r)).recorded).toBe('Points 1/1');
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
    expect(toClassroom(report('jo', [run(P1, ['fail'])]), phases, suite).tests[0]!.message).not.toMatch(/shortened/);
  });
});

describe('renderClassroom and one file per submission', () => {
  it('one folder: the object the action decodes; its points and maximum are what we scored', () => {
    const text = render('classroom', [report('alice', [run(P1, ['pass', 'fail', 'pass']), missing(P2)])], phases, [P1, P2], new Chalk({ level: 0 }), { suite });
    expect(text.endsWith('\n')).toBe(true);
    const seen = asTheActionReadsIt(text);
    expect(seen).toMatchObject({ recorded: 'Points 2/5', totalPoints: 2, maxPoints: 5, failed: 'Some tests failed.' });
    expect(seen.log).toEqual(['Total points for learn-node-http: 2.00/5']);
  });

  it('several folders: one file each, every one accepted by the action; an array would be rejected', () => {
    const reports = [report('submissions/a', [run(P1, ['pass'])]), report('submissions/b', [missing(P1)])];
    const files = classroomFilesPerSubmission(reports, phases, suite);
    expect(files.map((f) => f.fileName)).toEqual(['a.classroom.json', 'b.classroom.json']);
    expect(files.map((f) => asTheActionReadsIt(f.text).recorded)).toEqual(['Points 1/1', 'Points 0/2']);
    expect(files.map((f) => (JSON.parse(f.text) as ClassroomResults).dir)).toEqual(['submissions/a', 'submissions/b']);
    // Why never an array: the action reads results.tests of what it decodes, and fails.
    const array = `[${files.map((f) => f.text.trim()).join(',')}]`;
    expect(asTheActionReadsIt(array)).toMatchObject({ failed: 'The runners input must be a comma-separated list of strings.' });
    expect(() => renderClassroom(reports, phases, suite)).toThrow(/one folder/);
  });

  it('carries the suite of the installed package when none is given', () => {
    const r = JSON.parse(renderClassroom([report('a', [run(P1, ['pass'])])], phases)) as ClassroomResults;
    expect(r.suite.name).toBe('learn-node-http');
    expect(r.suite.checksSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
