/**
 * When a command cannot write what it must (issue 13, item 5): one sentence naming the path
 * and what to do, exit 2, nothing printed before it and nothing changed. Also a progress
 * file with a UTF-8 BOM (accepted), a deleted progress file (`init .` rebuilds it from the
 * phase folders), and `solution --force` that records the view before handing it over.
 *
 * These tests run as root here, and root ignores permission bits when it writes. So
 * "read-only" is made two ways that root honours: the permission bits, which the commands
 * read themselves (no write bit for anyone = keep it as it is), and `chattr +i` (an
 * immutable file or folder refuses even root, EPERM), where chattr works.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROGRESS_FILE, type Progress } from '../../src/workspace/progress.ts';
import { FIRST, SECOND, fakeRunner, fixtureCourse, removeTempDirs, runCli, tempDir, writeFiles, type FakeRunnerCall } from './helpers.ts';

afterAll(removeTempDirs);

let courseRoot: string;
let ws: string;
const immutable: string[] = [];
const cli = (argv: string[], runner = fakeRunner()) => runCli(argv, { cwd: ws, courseRoot, runner });
const progressText = (): string => readFileSync(join(ws, PROGRESS_FILE), 'utf8');

/** chattr +i, if this machine allows it (root on a file system with attributes). */
function makeImmutable(path: string): boolean {
  const r = spawnSync('chattr', ['+i', path]);
  if (r.status !== 0) return false;
  immutable.push(path);
  return true;
}

