/**
 * Locating a workspace: the nearest folder, from where the command runs upwards, that holds
 * learn-node-http.json. Walking up lets learners run commands from inside a phase folder.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { PROGRESS_FILE } from './progress.ts';

export function findWorkspace(from: string): string | null {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, PROGRESS_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function requireWorkspace(from: string): string {
  const root = findWorkspace(from);
  if (root === null && hasPhaseFolders(from)) {
    throw new UserError(
      `No ${PROGRESS_FILE} here, but ${resolve(from)} holds phase folders: the progress file was deleted or not copied.\n` +
        `Rebuild it from the phase folders (your files are kept): npx learn-node-http init .`,
    );
  }
  if (root === null) {
    throw new UserError(
      `No learn-node-http workspace here: neither ${resolve(from)} nor any folder above it has ${PROGRESS_FILE}.\n` +
        `Start one with: npx learn-node-http init my-course   (or run: npx learn-node-http next   in an empty folder)`,
    );
  }
  return root;
}

/** A folder that looks like a workspace without its progress file: an "NN-name" folder with a LESSON.md. */
function hasPhaseFolders(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => /^\d\d-[a-z0-9-]+$/.test(name) && existsSync(join(dir, name, 'LESSON.md')));
  } catch {
    return false;
  }
}
