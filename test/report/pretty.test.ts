/**
 * The per-check terminal report (one folder): every line of a teaching message indented
 * alike, and one cause shown once: a server that did not start is reported at the top,
 * with the checks it stopped listed as not run.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderPretty } from '../../src/report/pretty.ts';
import type { CheckResult } from '../../src/runner/types.ts';
import { P1, check, phases, report } from './fixtures.ts';

const plain = new Chalk({ level: 0 });

const START_MESSAGE = [
  'Sent:     PORT=3000 npx tsx server.ts',
  'Expected: server.ts to start and accept connections on the port given in PORT',
  'Got:      the process exited with code 1 after 40 ms, before accepting any connection',
  'Where:',
  '  server.ts:3:1  Unexpected end of file',
].join('\n');

function startFailure(id: string): CheckResult {
  return { ...check(P1, id, 'fail', START_MESSAGE), cause: 'server-did-not-start' };
}

describe('renderPretty', () => {
  it('indents every line of a multi-line message alike (a body with a newline included)', () => {
    const message = 'Sent:     curl -i http://localhost:3000/\nExpected: GET /\nGot:      "GET /\\n)"\nUsually:  two lines\n  of advice';
    const text = renderPretty([report('.', [{ phase: P1, targetDir: '/w/01', durationMs: 900, results: [check(P1, 'a1', 'fail', message)] }])], phases, plain);
    const lines = text.split('\n');
    const at = lines.findIndex((line) => line.includes('Sent:'));
    expect(lines.slice(at, at + 5)).toEqual([
      '        Sent:     curl -i http://localhost:3000/',
      '        Expected: GET /',
      '        Got:      "GET /\\n)"',
      '        Usually:  two lines',
      '          of advice',
    ]);
  });

  it('a server that did not start: its message once, at the top, and each check it stopped on one line', () => {
    const results = [startFailure('a1'), startFailure('a2'), startFailure('b1')];
    const text = renderPretty([report('.', [{ phase: P1, targetDir: '/w/01', durationMs: 900, results }])], phases, plain);
    expect(text.split('Sent:').length - 1).toBe(1);
    expect(text).toBe(
      [
        '01-raw-handler · Raw handler',
        '  ✗ Your server did not start, so 3 checks could not run:',
        '      Sent:     PORT=3000 npx tsx server.ts',
        '      Expected: server.ts to start and accept connections on the port given in PORT',
        '      Got:      the process exited with code 1 after 40 ms, before accepting any connection',
        '      Where:',
        '        server.ts:3:1  Unexpected end of file',
        '  Alpha works 0/2',
        '    ✗ The a1 check (not run: the server did not start)',
        '    ✗ The a2 check (not run: the server did not start)',
        '  Beta works 0/1',
        '    ✗ The b1 check (not run: the server did not start)',
        '  0 of 3 checks passed (900 ms)',
        '',
      ].join('\n'),
    );
  });
});
