/**
 * The quick proof in `npm test`: in one `verify --all` each, a workspace of every phase's
 * reference solution passes every check of every group phase.json declares, and a
 * workspace holding one realistic mistake per phase fails exactly that mistake's group in
 * each phase. A change that breaks a check, a solution or the runner turns `npm test` red
 * in about a minute; every mutant, alternative and starter is `npm run test:proof`.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadCourse } from '../src/course/load.ts';
import { runBin } from './cli/spawn.ts';
import { MUTANTS_BY_PHASE } from './mutants/index.ts';
import type { Mutant } from './mutants/types.ts';
import { applyMutant, ROOT } from './support/phase-runs.ts';

const course = loadCourse();
const RUN_MS = 240_000;

/**
 * One mistake per phase: the first mutant of each phase that fails its own group alone
 * (no `mayAlsoFail`, not the port mistake that fails everything), so the verdict is exact.
 */
const ONE_MISTAKE_EACH: readonly Mutant[] = course.map((phase) => {
  const mutant = (MUTANTS_BY_PHASE[phase.id] ?? []).find((m) => !m.mayAlsoFail && !m.failsEveryCheckSaying && !m.renames);
  if (!mutant) throw new Error(`${phase.id}: no mutant that fails its own group alone`);
  return mutant;
});

interface Graded {
  readonly tests: ReadonlyArray<{ phase: string; group: string; id: string; name: string; status: string; message: string | null }>;
}

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

async function workspaceOf(copyPhase: (phaseId: string, target: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lnh-quick-proof-'));
  temps.push(dir);
  for (const phase of course) await copyPhase(phase.id, path.join(dir, phase.id));
  return dir;
}

/** One `verify --all`, once more if a check found the machine too busy to judge (no verdict, as batch grading retries it). */
async function gradeAll(dir: string, retry = true): Promise<{ code: number | null; graded: Graded; stdout: string; stderr: string }> {
  const out = path.join(dir, 'results.json');
  const run = await runBin(['verify', '--all', '--dir', dir, '--reporter', 'json', '--out', out], { cwd: dir, timeoutMs: RUN_MS });
  const graded = JSON.parse(await readFile(out, 'utf8')) as Graded;
  const starved = graded.tests.some((t) => t.status === 'error' && (t.message ?? '').includes('too busy to judge'));
  return starved && retry ? gradeAll(dir, false) : { code: run.code, graded, stdout: run.stdout, stderr: run.stderr };
}

describe('quick proof', () => {
  test('every reference solution passes every check, in every group phase.json declares', async () => {
    const dir = await workspaceOf((phaseId, target) => cp(path.join(ROOT, 'solutions', phaseId), target, { recursive: true }));
    const { code, graded, stdout, stderr } = await gradeAll(dir);
    const notPassing = graded.tests.filter((t) => t.status !== 'pass').map((t) => `${t.name}: ${t.message}`);
    expect(notPassing, stderr).toEqual([]);
    expect(code).toBe(0);
    // What the tool prints is its own: no warning or deprecation notice from Node or a dependency
    // (vitest 4.1 prints one for a deprecated import, in the middle of the learner's report).
    expect(`${stdout}\n${stderr}`).not.toMatch(/deprecat|warning/i);
    for (const phase of course) {
      const groups = new Set(graded.tests.filter((t) => t.phase === phase.id).map((t) => t.group));
      expect([...groups].sort(), phase.id).toEqual(phase.groups.map((g) => g.id).sort());
    }
  }, RUN_MS + 10_000);

  test('one realistic mistake per phase fails its own group, and only that group', async () => {
    const dir = await workspaceOf(async (phaseId, target) => {
      await cp(path.join(ROOT, 'solutions', phaseId), target, { recursive: true });
      await applyMutant(target, ONE_MISTAKE_EACH[course.findIndex((p) => p.id === phaseId)]!);
    });
    const { code, graded, stderr } = await gradeAll(dir);
    expect(code, stderr).toBe(1);
    course.forEach((phase, index) => {
      const mutant = ONE_MISTAKE_EACH[index]!;
      const failedGroups = new Set(graded.tests.filter((t) => t.phase === phase.id && t.status !== 'pass').map((t) => t.group));
      expect([...failedGroups], `${phase.id}, mutant ${mutant.id} (${mutant.story})`).toEqual([mutant.group]);
      const caught = graded.tests.some((t) => t.phase === phase.id && t.status === 'fail' && t.id === mutant.check);
      expect(caught, `${phase.id}: check ${mutant.check} did not fail`).toBe(true);
    });
  }, RUN_MS + 10_000);
});
