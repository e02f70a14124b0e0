/**
 * What one check learned about a server that never starts listening, so the others in
 * the same grading run do not pay for it again.
 *
 * A server stuck in an infinite loop at import, or that never calls listen(), costs each
 * check that starts it the full start deadline (10 s); phase 01 has eight such checks, and
 * phase 06 more. The first check to wait out the deadline writes it down in the run's
 * scratch folder (shared by every check worker of the run); later starts of the same entry
 * file fail at once with the same explanation.
 *
 * Only "alive, but nothing listening when the deadline passed": never a crash (crashes are
 * fast and may depend on the environment a check passes), never a wrong port. A later
 * start with a LONGER deadline than the one that was missed waits for real, so no check is
 * failed by a deadline shorter than its own. The key is the entry's path, modification
 * time and size, so an edited file is never judged by an earlier version.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runScratchDir } from './context.ts';

export interface NeverListened {
  readonly got: string;
  readonly means: string;
  /** The deadline that was missed, in ms. */
  readonly withinMs: number;
  readonly serverOutput: string;
}

/** The earlier verdict for `entry`, if a start with at least `withinMs` of deadline already missed it. */
export function recallNeverListened(entry: string, withinMs: number): NeverListened | undefined {
  const file = memoFile(entry);
  if (file === undefined) return undefined;
  try {
    const memo = JSON.parse(readFileSync(file, 'utf8')) as NeverListened;
    return typeof memo.got === 'string' && typeof memo.withinMs === 'number' && memo.withinMs >= withinMs ? memo : undefined;
  } catch {
    return undefined;
  }
}

export function rememberNeverListened(entry: string, memo: NeverListened): void {
  const file = memoFile(entry);
  if (file === undefined) return;
  try {
    // Write then rename: a worker reading at the same moment sees the whole file or none.
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(partial, JSON.stringify(memo));
    renameSync(partial, file);
  } catch {
    // Only a shortcut: without it, later checks wait out their own deadline.
  }
}

function memoFile(entry: string): string | undefined {
  try {
    const stat = statSync(entry);
    const key = createHash('sha256').update(`${path.resolve(entry)}\0${stat.mtimeMs}\0${stat.size}`).digest('hex').slice(0, 32);
    return path.join(runScratchDir(), `never-listened-${key}.json`);
  } catch {
    return undefined;
  }
}
