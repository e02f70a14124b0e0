/**
 * The folders a batch grades, from `--dir` values and the extra words after them.
 *
 * `--dir submissions/*` in a shell arrives already expanded: one --dir and many words, so
 * words that name folders count as more --dir values. Quoted ('submissions/*'), or on a
 * shell that does not expand, the pattern arrives as is and is expanded here: `*` and `?`
 * within one path segment, any number of segments, folders only, sorted by name.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { isFolder } from '../runner/phase-to-run.ts';

export interface GradedDir {
  readonly dir: string;
  readonly label: string;
}

export function expandDirs(cwd: string, values: readonly string[]): GradedDir[] {
  const out: GradedDir[] = [];
  for (const value of values) {
    if (!/[*?]/.test(value)) {
      const dir = path.resolve(cwd, value);
      if (!isFolder(dir)) throw new UserError(`--dir ${value}: there is no folder ${dir}. Nothing was graded.`);
      out.push({ dir, label: value });
      continue;
    }
    const matches = expandPattern(cwd, value);
    if (matches.length === 0) throw new UserError(`--dir ${value}: no folder matches this pattern (in ${cwd}). Nothing was graded.`);
    out.push(...matches);
  }
  const seen = new Set<string>();
  return out.filter(({ dir }) => (seen.has(dir) ? false : (seen.add(dir), true)));
}

function expandPattern(cwd: string, pattern: string): GradedDir[] {
  const absolute = path.isAbsolute(pattern);
  const segments = pattern.split(/[\\/]+/).filter((s, i) => s !== '' || (i === 0 && absolute));
  let candidates: string[] = [absolute ? path.parse(path.resolve(pattern)).root : ''];
  for (const segment of segments) {
    if (segment === '') continue;
    const next: string[] = [];
    for (const base of candidates) {
      if (!/[*?]/.test(segment)) {
        next.push(path.join(base, segment));
        continue;
      }
      const regex = new RegExp(`^${segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      let names: string[] = [];
      try {
        names = readdirSync(path.resolve(cwd, base || '.'));
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        if (!name.startsWith('.') && regex.test(name)) next.push(path.join(base, name));
      }
    }
    candidates = next;
  }
  return candidates.filter((c) => isFolder(path.resolve(cwd, c))).map((c) => ({ dir: path.resolve(cwd, c), label: c }));
}
