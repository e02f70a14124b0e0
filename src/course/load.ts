/**
 * Loads the course content (phases/<id>/phase.json + quiz.json) into frozen Phase objects.
 * Pure: it reads files and returns data or throws; it never prints. Every authoring mistake
 * becomes one CourseFormatError sentence naming the file and the field, so a content author
 * (or the course lint test) sees exactly what to fix.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { UserError } from '../errors.ts';
import { courseDirs, type CourseDirs } from './paths.ts';
import type { CheckGroup, Phase, QuizQuestion } from './types.ts';

export const PHASE_FORMAT_VERSION = 1;
export const QUIZ_FORMAT_VERSION = 1;

/** The course package itself is broken: not something the learner can fix. */
export class CourseFormatError extends Error {
  override readonly name = 'CourseFormatError';
}

const PHASE_ID = /^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const GROUP_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PHASE_KEYS = ['formatVersion', 'id', 'title', 'summary', 'entry', 'starter', 'edit', 'create', 'hints', 'estimateMinutes', 'groups', 'hintFacts'];
// hintFacts (phase.json) and facts (quiz questions) cite the facts ledger (facts/README.md);
// the course lint checks them, the CLI never shows them.
const GROUP_KEYS = ['id', 'title', 'lessonSection'];
const QUIZ_KEYS = ['formatVersion', 'questions'];
const QUESTION_KEYS = ['question', 'choices', 'answer', 'explanation', 'facts'];

/** Reads every phase of the course at `root` (default: the installed package), sorted by id. */
export function loadCourse(root?: string): readonly Phase[] {
  const dirs = courseDirs(root);
  if (!existsSync(dirs.phases)) {
    throw new CourseFormatError(`The course has no phases folder: ${dirs.phases} is missing.`);
  }
  const ids = readdirSync(dirs.phases, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !d.name.startsWith('_'))
    .map((d) => d.name)
    .sort();
  const phases = ids.map((id) => loadPhase(dirs, id));
  const byNumber = new Map<string, string>();
  for (const phase of phases) {
    const other = byNumber.get(phase.number);
    if (other !== undefined) {
      throw new CourseFormatError(
        `Two phases share the number ${phase.number} (${other} and ${phase.id}): phase arguments like "${phase.number}" would be ambiguous; renumber one of the folders.`,
      );
    }
    byNumber.set(phase.number, phase.id);
  }
  if (phases.length === 0) throw new CourseFormatError(`The course has no phases: ${dirs.phases} holds no phase folder.`);
  return Object.freeze(phases);
}

/**
 * Finds a phase from a CLI argument: "06", "6" or the full id "06-async-streams-structure".
 * An unknown argument is the user's mistake, so it is a UserError listing what exists.
 */
export function findPhase(phases: readonly Phase[], arg: string): Phase {
  const trimmed = arg.trim().replace(/[\\/]+$/, '');
  const found = /^\d{1,2}$/.test(trimmed)
    ? phases.find((p) => p.number === trimmed.padStart(2, '0'))
    : phases.find((p) => p.id === trimmed);
  if (found) return found;
  const list = phases.map((p) => p.id).join(', ');
  throw new UserError(`Unknown phase "${arg}". This course has: ${list}. Use the number (e.g. ${phases[0]?.number ?? '06'}) or the full id.`);
}

function loadPhase(dirs: CourseDirs, id: string): Phase {
  const phaseDir = join(dirs.phases, id);
  const file = join(phaseDir, 'phase.json');
  const shown = relative(dirs.root, file);
  const match = PHASE_ID.exec(id);
  if (!match) {
    throw new CourseFormatError(`The phase folder name "${id}" in ${relative(dirs.root, dirs.phases)} must look like "NN-slug" (two digits, a dash, lower-case words joined by dashes).`);
  }
  const raw = readJsonObject(file, shown);
  const v: Validator = new Validator(shown);
  v.onlyKeys(raw, PHASE_KEYS, '');
  if (raw['formatVersion'] !== PHASE_FORMAT_VERSION) {
    v.fail('formatVersion', `must be ${PHASE_FORMAT_VERSION} (the format this version of learn-node-http reads), found ${JSON.stringify(raw['formatVersion'])}`);
  }
  if (raw['id'] !== id) v.fail('id', `must equal the folder name "${id}", found ${JSON.stringify(raw['id'])}`);
  const title = v.text(raw, 'title');
  const summary = v.text(raw, 'summary');
  const entry = v.fileList(raw, 'entry');
  const starter = v.fileList(raw, 'starter');
  const edit = v.fileList(raw, 'edit');
  // Only a file the learner is handed can be one to edit: anything else would send them
  // looking for a file that is not in their folder.
  edit.forEach((name, i) => {
    if (!starter.includes(name)) v.fail(`edit[${i}]`, `names "${name}", which is not one of the "starter" files (${starter.join(', ')})`);
  });
  // Files the lesson has the learner make (phase 06's module split): optional, and never a
  // starter file, which the learner already has.
  const create = raw['create'] === undefined ? [] : v.fileList(raw, 'create');
  create.forEach((name, i) => {
    if (starter.includes(name)) v.fail(`create[${i}]`, `names "${name}", which is a "starter" file the learner already has: list it under "edit"`);
  });
  const hints = v.textList(raw, 'hints');
  const estimateMinutes = raw['estimateMinutes'];
  if (typeof estimateMinutes !== 'number' || !Number.isInteger(estimateMinutes) || estimateMinutes <= 0) {
    v.fail('estimateMinutes', `must be a positive whole number of minutes, found ${JSON.stringify(estimateMinutes)}`);
  }
  const groups = v.groups(raw);

  const starterDir = join(phaseDir, 'starter');
  for (const name of starter) {
    if (!isFile(join(starterDir, name))) {
      v.fail('starter', `lists "${name}", but ${relative(dirs.root, join(starterDir, name))} does not exist`);
    }
  }
  const lesson = join(phaseDir, 'LESSON.md');
  if (!isFile(lesson)) throw new CourseFormatError(`Phase ${id} has no lesson: ${relative(dirs.root, lesson)} is missing.`);
  const quiz = loadQuiz(join(phaseDir, 'quiz.json'), relative(dirs.root, join(phaseDir, 'quiz.json')));

  const phase: Phase = {
    id,
    number: match[1]!,
    title,
    summary,
    entry,
    starter,
    edit,
    create,
    hints,
    groups,
    estimateMinutes: estimateMinutes as number,
    quiz,
    paths: Object.freeze({
      phaseDir,
      starterDir,
      lesson,
      solutionDir: join(dirs.solutions, id),
      checksDir: join(dirs.checks, id),
    }),
  };
  return Object.freeze(phase);
}

