/**
 * The batch views: the terminal table (one row per submission, aligned, coloured by
 * score, notes for what needs a second look) that `pretty` prints for several folders,
 * and the CSV status column.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/report/csv.ts';
import { DETAILS_HINT, render } from '../../src/report/index.ts';
import { renderPretty } from '../../src/report/pretty.ts';
import { renderSummaryTable } from '../../src/report/summary.ts';
import { stripAnsi } from '../../src/ui/style.ts';
import { P1, P2, missing, phases, report, run } from './fixtures.ts';

const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });

const klass = [
  report('submissions/alice', [run(P1, ['pass', 'pass', 'pass']), run(P2, ['pass', 'pass'])]),
  report('submissions/bob', [run(P1, ['pass', 'fail', 'pass']), missing(P2)], { attempts: 2 }),
  report('submissions/carol', [run(P1, ['fail', 'fail', 'fail']), run(P2, ['error', 'error'])], { stoppedReason: 'time budget (60 s) ran out' }),
  report('submissions/dan', [run(P1, ['pass', 'pass', 'error']), run(P2, ['pass', 'skip', 'pass'])], { attempts: 3 }),
];

describe('renderSummaryTable', () => {
  it('one aligned row per submission: passed/total per phase (0/N when not submitted, said in the notes), a total and notes', () => {
    const lines = renderSummaryTable(klass, [P1, P2], plain).split('\n');
    expect(lines).toEqual([
      'submission          01   02  total  notes',
      'submissions/alice  3/3  2/2    5/5',
      'submissions/bob    2/3  0/2    2/5  not submitted: 02; retried once',
      'submissions/carol  0/3  0/2    0/5  stopped: time budget (60 s) ran out; 2 could not run',
      'submissions/dan    2/3  2/2    4/5  1 could not run; retried twice',
      '',
      '4 submissions, 1 with full marks, 3 to look at again (see notes), 11/20 checks passed.',
      '',
    ]);
  });

  it('colours full marks green, zero red and partial yellow, without breaking the alignment', () => {
    const text = renderSummaryTable(klass, [P1, P2], colour);
    expect(stripAnsi(text)).toBe(renderSummaryTable(klass, [P1, P2], plain));
    const rows = text.split('\n');
    expect(rows[1]).toContain(colour.green('3/3'));
    expect(rows[2]).toContain(colour.yellow('2/3'));
    expect(rows[2]).toContain(colour.dim('0/2'));
    expect(rows[3]).toContain(colour.red('0/3'));
  });
});

describe('render pretty', () => {
  it('several folders: the table and how to get the details, not every check', () => {
    const text = stripAnsi(render('pretty', klass, phases, [P1, P2], colour));
    expect(text).toContain('submissions/carol  0/3');
    expect(text).toContain(DETAILS_HINT);
    expect(text).toContain('--reporter json --out results/');
    expect(text).not.toContain('The a1 check');
  });

  it('one folder: exactly the per-check report it always was', () => {
    const one = [klass[1]!];
    expect(render('pretty', one, phases, [P1, P2], colour)).toBe(renderPretty(one, phases, colour));
    expect(render('pretty', one, phases, [P1, P2], plain)).toContain('✗ The a2 check');
  });
});

describe('csv status column', () => {
  it('comes last, after the unchanged columns: ok, retried, stopped: …, could not run: N checks', () => {
    expect(renderCsv(klass, [P1, P2]).split('\r\n')).toEqual([
      `dir,${P1},${P2},total,status`,
      'submissions/alice,3/3,2/2,5/5,ok',
      'submissions/bob,2/3,0/2,2/5,not submitted: 02; retried',
      'submissions/carol,0/3,0/2,0/5,stopped: time budget (60 s) ran out; could not run: 2 checks',
      'submissions/dan,2/3,2/2,4/5,could not run: 1 check; retried',
      '',
    ]);
  });

  it('quotes a status that needs it', () => {
    const csv = renderCsv([report('x', [run(P1, ['pass'])], { stoppedReason: 'worker died, signal "SIGKILL"' })], [P1]);
    expect(csv).toBe(`dir,${P1},total,status\r\nx,1/1,1/1,"stopped: worker died, signal ""SIGKILL"""\r\n`);
  });
});
