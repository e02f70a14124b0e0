/**
 * The list of commands that run checks (src/commands-that-run-checks.mjs, plain JavaScript so
 * the bin can read it before tsx) agrees with the command table and with the commands' code:
 * a command runs checks when its implementation, through its value imports, reaches a call
 * of ctx.loadRunner or ctx.loadGrader. A new command that runs checks without being listed
 * would pay ~4× for loading vitest/node (src/boot.mjs), and miss main.ts's interrupt handling.
 *
 * Imports are read with a regular expression, as in test/import-cycles.test.ts; type-only
 * imports are skipped (they load nothing).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { COMMANDS, COMMANDS_THAT_RUN_CHECKS, runsChecks } from '../../src/cli.ts';

const SRC = path.resolve(import.meta.dirname, '../../src');
const VALUE_IMPORT = /(?:\bimport\s+(?!type\b)[^'";]*?\bfrom\s*|\bexport\s+(?!type\b)[^'";]*?\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
const LOADS_CHECKS = /\.load(?:Runner|Grader)\(/;

/** Every file a module loads, itself included, following relative value imports. */
function loadedFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    // Comment lines go: a doc comment may quote an import.
    const text = readFileSync(file, 'utf8').replace(/^\s*(?:\/\/|\/\*|\*).*$/gm, '');
    for (const m of text.matchAll(VALUE_IMPORT)) visit(path.resolve(path.dirname(file), m[1]!));
  };
  visit(entry);
  return seen;
}

function runsChecksInCode(command: string): boolean {
  return [...loadedFrom(path.join(SRC, 'commands', `${command}.ts`))].some((file) => LOADS_CHECKS.test(readFileSync(file, 'utf8')));
}

describe('the commands that run checks', () => {
  test('every listed name is a command', () => {
    const names = COMMANDS.map((c) => c.name);
    for (const name of COMMANDS_THAT_RUN_CHECKS) expect(names).toContain(name);
  });

  test('exactly the commands whose code starts a check run are listed', () => {
    const inCode = COMMANDS.map((c) => c.name).filter(runsChecksInCode);
    expect(inCode.length).toBeGreaterThan(0);
    expect([...COMMANDS_THAT_RUN_CHECKS].sort()).toEqual(inCode.sort());
  });

  test('--help of such a command runs nothing', () => {
    expect(runsChecks(['verify', '06'])).toBe(true);
    expect(runsChecks(['verify', '--help'])).toBe(false);
    expect(runsChecks(['next', '-h'])).toBe(false);
    expect(runsChecks(['status'])).toBe(false);
    expect(runsChecks([])).toBe(false);
  });
});
