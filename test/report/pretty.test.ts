/**
 * The per-check terminal report (one folder): every line of a teaching message indented
 * alike, and one cause shown once: a server that did not start is reported at the top,
 * with the checks it stopped listed as not run.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderPretty } from '../../src/report/pretty.ts';
import type { CheckResult } from '../../src/runner/types.ts';
import { makeChalk, stripAnsi } from '../../src/ui/style.ts';
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

/** Messages of the shapes the checks write, one per kind of failure a learner meets. */
const KINDS: Record<string, string> = {
  crash: [
    'Sent:     curl -i http://localhost:3000/hello',
    'Expected: the server to keep running after answering this check, ready for the next request',
    'Got:      every answer this check needed came back right, but then the server process exited with code 1',
    'Usually:  a missing `return` after sending',
    'Server output (last lines):',
    '  | Error [ERR_HTTP_HEADERS_SENT]: Cannot write headers after they are sent to the client',
    '  |     at Server.<anonymous> (/w/01-raw-handler/server.ts:41:7)',
  ].join('\n'),
  timeout: [
    'Sent:     curl -i http://localhost:3000/boom',
    'Expected: status 500',
    'Got:      no response headers within 2000 ms (the connection stayed open, nothing came back)',
    'Usually:  the request hangs: some path through the handler never sends a response',
  ].join('\n'),
  memory: [
    'Sent:     curl -i http://localhost:3000/export',
    'Expected: peak memory of the server to grow by less than 128 MB (50% of the file)',
    'Got:      it grew by 217 MB for a 256 MB file',
    '          server memory (RSS) over the download (6.6 s): ▁▁▁▂▃▃▅▆▇████ 75 MB → 332 MB at its peak (file: 256 MB)',
    'Usually:  the file is held in memory: use pipeline(createReadStream(file), res)',
  ].join('\n'),
  'long header': [
    `Sent:     curl -i -H 'x-long: ${'a'.repeat(200)}' http://localhost:3000/`,
    'Expected: status 431',
    `Got:      status 200, x-echo: ${'a'.repeat(200)}`,
    'Usually:  the header was read whole',
  ].join('\n'),
};

describe('renderPretty, golden output in each mode', () => {
  const results = Object.entries(KINDS).map(([kind, message], i) => ({ ...check(P1, `a${i + 1}`, 'fail', message), title: `the ${kind} check` }));
  const run = { phase: P1, targetDir: '/w/01', durationMs: 900, results };
  const modes = {
    'a terminal with colour': makeChalk({ isTTY: true, write: () => true }, { TERM: 'xterm-256color' }),
    'a terminal with NO_COLOR': makeChalk({ isTTY: true, write: () => true }, { TERM: 'xterm-256color', NO_COLOR: '1' }),
    'no terminal': makeChalk({ isTTY: false, write: () => true }, {}),
  };
  const plainText = renderPretty([report('.', [run])], phases, plain);

  it('every message line sits under its check at the same indentation, whatever the kind', () => {
    for (const [kind, message] of Object.entries(KINDS)) {
      const at = plainText.indexOf(message.split('\n')[0]!);
      expect(at, kind).toBeGreaterThan(0);
      const block = plainText.slice(plainText.lastIndexOf('\n', at) + 1).split('\n').slice(0, message.split('\n').length);
      expect(block, kind).toEqual(message.split('\n').map((line) => `        ${line}`));
    }
  });

  for (const [mode, c] of Object.entries(modes)) {
    it(`${mode}: the same text, in colour only on a terminal that allows it`, () => {
      const text = renderPretty([report('.', [run])], phases, c);
      expect(stripAnsi(text)).toBe(plainText);
      expect(/\u001b\[/.test(text)).toBe(mode === 'a terminal with colour');
    });
  }
});
