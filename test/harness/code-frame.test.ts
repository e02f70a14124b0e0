/**
 * Where a server that would not start went wrong: the first location inside the learner's
 * folder, from esbuild's syntax error or from a stack trace, shown as a short code frame;
 * frames of dependencies and of Node itself folded away.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeFrame, learnerLocation, withoutDependencyFrames } from '../../checks/_harness/code-frame.ts';

const folder = mkdtempSync(path.join(os.tmpdir(), 'lnh-frame-'));
writeFileSync(path.join(folder, 'server.ts'), ['import http from "node:http";', 'const x = 1;', 'server.listen(port, () => {', '  console.log("up");', ');', ''].join('\n'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('learnerLocation', () => {
  it("reads esbuild's error line (columns from 0) and skips locations outside the folder", () => {
    const output = [
      'Error: Transform failed with 1 error:',
      `/elsewhere/node_modules/x.ts:1:0: ERROR: not this one`,
      `${folder}/server.ts:5:0: ERROR: Unexpected ")"`,
      '    at failureErrorWithLog (/pkg/node_modules/esbuild/lib/main.js:1752:15)',
    ].join('\n');
    expect(learnerLocation(output, folder)).toEqual({ file: 'server.ts', line: 5, column: 1, problem: 'Unexpected ")"' });
  });

  it('takes the first stack frame in the folder (file: URLs too), not a frame of node_modules', () => {
    const output = ['SyntaxError: bad', '    at JSON.parse (<anonymous>)', `    at /pkg/node_modules/tsx/dist/a.js:1:1`, `    at <anonymous> (file://${folder}/server.ts:2:11)`].join('\n');
    expect(learnerLocation(output, folder)).toEqual({ file: 'server.ts', line: 2, column: 11 });
  });

  it('nothing in the folder: no location', () => {
    expect(learnerLocation('Error: listen EADDRINUSE\n    at Server.listen (node:net:1:1)', folder)).toBeUndefined();
  });
});

describe('codeFrame', () => {
  it('the line, two around it, and a caret under the column', () => {
    expect(codeFrame({ file: 'server.ts', line: 5, column: 1, problem: 'Unexpected ")"' }, folder)).toBe(
      ['server.ts:5:1  Unexpected ")"', '  3 | server.listen(port, () => {', '  4 |   console.log("up");', '> 5 | );', '    | ^', '  6 | '].join('\n'),
    );
  });

  it('an unreadable file gives no frame', () => {
    expect(codeFrame({ file: 'missing.ts', line: 1, column: 1 }, folder)).toBeUndefined();
  });
});

describe('withoutDependencyFrames', () => {
  it("folds each run of node_modules and Node-internal frames into one line, keeping the learner's", () => {
    const output = ['Error: boom', '    at main (/w/server.ts:3:9)', '    at a (/pkg/node_modules/tsx/x.js:1:1)', '    at b (node:internal/modules/run_main:1:1)', 'Node.js v20.20.2'].join('\n');
    expect(withoutDependencyFrames(output)).toBe(['Error: boom', '    at main (/w/server.ts:3:9)', '    … 2 frames inside node_modules or Node itself', 'Node.js v20.20.2'].join('\n'));
  });
});

describe('codeFrame at the end of the file', () => {
  it('says the cause is further up, where something was opened and never closed', () => {
    expect(codeFrame({ file: 'server.ts', line: 6, column: 1, problem: 'Unexpected end of file' }, folder)).toMatch(/opened earlier and never closed/);
  });
});
