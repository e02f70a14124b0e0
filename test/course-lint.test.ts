/**
 * Course lint: the shipped content is well-formed and consistent, in the spirit of
 * rustlings' maintainer check. Every phase.json loads; ids are unique and ordered; every
 * listed file exists; starters carry TODO markers, and phase.json's "edit" names exactly the
 * files that hold them, in the lesson's order; hints and quizzes are usable; starters
 * and solutions import only node:* and each other; every phase declares its checks
 * through check({ id, group, title }) with groups of phase.json, every group has at
 * least one check and every check a mutant; a quiz's right answers
 * are not given away by being the longest choice.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../src/course/load.ts';
import { packageRoot } from '../src/course/paths.ts';
import type { Phase, QuizQuestion } from '../src/course/types.ts';
import { listChecks } from '../src/report/check-list.ts';
import { listFiles } from '../src/workspace/scaffold.ts';
import { MUTANTS_BY_PHASE } from './mutants/index.ts';

const phases: readonly Phase[] = loadCourse();
const CODE = /\.(?:[cm]?ts|[cm]?js)$/;
/**
 * Learners soon notice when the right choice is the longest, most careful sentence and the
 * others are short throwaways: then the quiz tests reading, not understanding. A phase may
 * have that shape in at most this share of its questions.
 */
const MAX_LONGEST_KEY_SHARE = 0.4;

/** True when the right choice is longer than every other choice (a tie does not give it away). */
function keyIsUniquelyLongest(q: Pick<QuizQuestion, 'choices' | 'answer'>): boolean {
  const key = q.choices[q.answer]!.length;
  return q.choices.every((choice, i) => i === q.answer || choice.length < key);
}

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

/**
 * Where a file name first appears in `text` as a name of its own (not inside "my-server.ts"), or -1.
 * A path like "07-x/server.ts" counts: the learner reads it as that file.
 */
function firstMention(text: string, file: string): number {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.search(new RegExp(`(?<![\\w.-])${escaped}(?![\\w-])`));
}

/**
 * The part of a lesson that says what to do, in order: its "Your task" section when it has
 * one (03: "1. router.ts … 2. server.ts", although the introduction names server.ts first),
 * else the whole lesson, which then works through the files in the order it first names them.
 */
