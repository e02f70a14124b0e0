/**
 * The house rules a number can state (CONTRIBUTING.md, "Where code goes"): no module in src/
 * or checks/ over 400 lines, and the check harness (checks/_harness/: writing a check and
 * running the learner's server for it) at most 2,000 lines. Talking to the server lives in
 * checks/_client/, starting and containing learner code in checks/_process/, and a helper one
 * phase uses beside that phase's checks, so none of them grows the harness.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE = /\.(?:ts|mts|mjs)$/;
const MAX_MODULE_LINES = 400;
const MAX_HARNESS_LINES = 2_000;

function sourcesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourcesUnder(relative);
    return SOURCE.test(entry.name) ? [relative] : [];
  });
}

const lineCount = (file: string) => readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1;

describe('the house', () => {
  test(`no module in src/ or checks/ is over ${MAX_MODULE_LINES} lines`, () => {
    const modules = [...sourcesUnder('src'), ...sourcesUnder('checks')];
    expect(modules.length).toBeGreaterThan(100);
    const long = modules.map((file) => `${file}: ${lineCount(file)}`).filter((line) => Number(line.split(': ')[1]) > MAX_MODULE_LINES);
    expect(long).toEqual([]);
  });

  test(`checks/_harness/ is at most ${MAX_HARNESS_LINES} lines, and the client and process layers exist apart`, () => {
    const harness = sourcesUnder('checks/_harness');
    const total = harness.reduce((sum, file) => sum + lineCount(file), 0);
    expect(total, harness.map((file) => `${file}: ${lineCount(file)}`).join('\n')).toBeLessThanOrEqual(MAX_HARNESS_LINES);
    expect(sourcesUnder('checks/_client')).toContain('checks/_client/http.ts');
    expect(sourcesUnder('checks/_process')).toContain('checks/_process/spawn-learner.ts');
  });
});