/** Everything under the workspace, with sizes: "nothing changed" is this staying equal. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((p) => `${p}:${statSync(p).isFile() ? readFileSync(p, 'utf8') : 'dir'}`);
}

beforeEach(async () => {
  courseRoot = fixtureCourse();
  ws = tempDir('lnh-wf-');
  expect((await cli(['next'])).code).toBe(0);
});

afterEach(() => {
  for (const path of immutable.splice(0)) spawnSync('chattr', ['-i', path]);
  chmodSync(ws, 0o755);
  if (existsSync(join(ws, PROGRESS_FILE))) chmodSync(join(ws, PROGRESS_FILE), 0o644);
});

describe('a read-only workspace', () => {
  const commands: string[][] = [['hint'], ['quiz', '--answers', '1,0'], ['reset'], ['solution', '--force'], ['next']];

  it.each(commands)('%s: one sentence naming the folder, exit 2, nothing printed, nothing changed (no write bit)', async (...argv) => {
    const before = snapshot(ws);
    chmodSync(ws, 0o555);
    const calls: FakeRunnerCall[] = [];
    const r = await cli(argv, fakeRunner(calls));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^Error: .*${ws.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.* read-only`));
    expect(r.stderr).not.toMatch(/Unexpected error|This is a bug|\n\s+at /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(calls).toHaveLength(0);
    chmodSync(ws, 0o755);
    expect(snapshot(ws)).toEqual(before);
  });

  it.each(commands)('%s: the same when the folder is immutable (chattr +i: even root cannot write)', async (...argv) => {
    const before = snapshot(ws);
    if (!makeImmutable(ws)) return; // no chattr here: the permission-bit case above still holds
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(ws);
    expect(r.stderr).toMatch(/EPERM|read-only/);
    expect(r.stderr).not.toMatch(/Unexpected error|This is a bug|\n\s+at /);
    spawnSync('chattr', ['-i', ws]);
    expect(snapshot(ws)).toEqual(before);
  });
});

describe('a read-only progress file', () => {
  it('is kept read-only and never replaced: hint says so, exit 2, and shows nothing', async () => {
    const file = join(ws, PROGRESS_FILE);
    const before = progressText();
    const inode = statSync(file).ino;
    chmodSync(file, 0o444);
    for (const argv of [['hint'], ['quiz', '--answers', '1,0'], ['solution', '--force'], ['next']]) {
      const r = await cli(argv);
      expect(r.code, argv[0]).toBe(2);
      expect(r.stdout, argv[0]).toBe('');
      expect(r.stderr).toContain(`The progress file ${file} is read-only`);
      expect(r.stderr).toContain(`chmod u+w ${file}`);
    }
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(statSync(file).ino).toBe(inode);
    expect(progressText()).toBe(before);
    expect(existsSync(join(ws, FIRST, '.solution'))).toBe(false);
    // Reading it is fine.
    expect((await cli(['status'])).code).toBe(0);
  });
});

describe('backups/ that is a file', () => {
  it('reset says so and moves nothing', async () => {
    writeFileSync(join(ws, 'backups'), 'not a folder\n');
    writeFileSync(join(ws, FIRST, 'server.ts'), '// my work\n');
    const before = snapshot(ws);
    const r = await cli(['reset']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(ws, 'backups')} is a file, but reset needs it as a folder`);
    expect(r.stderr).not.toMatch(/ENOTDIR|Unexpected error/);
    expect(snapshot(ws)).toEqual(before);
  });
});

describe('a progress file with a UTF-8 byte order mark', () => {
  it('is read as the JSON it holds (Windows editors add the mark)', async () => {
    writeFileSync(join(ws, PROGRESS_FILE), `\ufeff${progressText()}`);
    const status = await cli(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(FIRST);
    expect((await cli(['hint'])).code).toBe(0);
    expect((JSON.parse(progressText()) as Progress).phases[FIRST]!.hintsUsed).toBe(1);
  });
});

describe('solution --force', () => {
  it('records the view before handing the solution over', async () => {
    const r = await cli(['solution', '--force']);
    expect(r.code).toBe(0);
    expect((JSON.parse(progressText()) as Progress).phases[FIRST]!.solutionViewed).toBe(true);
    expect(existsSync(join(ws, FIRST, '.solution', 'server.ts'))).toBe(true);
  });
});

describe('a deleted progress file', () => {
  it('next and status point to init . here; init . rebuilds the record from the phase folders and changes no file', async () => {
    writeFiles(ws, { [`${SECOND}/server.ts`]: '// started phase 2\n', [`${SECOND}/LESSON.md`]: '# lesson\n' });
    writeFileSync(join(ws, FIRST, 'server.ts'), '// solved phase 1\n');
    spawnSync('rm', [join(ws, PROGRESS_FILE)]);
    const before = snapshot(ws);
    for (const argv of [['next'], ['status'], ['hint']]) {
      const r = await cli(argv);
      expect(r.code, argv[0]).toBe(2);
      expect(r.stderr, argv[0]).toContain('npx learn-node-http init .');
      expect(r.stderr, argv[0]).not.toContain('init my-course');
    }
    expect(snapshot(ws)).toEqual(before);

    const init = await cli(['init', '.']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`Rebuilt ${PROGRESS_FILE} from the phase folders`);
    expect(init.stdout).toContain(`current phase: ${SECOND}`);
    const rebuilt = JSON.parse(progressText()) as Progress;
    expect(rebuilt.current).toBe(SECOND);
    expect(Object.keys(rebuilt.phases)).toEqual([FIRST, SECOND]);
    expect(readFileSync(join(ws, FIRST, 'server.ts'), 'utf8')).toBe('// solved phase 1\n');
    expect(readFileSync(join(ws, SECOND, 'server.ts'), 'utf8')).toBe('// started phase 2\n');
    // Missing starter files of the current phase are added, existing ones kept.
    expect(existsSync(join(ws, SECOND, 'data', 'sample.json'))).toBe(true);
    expect((await cli(['status'])).code).toBe(0);
    // Run again: nothing to rebuild.
    expect((await cli(['init', '.'])).stdout).toContain('already a learn-node-http workspace');
  });
});

describe('verify with a damaged progress file', () => {
  it('does what docs/progress-file.md says: grades every phase, says why on stderr (once), never writes the file', async () => {
    writeFileSync(join(ws, PROGRESS_FILE), '{ broken');
    const calls: FakeRunnerCall[] = [];
    const r = await cli(['verify'], fakeRunner(calls));
    expect(r.stderr).toMatch(/Note: grading every phase, because the progress file could not be read: The progress file .* is damaged/);
    expect(r.stderr.match(/Note:/g)).toHaveLength(1);
    expect(calls.map((c) => c.phaseId)).toEqual([FIRST]);
    expect(r.stdout).toContain(`Not submitted: there is no folder ${SECOND}/`);
    expect(readFileSync(join(ws, PROGRESS_FILE), 'utf8')).toBe('{ broken');
    // A phase named: graded as usual; the only word about the file is that the run was not recorded.
    const named = await cli(['verify', '01'], fakeRunner(calls));
    expect(named.code).toBe(1);
    expect(named.stderr).not.toMatch(/grading every phase/);
    expect(named.stderr).toMatch(/^Note: this check run was not recorded in your progress: The progress file .* is damaged/m);
    expect(readFileSync(join(ws, PROGRESS_FILE), 'utf8')).toBe('{ broken');
    mkdirSync(join(ws, 'x'));
  });
});