function loadQuiz(file: string, shown: string): readonly QuizQuestion[] {
  const raw = readJsonObject(file, shown);
  const v: Validator = new Validator(shown);
  v.onlyKeys(raw, QUIZ_KEYS, '');
  if (raw['formatVersion'] !== QUIZ_FORMAT_VERSION) {
    v.fail('formatVersion', `must be ${QUIZ_FORMAT_VERSION}, found ${JSON.stringify(raw['formatVersion'])}`);
  }
  const questions = raw['questions'];
  if (!Array.isArray(questions) || questions.length === 0) v.fail('questions', 'must be a non-empty array of questions');
  return Object.freeze(
    (questions as unknown[]).map((q, i): QuizQuestion => {
      const at = `questions[${i}]`;
      if (!isPlainObject(q)) v.fail(at, 'must be an object with question, choices, answer and explanation');
      v.onlyKeys(q, QUESTION_KEYS, at);
      const question = v.text(q, 'question', at);
      const choices = v.textList(q, 'choices', at);
      if (choices.length < 2) v.fail(`${at}.choices`, `must offer at least two choices, found ${choices.length}`);
      const answer = q['answer'];
      if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < 0 || answer >= choices.length) {
        v.fail(`${at}.answer`, `must be the 0-based index of the right choice (0 to ${choices.length - 1}), found ${JSON.stringify(answer)}`);
      }
      const explanation = v.text(q, 'explanation', at);
      return Object.freeze({ question, choices, answer: answer as number, explanation });
    }),
  );
}

function readJsonObject(file: string, shown: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CourseFormatError(`${shown} is missing or unreadable.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CourseFormatError(`${shown} is not valid JSON: ${(error as Error).message}.`);
  }
  if (!isPlainObject(data)) throw new CourseFormatError(`${shown} must hold a JSON object at the top level.`);
  return data;
}

/** Collects nothing: the first problem found is thrown, phrased as a sentence about one field. */
class Validator {
  constructor(private readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new CourseFormatError(`${this.file}: the field "${field}" ${problem}.`);
  }

  onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], at: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        const where = at ? `${at}.${key}` : key;
        this.fail(where, `is not part of the format (allowed: ${allowed.join(', ')}); check its spelling`);
      }
    }
  }

  text(obj: Record<string, unknown>, key: string, at = ''): string {
    const value = obj[key];
    if (typeof value !== 'string' || value.trim() === '') this.fail(at ? `${at}.${key}` : key, `must be a non-empty string, found ${JSON.stringify(value)}`);
    return value;
  }

  textList(obj: Record<string, unknown>, key: string, at = ''): readonly string[] {
    const value = obj[key];
    const where = at ? `${at}.${key}` : key;
    if (!Array.isArray(value) || value.length === 0) this.fail(where, `must be a non-empty array of strings, found ${JSON.stringify(value)}`);
    value.forEach((item, i) => {
      if (typeof item !== 'string' || item.trim() === '') this.fail(`${where}[${i}]`, `must be a non-empty string, found ${JSON.stringify(item)}`);
    });
    return Object.freeze([...(value as string[])]);
  }

  /** Relative file names that stay inside their folder: copying them must never escape it. */
  fileList(obj: Record<string, unknown>, key: string): readonly string[] {
    const names = this.textList(obj, key);
    const seen = new Set<string>();
    names.forEach((name, i) => {
      const clean = normalize(name);
      if (isAbsolute(name) || clean.startsWith('..') || clean.split(sep).includes('..')) {
        this.fail(`${key}[${i}]`, `must be a path relative to the phase folder without "..", found "${name}"`);
      }
      if (seen.has(clean)) this.fail(`${key}[${i}]`, `repeats "${name}"`);
      seen.add(clean);
    });
    return names;
  }

  groups(obj: Record<string, unknown>): readonly CheckGroup[] {
    const value = obj['groups'];
    if (!Array.isArray(value) || value.length === 0) this.fail('groups', 'must be a non-empty array of { id, title, lessonSection }');
    const seen = new Set<string>();
    return Object.freeze(
      value.map((g: unknown, i: number): CheckGroup => {
        const at = `groups[${i}]`;
        if (!isPlainObject(g)) this.fail(at, 'must be an object { id, title, lessonSection }');
        this.onlyKeys(g, GROUP_KEYS, at);
        const id = this.text(g, 'id', at);
        if (!GROUP_ID.test(id)) this.fail(`${at}.id`, `must be lower-case words joined by dashes, found "${id}"`);
        if (seen.has(id)) this.fail(`${at}.id`, `repeats the group id "${id}"`);
        seen.add(id);
        return Object.freeze({ id, title: this.text(g, 'title', at), lessonSection: this.text(g, 'lessonSection', at) });
      }),
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