function taskText(lesson: string): string {
  const start = lesson.search(/^##\s+Your task\s*$/m);
  if (start < 0) return lesson;
  const rest = lesson.slice(start).replace(/^.*\n/, '');
  const end = rest.search(/^#{1,2}\s/m);
  return end < 0 ? rest : rest.slice(0, end);
}

it('the course has at least one phase, ids unique and in order', () => {
  expect(phases.length).toBeGreaterThan(0);
  const ids = phases.map((p) => p.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
  const numbers = phases.map((p) => Number(p.number));
  numbers.forEach((n, i) => i > 0 && expect(n, `${ids[i]} after ${ids[i - 1]}`).toBeGreaterThan(numbers[i - 1]!));
});

it('the quiz length rule counts only a key longer than every other choice', () => {
  expect(keyIsUniquelyLongest({ choices: ['short', 'the much longer right answer'], answer: 1 })).toBe(true);
  expect(keyIsUniquelyLongest({ choices: ['same size', 'also same'], answer: 0 })).toBe(false);
  expect(keyIsUniquelyLongest({ choices: ['a long wrong answer here', 'the key'], answer: 1 })).toBe(false);
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

  // The Edit line of next, status and lesson prints phase.json's "edit": it must send the
  // learner to exactly the files with work in them (not one they must keep as it is), in the
  // order the lesson goes through them.
  it('declares in "edit" exactly the starter files holding TODO markers, in the order the lesson works through them', () => {
    const withTodo = listFiles(phase.paths.starterDir).filter((f) => readFileSync(join(phase.paths.starterDir, f), 'utf8').includes('TODO'));
    expect([...phase.edit].sort(), 'phase.json "edit" versus the starter files containing TODO').toEqual(withTodo.sort());
    const lesson = readFileSync(phase.paths.lesson, 'utf8');
    const task = taskText(lesson);
    for (const name of phase.edit) {
      expect(firstMention(lesson, name), `LESSON.md never names ${name}`).toBeGreaterThanOrEqual(0);
      expect(firstMention(task, name), `the lesson's task never names ${name}`).toBeGreaterThanOrEqual(0);
    }
    const lessonOrder = [...phase.edit].sort((a, b) => firstMention(task, a) - firstMention(task, b));
    expect(phase.edit, 'phase.json "edit" in the order the lesson first names the files').toEqual(lessonOrder);
  });

  // "create" (phase 06's split) names files the learner makes: each is in the lesson, none is
  // handed out already, and the reference solution has every one of them.
  it('declares in "create" only files the lesson names, the solution has and the starter does not', () => {
    const lesson = readFileSync(phase.paths.lesson, 'utf8');
    for (const name of phase.create) {
      expect(firstMention(lesson, name), `LESSON.md never names ${name}`).toBeGreaterThanOrEqual(0);
      expect(existsSync(join(phase.paths.starterDir, name)), `${name} is in the starter already`).toBe(false);
      expect(existsSync(join(phase.paths.solutionDir, name)), `the solution has no ${name}`).toBe(true);
    }
    const lessonOrder = [...phase.create].sort((a, b) => firstMention(lesson, a) - firstMention(lesson, b));
    expect(phase.create, 'phase.json "create" in the order the lesson first names the files').toEqual(lessonOrder);
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

  it('does not give the answer away by its length (the key is the uniquely longest choice in at most 40% of the questions)', () => {
    const giveaways = phase.quiz.filter(keyIsUniquelyLongest);
    const share = giveaways.length / phase.quiz.length;
    expect(
      share,
      `in ${giveaways.length} of ${phase.quiz.length} questions the right choice is the longest one; write distractors as long and as specific as the answer:\n` +
        giveaways.map((q) => `  - ${q.question}`).join('\n'),
    ).toBeLessThanOrEqual(MAX_LONGEST_KEY_SHARE);
  });

  it('has a reference solution holding one of the entry files', () => {
    expect(existsSync(phase.paths.solutionDir)).toBe(true);
    const files = listFiles(phase.paths.solutionDir);
    expect(phase.entry.some((e) => files.includes(e)), `one of ${phase.entry.join(', ')}`).toBe(true);
  });

  it('starters and solutions import only node:* modules and each other', () => {
    expect([...importProblems(phase.paths.starterDir), ...importProblems(phase.paths.solutionDir)]).toEqual([]);
  });

  it('declares its checks only through check({ id, group, title }): groups of phase.json, covering every group, ids unique', () => {
    expect(existsSync(phase.paths.checksDir), relative(packageRoot, phase.paths.checksDir)).toBe(true);
    const files = readdirSync(phase.paths.checksDir).filter((f) => f.endsWith('.check.ts'));
    expect(files.length).toBeGreaterThan(0);
    const listed = listChecks(phase.id, phase.paths.checksDir);
    for (const file of files) {
      const text = readFileSync(join(phase.paths.checksDir, file), 'utf8');
      // One way to write a check (checks/_harness/check.ts): a bare test() would get no stable id.
      expect(text, `${file} calls describe()/test()/it() itself`).not.toMatch(/^\s*(describe|test|it)(\.\w+)*\(/m);
      const calls = text.match(/\bcheck\(/g)?.length ?? 0;
      expect(listed.filter((c) => c.file.endsWith(`/${file}`)).length, `${file}: every check(…) call written as check({ id: '…', group: '…', title: '…' }, …)`).toBe(calls);
      expect(calls, `${file} declares no check`).toBeGreaterThan(0);
    }
    const groupIds = phase.groups.map((g) => g.id);
    for (const c of listed) {
      expect(groupIds, `${c.id}: group "${c.group}"`).toContain(c.group);
      expect(c.id, 'an id is lowercase letters, digits and "-", optionally "<file stem>/<name>"').toMatch(/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)?$/);
    }
    expect(listed.map((c) => c.id).filter((id, i, all) => all.indexOf(id) !== i), 'ids used twice').toEqual([]);
    const covered = new Set(listed.map((c) => c.group));
    expect(groupIds.filter((id) => !covered.has(id)), 'groups without any check').toEqual([]);
  });

  it('has a mutant for every check, and every mutant names a check that exists', () => {
    const listed = listChecks(phase.id, phase.paths.checksDir);
    const mutants = MUTANTS_BY_PHASE[phase.id] ?? [];
    const ids = new Set(listed.map((c) => c.id));
    expect(mutants.filter((m) => !ids.has(m.check)).map((m) => `${m.id} -> ${m.check}`), 'mutants naming no check').toEqual([]);
    const caught = new Set(mutants.map((m) => m.check));
    const without = listed.filter((c) => !caught.has(c.id)).map((c) => c.id);
    expect(without, 'checks no mutant proves (write one in test/mutants/NN.ts)').toEqual([]);
  });
});
