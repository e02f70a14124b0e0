/**
 * Before a command changes a workspace: can it? A read-only workspace (a folder mounted
 * read-only, copied without write permission, or locked), a read-only progress file, or a
 * file named like a folder the command needs must stop the command with one sentence that
 * names the path and what to do, before anything is printed or changed; never a stack trace
 * halfway through.
 *
 * Read-only is judged by the permission bits first (no write bit for anyone means "keep
 * it as it is", which root would otherwise ignore), then by trying: a probe file created
 * and removed in the folder, which catches read-only mounts, immutable folders and other
 * users' folders.
 */
import { randomUUID } from 'node:crypto';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFsError, UserError } from '../errors.ts';
import { PROGRESS_FILE } from './progress.ts';

export function assertWorkspaceWritable(root: string, command: string): void {
  const stats = statSync(root);
  if ((stats.mode & 0o222) === 0) {
    throw new UserError(`The workspace folder ${root} is read-only, so ${command} changed nothing. Make it writable (chmod u+w ${root}) and run it again.`);
  }
  const probe = join(root, `.learn-node-http-probe-${process.pid}-${randomUUID().slice(0, 8)}`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
  } catch (error) {
    throw new UserError(`Cannot write in the workspace folder ${root} (${describeFsError(error)}), so ${command} changed nothing. Make it writable and run it again.`);
  }
  rmSync(probe, { force: true });
  assertProgressWritable(root, command);
}

/** A progress file without any write bit was made read-only on purpose: it is kept that way, never replaced. */
export function assertProgressWritable(root: string, command: string): void {
  const file = join(root, PROGRESS_FILE);
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return; // No file yet: nothing to protect.
  }
  if ((mode & 0o222) === 0) {
    throw new UserError(
      `The progress file ${file} is read-only, so ${command} changed nothing (it was not replaced). To let learn-node-http record your progress, make it writable: chmod u+w ${file}`,
    );
  }
}

/** A path the command needs as a folder (backups/) that exists as something else. */
export function assertFolderOrAbsent(path: string, command: string, what: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return;
  }
  if (!stats.isDirectory()) {
    throw new UserError(`${path} is a file, but ${command} needs it as a folder (${what}). Rename or move that file, then run ${command} again; nothing was changed.`);
  }
}
