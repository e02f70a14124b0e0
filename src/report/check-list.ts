/**
 * The checks a phase has, read from its check files without running them, so that a phase
 * nobody ran (not submitted) still counts every one of its checks, by name, in every
 * report. A batch prefers the canary's list (a real run of the same checks); this list is
 * what a single folder graded alone has.
 *
 * The course's checks are declared one way (checks/_harness/check.ts), which
 * test/course-lint.test.ts holds them to: `check({ id: '…', group: '…', title: '…' }, …)`
 * with the three fields as string literals in that order. Files in name order, checks in
 * the order they are written, as the runner reports them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ListedCheck {
  readonly phase: string;
  readonly id: string;
  readonly group: string;
  readonly title: string;
  /** Path of the check file relative to the package, as results carry it. */
  readonly file: string;
}

const cache = new Map<string, readonly ListedCheck[]>();

// check({ id: '…', group: '…', title: '…' }, …): each field a JS string literal (' " or ` without ${}).
// Group n is the quote, n + 1 the text (backreference \n closes it).
const literal = (n: number): string => `(['"\`])((?:\\\\.|(?!\\${n})[^\\\\])*)\\${n}`;
export const CHECK_CALL = new RegExp(`\\bcheck\\(\\s*\\{\\s*id:\\s*${literal(1)},\\s*group:\\s*${literal(3)},\\s*title:\\s*${literal(5)}`, 'g');

export function listChecks(phaseId: string, checksDir: string): readonly ListedCheck[] {
  const key = path.resolve(checksDir);
  const known = cache.get(key);
  if (known) return known;
  const list: ListedCheck[] = [];
  const packageRoot = path.dirname(path.dirname(key));
  const files = existsSync(key) ? readdirSync(key).filter((name) => name.endsWith('.check.ts')) : [];
  for (const name of files.sort((a, b) => path.join(key, a).localeCompare(path.join(key, b)))) {
    const full = path.join(key, name);
    const file = path.relative(packageRoot, full).split(path.sep).join('/');
    for (const m of readFileSync(full, 'utf8').matchAll(CHECK_CALL)) {
      list.push({ phase: phaseId, id: unescape(m[2]!), group: unescape(m[4]!), title: unescape(m[6]!), file });
    }
  }
  cache.set(key, list);
  return list;
}

function unescape(literal: string): string {
  return literal.replace(/\\(.)/g, '$1');
}
