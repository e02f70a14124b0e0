/**
 * Course lint: the shipped content is well-formed and consistent, in the spirit of
 * rustlings' maintainer check. Every phase.json loads; ids are unique and ordered; every
 * listed file exists; starters carry TODO markers; hints and quizzes are usable; starters
 * and solutions import only node:* and each other; every phase has checks whose describe
 * blocks name its groups, and every group has at least one check.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../src/course/load.ts';
import { packageRoot } from '../src/course/paths.ts';
import type { Phase } from '../src/course/types.ts';
import { listFiles } from '../src/workspace/scaffold.ts';

const phases: readonly Phase[] = loadCourse();
const CODE = /\.(?:[cm]?ts|[cm]?js)$/;

beforeAll(async () => {
  await init;
});

/** Every import specifier of a TypeScript/JavaScript source, static and dynamic (string literals only). */
function importsOf(file: string): string[] {
  const [imports] = parse(readFileSync(file, 'utf8'), file);
  return imports.map((i) => i.specifier).filter((s): s is string => typeof s === 'string');
}

/** Problems with the imports of the code files in `dir`: only node:* and files of the same folder. */
function importProblems(dir: string): string[] {
  const problems: string[] = [];
  for (const name of listFiles(dir).filter((f) => CODE.test(f))) {
    for (const spec of importsOf(join(dir, name))) {
      if (spec.startsWith('node:')) continue;
      const shown = relative(packageRoot, join(dir, name));
      if (!spec.startsWith('./') && !spec.startsWith('../')) {
        problems.push(`${shown} imports "${spec}": learners' files may import only node:* modules and each other`);
        continue;
      }
      const target = join(dir, name, '..', spec);
      const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts')];
      if (!relative(dir, target).startsWith('..') && candidates.some((c) => existsSync(c))) continue;
      problems.push(`${shown} imports "${spec}", which is not a file of the same folder`);
    }
  }
  return problems;
}

it('the course has at least one phase, ids unique and in order', () => {
  expect(phases.length).toBeGreaterThan(0);
  const ids = phases.map((p) => p.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
  const numbers = phases.map((p) => Number(p.number));
  numbers.forEach((n, i) => i > 0 && expect(n, `${ids[i]} after ${ids[i - 1]}`).toBeGreaterThan(numbers[i - 1]!));
});

describe.each(phases.map((p) => [p.id, p] as const))('%s', (_id, phase) => {
  it('lists starter files that exist, with // TODO markers in the code the learner must change', () => {
    for (const name of phase.starter) expect(existsSync(join(phase.paths.starterDir, name)), name).toBe(true);
    const onDisk = listFiles(phase.paths.starterDir);
    expect(onDisk.sort(), 'files in starter/ that phase.json does not list are never copied').toEqual([...phase.starter].sort());
    const code = phase.starter.filter((f) => CODE.test(f));
    expect(code.length).toBeGreaterThan(0);
    for (const name of code) {
      const text = readFileSync(join(phase.paths.starterDir, name), 'utf8');
      const solution = join(phase.paths.solutionDir, name);
      if (existsSync(solution) && readFileSync(solution, 'utf8') === text) continue; // shipped complete on purpose
      expect(text, `${name} needs at least one // TODO`).toMatch(/\/\/\s*TODO/);
    }
  });

  it('has a lesson whose headings include every group\'s lessonSection', () => {
    const lesson = readFileSync(phase.paths.lesson, 'utf8');
    const headings = [...lesson.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => m[1]!.trim());
    for (const group of phase.groups) expect(headings, `group ${group.id}`).toContain(group.lessonSection);
  });

  it('has hints and a quiz that can be answered', () => {
    expect(phase.hints.length).toBeGreaterThan(0);
    for (const hint of phase.hints) expect(hint.trim().length).toBeGreaterThan(10);
    expect(phase.quiz.length).toBeGreaterThan(0);
    for (const q of phase.quiz) {
      expect(q.choices.length).toBeGreaterThanOrEqual(2);
      expect(q.answer).toBeGreaterThanOrEqual(0);
      expect(q.answer).toBeLessThan(q.choices.length);
      expect(new Set(q.choices).size, q.question).toBe(q.choices.length);
      expect(q.explanation.trim()).not.toBe('');
    }
  });

  it('has a reference solution holding one of the entry files', () => {
    expect(existsSync(phase.paths.solutionDir)).toBe(true);
    const files = listFiles(phase.paths.solutionDir);
    expect(phase.entry.some((e) => files.includes(e)), `one of ${phase.entry.join(', ')}`).toBe(true);
  });

  it('starters and solutions import only node:* modules and each other', () => {
    expect([...importProblems(phase.paths.starterDir), ...importProblems(phase.paths.solutionDir)]).toEqual([]);
  });

  it('has checks whose describe blocks are groups of phase.json, covering every group', () => {
    expect(existsSync(phase.paths.checksDir), relative(packageRoot, phase.paths.checksDir)).toBe(true);
    const files = readdirSync(phase.paths.checksDir).filter((f) => f.endsWith('.check.ts'));
    expect(files.length).toBeGreaterThan(0);
    const groupIds = phase.groups.map((g) => g.id);
    const covered = new Set<string>();
    for (const file of files) {
      const text = readFileSync(join(phase.paths.checksDir, file), 'utf8');
      const described = [...text.matchAll(/\bdescribe(?:\.\w+)?\(\s*(['"`])([^'"`]+)\1/g)].map((m) => m[2]!);
      expect(described.length, `${file} has no describe('<group id>') block`).toBeGreaterThan(0);
      for (const id of described) {
        expect(groupIds, `${file}: describe('${id}')`).toContain(id);
        covered.add(id);
      }
    }
    expect(groupIds.filter((id) => !covered.has(id)), 'groups without any check').toEqual([]);
  });
});
