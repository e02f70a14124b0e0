/**
 * Locating a workspace: the nearest folder, from where the command runs upwards, that holds
 * learn-node-http.json. Walking up lets learners run commands from inside a phase folder.
 */
import { existsSync } from 'node:fs';
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
  if (root === null) {
    throw new UserError(
      `No learn-node-http workspace here: neither ${resolve(from)} nor any folder above it has ${PROGRESS_FILE}.\n` +
        `Start one with: npx learn-node-http init my-course   (or run: npx learn-node-http next   in an empty folder)`,
    );
  }
  return root;
}
