/**
 * The course loader: a valid course loads frozen and sorted; every authoring mistake is one
 * sentence naming the file and the field. Plus phase arguments and the terminal rules.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CourseFormatError, findPhase, loadCourse } from '../../src/course/load.ts';
import { UserError } from '../../src/errors.ts';
import { canPrompt, type CommandContext } from '../../src/ui/context.ts';
import { colourEnabled } from '../../src/ui/style.ts';
import { FIRST, SECOND, fixtureCourse, removeTempDirs, writeFiles } from './helpers.ts';

afterAll(removeTempDirs);

function edit(root: string, file: string, change: (json: Record<string, unknown>) => void): void {
  const path = join(root, file);
  const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  change(data);
  writeFileSync(path, JSON.stringify(data));
}

function loadError(root: string): string {
  try {
    loadCourse(root);
  } catch (error) {
    expect(error).toBeInstanceOf(CourseFormatError);
    return (error as Error).message;
  }
  throw new Error('expected the course to be rejected');
}

const PJ = `phases/${FIRST}/phase.json`;
const QJ = `phases/${FIRST}/quiz.json`;

describe('loadCourse', () => {
  it('loads phases sorted by id, frozen, with absolute paths', () => {
    const root = fixtureCourse();
    const phases = loadCourse(root);
    expect(phases.map((p) => p.id)).toEqual([FIRST, SECOND]);
    expect(phases[0]!.number).toBe('01');
    expect(phases[0]!.paths.checksDir).toBe(join(root, 'checks', FIRST));
    expect(Object.isFrozen(phases)).toBe(true);
    expect(Object.isFrozen(phases[0])).toBe(true);
    expect(Object.isFrozen(phases[0]!.groups[0])).toBe(true);
    expect(phases[0]!.quiz[0]!.answer).toBe(1);
  });

  const mistakes: Array<[string, string, (j: Record<string, unknown>) => void, RegExp]> = [
    ['wrong formatVersion', PJ, (j) => (j['formatVersion'] = 2), /phase\.json: the field "formatVersion" must be 1/],
    ['id not the folder name', PJ, (j) => (j['id'] = '01-other'), /the field "id" must equal the folder name "01-first-steps", found "01-other"/],
    ['empty hints', PJ, (j) => (j['hints'] = []), /the field "hints" must be a non-empty array of strings/],
    ['blank hint', PJ, (j) => (j['hints'] = ['ok', ' ']), /the field "hints\[1\]" must be a non-empty string/],
    ['misspelt key', PJ, (j) => (j['hint'] = ['x']), /the field "hint" is not part of the format .*check its spelling/],
    ['starter file missing', PJ, (j) => (j['starter'] = ['server.ts', 'nope.ts']), /the field "starter" lists "nope\.ts", but phases\/01-first-steps\/starter\/nope\.ts does not exist/],
    ['starter escaping its folder', PJ, (j) => (j['starter'] = ['../../etc/passwd']), /the field "starter\[0\]" must be a path relative to the phase folder without "\.\."/],
    ['edit naming a file the starter lacks', PJ, (j) => (j['edit'] = ['server.ts', 'store.ts']), /the field "edit\[1\]" names "store\.ts", which is not one of the "starter" files/],
    ['no edit list', PJ, (j) => delete j['edit'], /the field "edit" must be a non-empty array of strings/],
    ['duplicate group', PJ, (j) => (j['groups'] = [{ id: 'a', title: 'A', lessonSection: 'A' }, { id: 'a', title: 'B', lessonSection: 'B' }]), /the field "groups\[1\]\.id" repeats the group id "a"/],
    ['bad estimate', PJ, (j) => (j['estimateMinutes'] = 'soon'), /the field "estimateMinutes" must be a positive whole number/],
    ['answer out of range', QJ, (j) => ((j['questions'] as Array<Record<string, unknown>>)[1]!['answer'] = 3), /quiz\.json: the field "questions\[1\]\.answer" must be the 0-based index of the right choice \(0 to 2\), found 3/],
    ['no questions', QJ, (j) => (j['questions'] = []), /quiz\.json: the field "questions" must be a non-empty array/],
  ];
  it.each(mistakes)('%s → a sentence naming the file and the field', (_name, file, change, message) => {
    const root = fixtureCourse();
    edit(root, file, change);
    const text = loadError(root);
    expect(text).toMatch(message);
    expect(text).toContain(file.split('/').slice(0, 2).join('/'));
    expect(text).toMatch(/\.$/);
  });

  it('reports invalid JSON, a missing lesson and ambiguous numbers', () => {
    let root = fixtureCourse();
    writeFileSync(join(root, PJ), '{ "formatVersion": 1, ');
    expect(loadError(root)).toMatch(/^phases\/01-first-steps\/phase\.json is not valid JSON: /);
    root = fixtureCourse();
    rmSync(join(root, `phases/${FIRST}/LESSON.md`));
    expect(loadError(root)).toMatch(/Phase 01-first-steps has no lesson: phases\/01-first-steps\/LESSON\.md is missing\./);
    root = fixtureCourse();
    writeFiles(root, { 'phases/01-again/phase.json': '{}' });
    expect(loadError(root)).toMatch(/phases\/01-again\/phase\.json: the field "formatVersion"/);
  });
});

describe('findPhase', () => {
  const phases = loadCourse(fixtureCourse());
  it.each([['01', FIRST], ['1', FIRST], [FIRST, FIRST], [`${SECOND}/`, SECOND], ['02', SECOND]])('%s → %s', (arg, id) => {
    expect(findPhase(phases, arg).id).toBe(id);
  });
  it.each([['03'], ['first'], ['01-first']])('%s is unknown, and the error lists the phases', (arg) => {
    expect(() => findPhase(phases, arg)).toThrow(UserError);
    expect(() => findPhase(phases, arg)).toThrow(`Unknown phase "${arg}". This course has: ${FIRST}, ${SECOND}.`);
  });
});

describe('terminal rules', () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true, isTTY: false };
  it('colour only on a TTY, never with NO_COLOR, forced by FORCE_COLOR', () => {
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('prompts only with a TTY on both ends and never under CI', () => {
    const ctx = (env: NodeJS.ProcessEnv, stdin: boolean, stdout: boolean) => ({ env, stdin: { isTTY: stdin }, stdout: { isTTY: stdout, write: () => true } }) as unknown as CommandContext;
    expect(canPrompt(ctx({}, true, true))).toBe(true);
    expect(canPrompt(ctx({ CI: 'true' }, true, true))).toBe(false);
    expect(canPrompt(ctx({ CI: '1' }, true, true))).toBe(false);
    expect(canPrompt(ctx({ CI: 'false' }, true, true))).toBe(true);
    expect(canPrompt(ctx({}, false, true))).toBe(false);
    expect(canPrompt(ctx({}, true, false))).toBe(false);
  });
});
