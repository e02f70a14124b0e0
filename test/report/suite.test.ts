/**
 * Suite identity: the hash that says which checks produced a grade changes when any check,
 * harness file or phase.json changes (renames too), and is computed once per process.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toExercism, renderJson } from '../../src/report/json.ts';
import { computeSuiteInfo, suiteFiles, suiteInfo } from '../../src/report/suite.ts';
import { P1, phases, report, run } from './fixtures.ts';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A tiny package root: package.json, a harness file, two checks, a phase.json, and files that do not count. */
function fakePackage(overrides: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'lnh-suite-'));
  made.push(root);
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'learn-node-http', version: '1.2.3' }),
    'checks/_client/http.ts': 'export const deadlineMs = 2000;\n',
    'checks/01-raw-handler/status.check.ts': "it('answers 200', () => {});\n",
    'checks/01-raw-handler/path.check.ts': "it('ignores the query', () => {});\n",
    'phases/01-raw-handler/phase.json': '{"id":"01-raw-handler"}\n',
    'phases/01-raw-handler/LESSON.md': '# Not part of the hash\n',
    'solutions/01-raw-handler/server.ts': '// not part of the hash\n',
    ...overrides,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe('suite identity', () => {
  it('covers checks/** (harness included) and phases/*/phase.json, in sorted order', () => {
    expect(suiteFiles(fakePackage())).toEqual([
      'checks/01-raw-handler/path.check.ts',
      'checks/01-raw-handler/status.check.ts',
      'checks/_client/http.ts',
      'phases/01-raw-handler/phase.json',
    ]);
    const info = computeSuiteInfo(fakePackage());
    expect(info).toEqual({ name: 'learn-node-http', version: '1.2.3', checksSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('is the same for identical copies and changes when a check, the harness, a phase.json or a file name changes', () => {
    const base = computeSuiteInfo(fakePackage()).checksSha256;
    expect(computeSuiteInfo(fakePackage()).checksSha256).toBe(base);
    // Files outside the suite do not count.
    expect(computeSuiteInfo(fakePackage({ 'phases/01-raw-handler/LESSON.md': '# edited\n', 'solutions/01-raw-handler/server.ts': '// edited\n' })).checksSha256).toBe(base);
    const changed: Array<Record<string, string>> = [
      { 'checks/01-raw-handler/status.check.ts': "it('answers 201', () => {});\n" },
      { 'checks/_client/http.ts': 'export const deadlineMs = 5000;\n' },
      { 'phases/01-raw-handler/phase.json': '{"id":"01-raw-handler","groups":[]}\n' },
      { 'checks/01-raw-handler/extra.check.ts': '' },
    ];
    const hashes = changed.map((o) => computeSuiteInfo(fakePackage(o)).checksSha256);
    for (const h of hashes) expect(h).not.toBe(base);
    expect(new Set(hashes).size).toBe(hashes.length);

    const renamed = fakePackage();
    renameSync(join(renamed, 'checks/01-raw-handler/path.check.ts'), join(renamed, 'checks/01-raw-handler/query.check.ts'));
    expect(computeSuiteInfo(renamed).checksSha256).not.toBe(base);
  });

  it('moving bytes from one file to the next changes the hash (sizes are part of it)', () => {
    const a = fakePackage({ 'checks/01-raw-handler/path.check.ts': 'ab', 'checks/01-raw-handler/status.check.ts': 'c' });
    const b = fakePackage({ 'checks/01-raw-handler/path.check.ts': 'a', 'checks/01-raw-handler/status.check.ts': 'bc' });
    expect(computeSuiteInfo(a).checksSha256).not.toBe(computeSuiteInfo(b).checksSha256);
  });

  it('is computed once per process: later edits do not change what suiteInfo returns', () => {
    const root = fakePackage();
    const first = suiteInfo(root);
    writeFileSync(join(root, 'checks/_client/http.ts'), 'export const deadlineMs = 1;\n');
    expect(suiteInfo(root)).toBe(first);
    expect(computeSuiteInfo(root).checksSha256).not.toBe(first.checksSha256);
  });

  it('every Exercism results object carries it', () => {
    const root = fakePackage();
    const info = suiteInfo(root);
    expect(toExercism(report('alice', [run(P1, ['pass'])]), phases, info).suite).toEqual(info);
    const both = JSON.parse(renderJson([report('a', [run(P1, ['pass'])]), report('b', [run(P1, ['fail'])])], phases, info)) as Array<{ suite: unknown }>;
    expect(both.map((o) => o.suite)).toEqual([info, info]);
    // Without a suite given, the installed package's own.
    const own = toExercism(report('alice', [run(P1, ['pass'])]), phases).suite;
    expect(own.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(own.checksSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
