/**
 * Every alternative solution type-checks as the proof runs it. An alternative keeps as files
 * only what it writes in its own style; the rest comes from its edits.json on the reference
 * solution (CONTRIBUTING.md, "Fixtures"), so the root tsconfig.json cannot see a whole one and
 * leaves test/fixtures/*-alt-* out. Here each is expanded the way runChecksInChild expands it, into
 * test/tmp/ (inside the project, so @types/node resolves), and tsc checks them all in one
 * program with the project's compiler options.
 */
import { execFile } from 'node:child_process';
import { cp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { expandEdits, ROOT } from './support/phase-runs.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures');
const WORK = path.join(ROOT, 'test/tmp', `alternatives-typecheck-${process.pid}`);

afterAll(() => rm(WORK, { recursive: true, force: true }));

test('every alternative solution, expanded from its edits, type-checks', async () => {
  const alternatives = (await readdir(FIXTURES)).filter((name) => /^\d\d-.+-alt-/.test(name));
  expect(alternatives.length).toBeGreaterThanOrEqual(8);
  for (const name of alternatives) {
    await cp(path.join(FIXTURES, name), path.join(WORK, name), { recursive: true });
    await expandEdits(path.join(WORK, name), name);
  }
  // Each alternative is an ES module folder, as a learner's workspace is.
  await writeFile(path.join(WORK, 'package.json'), '{ "type": "module" }\n');
  await writeFile(path.join(WORK, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', include: ['./**/*.ts'], exclude: [] }));
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', WORK], { cwd: ROOT }).then(
    () => 'clean',
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  expect(result).toBe('clean');
}, 60_000);
