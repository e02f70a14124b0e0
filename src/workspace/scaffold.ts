/**
 * Writing into a workspace. One rule above all: nothing that already exists is overwritten.
 * Files are created with the exclusive flag (COPYFILE_EXCL / 'wx'), so even a file that
 * appears between a check and the write is left alone and reported as skipped.
 */
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Phase } from '../course/types.ts';
import { packageManifest } from '../course/paths.ts';
import { newPhaseProgress, newProgress, PROGRESS_FILE, writeProgress, type Progress } from './progress.ts';

export interface WriteReport {
  /** Paths relative to the workspace root. */
  readonly created: string[];
  /** Existing files that were kept as they are. */
  readonly skipped: string[];
}

/** Where `reset` moves a phase folder before restoring the starter. */
export const BACKUPS_DIR = 'backups';
/** Where `solution` copies the reference solution, inside the phase folder. */
export const SOLUTION_DIR = '.solution';

/**
 * The editor files and the progress file of a new workspace (the first phase comes
 * separately). `progress`: the record to start with (init . rebuilding a lost one).
 */
export function createWorkspaceFiles(root: string, firstPhase: Phase, now: Date, progress?: Progress): WriteReport {
  const report: WriteReport = { created: [], skipped: [] };
  mkdirSync(root, { recursive: true });
  // The editor's typescript and @types/node are this package's devDependencies (nothing at
  // run time needs them), tsx a runtime one: the workspace gets the same versions of all three.
  const manifest = packageManifest();
  const deps = { ...manifest.devDependencies, ...manifest.dependencies };
  const files: Record<string, string> = {
    'package.json': json({
      name: 'my-learn-node-http',
      private: true,
      description: 'My workspace for the learn-node-http course: run `npx learn-node-http next` to continue.',
      type: 'module',
      devDependencies: {
        '@types/node': deps['@types/node'] ?? '^22.0.0',
        // tsx lets the learner run a phase by hand (`npx tsx server.ts`) without a download.
        tsx: deps['tsx'] ?? '^4.23.0',
        typescript: deps['typescript'] ?? '^5.9.0',
      },
    }),
    // What the starters need to type-check cleanly in an editor: ES modules, `.ts` import
    // specifiers (the course runs files with tsx, nothing is emitted) and Node's types.
    'tsconfig.json': json({
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['es2023'],
        types: ['node'],
        strict: true,
        noEmit: true,
        allowImportingTsExtensions: true,
        resolveJsonModule: true,
        skipLibCheck: true,
      },
      exclude: ['node_modules', BACKUPS_DIR],
    }),
    '.gitignore': 'node_modules/\n*.tmp-*\n',
  };
  for (const [name, content] of Object.entries(files)) {
    writeIfAbsent(join(root, name), content, root, report);
  }
  if (existsSync(join(root, PROGRESS_FILE))) {
    report.skipped.push(PROGRESS_FILE);
  } else {
    writeProgress(root, progress ?? newProgress(packageManifest().version, firstPhase.id, now));
    report.created.push(PROGRESS_FILE);
  }
  return report;
}

/** Copies the phase's starter files and LESSON.md into <root>/<phase id>/, keeping existing files. */
export function scaffoldPhase(root: string, phase: Phase): WriteReport {
  const report: WriteReport = { created: [], skipped: [] };
  const target = join(root, phase.id);
  const sources: Array<[string, string]> = [
    ...phase.starter.map((name): [string, string] => [join(phase.paths.starterDir, name), join(target, name)]),
    [phase.paths.lesson, join(target, 'LESSON.md')],
  ];
  for (const [from, to] of sources) copyIfAbsent(from, to, root, report);
  return report;
}

/** Copies every file of the reference solution into <phase folder>/.solution/, keeping existing files. */
export function copySolution(root: string, phase: Phase): WriteReport & { readonly dir: string } {
  const dir = join(root, phase.id, SOLUTION_DIR);
  const report: WriteReport = { created: [], skipped: [] };
  for (const name of listFiles(phase.paths.solutionDir)) {
    copyIfAbsent(join(phase.paths.solutionDir, name), join(dir, name), root, report);
  }
  return { ...report, dir };
}

/**
 * Moves the whole phase folder to backups/<phase id>/<timestamp>/ (one rename: nothing is
 * copied, so nothing can be lost half-way) and returns that folder relative to the root.
 */
export function backupPhaseFolder(root: string, phaseId: string, now: Date): string | null {
  const source = join(root, phaseId);
  if (!existsSync(source)) return null;
  const stamp = now.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
  const parent = join(root, BACKUPS_DIR, phaseId);
  mkdirSync(parent, { recursive: true });
  let target = join(parent, stamp);
  for (let n = 2; existsSync(target); n++) target = join(parent, `${stamp}-${n}`);
  renameSync(source, target);
  return relative(root, target);
}

/** Files under `dir`, relative to it, sorted (solutions may have sub-folders one day). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function copyIfAbsent(from: string, to: string, root: string, report: WriteReport): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    copyFileSync(from, to, constants.COPYFILE_EXCL);
    report.created.push(relative(root, to));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    report.skipped.push(relative(root, to));
  }
}

function writeIfAbsent(path: string, content: string, root: string, report: WriteReport): void {
  try {
    writeFileSync(path, content, { flag: 'wx' });
    report.created.push(relative(root, path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    report.skipped.push(relative(root, path));
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * A progress record rebuilt from the phase folders present in `root` (the progress file was
 * deleted): each present phase is unlocked, the last one in course order is current. Whether
 * the earlier ones passed is not known, so none is marked passed (verify --all tells).
 * Null when no phase folder is there.
 */
export function progressFromFolders(root: string, phases: readonly Phase[], now: Date): Progress | null {
  const present = phases.filter((p) => existsSync(join(root, p.id)));
  if (present.length === 0) return null;
  const progress = newProgress(packageManifest().version, present.at(-1)!.id, now);
  progress.phases = Object.fromEntries(present.map((p) => [p.id, newPhaseProgress(now)]));
  return progress;
}
