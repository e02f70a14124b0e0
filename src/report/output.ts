/**
 * Where a report goes, decided and checked before any grading starts: a batch can take
 * many minutes, and a typo in --out must not cost them. Then the write itself, which can
 * still fail (a disk fills up, a folder is removed meanwhile): the report is then saved
 * somewhere else and the sentence says where, so a finished grading is never lost.
 *
 * Read-only is judged by the permission bits as well as by trying: a folder or file with
 * no write bit at all is treated as read-only even for root, who could write it anyway,
 * because that is what its owner asked for.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { describeFsError as describeError, UserError } from '../errors.ts';

export type OutputPlan =
  | { readonly kind: 'stdout' }
  | { readonly kind: 'file'; readonly path: string; readonly shown: string }
  /** One file per submission in this folder. */
  | { readonly kind: 'folder'; readonly path: string; readonly shown: string };

export interface PlanInput {
  readonly reporter: string;
  /** --out as given (undefined: standard output). */
  readonly outArg: string | undefined;
  readonly cwd: string;
  /** The resolved --out. */
  readonly out: string | undefined;
  /** How many folders will be graded. */
  readonly folders: number;
}

/** Reporters that can write one file per submission into a folder. */
const PER_SUBMISSION = new Set(['json', 'classroom']);

export function planOutput({ reporter, outArg, cwd, out, folders }: PlanInput): OutputPlan {
  if (outArg === undefined || out === undefined) {
    if (reporter === 'classroom' && folders > 1) {
      throw new UserError(
        'The classroom reporter writes one result per submission (the autograding reporter reads one object, not a list): ' +
          'add --out DIR/ to get one <name>.classroom.json per folder. Nothing was graded.',
      );
    }
    return { kind: 'stdout' };
  }
  const shown = relative(cwd, out) || out;
  const existing = statOrNull(out);
  const wantsFolder = /[\\/]$/.test(outArg) || existing?.isDirectory() === true;
  const perSubmission = PER_SUBMISSION.has(reporter) && folders > 1;
  if (wantsFolder && !perSubmission) {
    throw new UserError(
      `--out ${outArg} is a folder; a ${reporter} report${folders > 1 ? ` of ${folders} folders` : ''} is one file: name a file instead (for example --out grades.${extension(reporter)}). ` +
        'A folder is for --reporter json or classroom with several folders (one file each). Nothing was graded.',
    );
  }
  if (perSubmission && !wantsFolder) {
    if (reporter === 'classroom') {
      throw new UserError(`--out ${outArg}: the classroom reporter writes one file per submission, so --out must name a folder: --out ${outArg.replace(/\.[a-z]+$/i, '')}/. Nothing was graded.`);
    }
  }
  if (wantsFolder && perSubmission) {
    if (existing !== null && !existing.isDirectory()) throw new UserError(`--out ${outArg}: ${shown} is a file, not a folder. Name a folder (or remove the file). Nothing was graded.`);
    if (existing !== null) assertWritableFolder(out, outArg);
    else assertCreatable(out, outArg);
    return { kind: 'folder', path: out, shown };
  }
  if (existing !== null) {
    if (!existing.isFile()) throw new UserError(`--out ${outArg}: ${shown} exists and is not a regular file. Name another file. Nothing was graded.`);
    if ((existing.mode & 0o222) === 0) throw new UserError(`--out ${outArg}: ${shown} is read-only. Make it writable (chmod u+w ${shown}) or name another file. Nothing was graded.`);
    assertWritableFolder(dirname(out), outArg);
  } else {
    assertCreatable(out, outArg);
  }
  return { kind: 'file', path: out, shown };
}

/** The nearest existing folder above `target` must be a folder we can write into. */
function assertCreatable(target: string, outArg: string): void {
  let dir = dirname(target);
  for (;;) {
    const stats = statOrNull(dir);
    if (stats !== null) {
      if (!stats.isDirectory()) throw new UserError(`--out ${outArg}: ${dir} is a file, so nothing can be created under it. Choose another path. Nothing was graded.`);
      assertWritableFolder(dir, outArg);
      return;
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

function assertWritableFolder(dir: string, outArg: string): void {
  const stats = statOrNull(dir);
  if (stats !== null && (stats.mode & 0o222) === 0) {
    throw new UserError(`--out ${outArg}: the folder ${dir} is read-only. Make it writable or choose another path. Nothing was graded.`);
  }
  const probe = join(dir, `.learn-node-http-probe-${process.pid}-${randomUUID().slice(0, 8)}`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
  } catch (error) {
    throw new UserError(`--out ${outArg}: cannot write into ${dir} (${describeError(error)}). Choose a folder you can write to. Nothing was graded.`);
  }
  rmSync(probe, { force: true });
}

export interface WrittenReport {
  /** Where the report (or files) really are. */
  readonly where: string;
  /** Set when the planned place failed: the sentence to print, naming both places. */
  readonly problem?: string;
}

/**
 * Writes `files` (name → text) into the folder, or `text` to the file, as planned. When
 * that fails, writes the same into a new folder/file in `fallbackDir` (the working folder),
 * else in the temp folder, and says so.
 */
export function writeReport(plan: Exclude<OutputPlan, { kind: 'stdout' }>, content: { text: string } | { files: ReadonlyArray<{ fileName: string; text: string }> }, fallbackDir: string, reporter: string): WrittenReport {
  try {
    put(plan.path, content);
    return { where: plan.shown };
  } catch (error) {
    const stamp = new Date().toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
    const name = 'files' in content ? `learn-node-http-${reporter}-${stamp}` : `${basename(plan.path).replace(/(\.[^.]*)?$/, '')}-${stamp}${/\.[^.]+$/.exec(plan.path)?.[0] ?? `.${extension(reporter)}`}`;
    for (const dir of [fallbackDir, os.tmpdir()]) {
      const target = join(dir, name);
      try {
        put(target, content);
        return { where: target, problem: `Could not write the report to ${plan.shown} (${describeError(error)}); it was saved to ${target} instead.` };
      } catch {
        // Try the next place.
      }
    }
    throw new UserError(`Could not write the report to ${plan.shown} (${describeError(error)}), nor to ${fallbackDir} or ${os.tmpdir()}. Free some disk space or fix the permissions, then grade again.`);
  }
}

function put(path: string, content: { text: string } | { files: ReadonlyArray<{ fileName: string; text: string }> }): void {
  if ('files' in content) {
    mkdirSync(path, { recursive: true });
    for (const file of content.files) writeFileSync(join(path, file.fileName), file.text);
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content.text);
  }
}

export function extension(reporter: string): string {
  return reporter === 'junit' ? 'xml' : reporter === 'csv' ? 'csv' : reporter === 'pretty' ? 'txt' : 'json';
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a path under a file; the walk up to the nearest existing folder reports it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new UserError(`Cannot look at ${path}: ${describeError(error)}.`);
  }
}
