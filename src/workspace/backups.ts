/**
 * The backups `reset` made: backups/<phase id>/<date-time>/, one folder per reset. Read from
 * the disk rather than the progress file, because the disk is what the learner can open (and
 * may have tidied up); `status --backups` lists them, plain `status` counts them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUPS_DIR } from './scaffold.ts';

export interface Backup {
  readonly phase: string;
  /** The folder name: the date-time of the reset, e.g. 2026-11-23T10-00-00 (or …-2 for a second one that second). */
  readonly stamp: string;
  /** Relative to the workspace root: backups/<phase>/<stamp>. */
  readonly path: string;
}

/** Every backup folder under <root>/backups, by phase, oldest first (numeric-aware, so …-10 follows …-9). */
export function listBackups(root: string): Backup[] {
  const backups: Backup[] = [];
  for (const phase of folders(join(root, BACKUPS_DIR))) {
    for (const stamp of folders(join(root, BACKUPS_DIR, phase))) {
      backups.push({ phase, stamp, path: join(BACKUPS_DIR, phase, stamp) });
    }
  }
  return backups;
}

function folders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return []; // No backups yet (or backups/ is not a folder): nothing to list.
  }
}
