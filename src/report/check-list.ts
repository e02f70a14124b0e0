/**
 * The checks a phase has, read from its check files without running them, so that a phase
 * nobody ran (not submitted) still counts every one of its checks, by name, in every
 * report. A batch prefers the canary's list (a real run of the same checks); this list is
 * what a single folder graded alone has.
 *
 * The course's check files follow one pattern, which test/report/check-list.test.ts holds
 * them to: `describe('<group id>', …)` around `test('<title>', …)` calls whose first
 * argument is a string literal. Ids are made the way the runner makes them (collect.ts):
 * the file stem for a file with one test, "<stem>/<title slug>" otherwise; files in name order.
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

// describe(...) / test(...) / it(...) with an optional modifier chain (test.skipIf(x)(…)),
// then a quoted first argument. The title is a JS string literal: ' " or ` without ${}.
const CALL = /\b(describe|test|it)((?:\.\w+(?:\([^()]*\))?)*)\(\s*(['"`])((?:\\.|(?!\3)[^\\])*)\3/g;

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
    const stem = name.replace(/\.check\.ts$/, '');
    const tests: Array<{ group: string; title: string }> = [];
    let group = '';
    for (const m of readFileSync(full, 'utf8').matchAll(CALL)) {
      const text = unescape(m[4]!);
      if (m[1] === 'describe') {
        if (group === '') group = text;
      } else if (!/\.(todo)\b/.test(m[2] ?? '')) {
        tests.push({ group, title: text });
      }
    }
    for (const t of tests) list.push({ phase: phaseId, id: tests.length > 1 ? `${stem}/${slug(t.title)}` : stem, group: t.group, title: t.title, file });
  }
  cache.set(key, list);
  return list;
}

function unescape(literal: string): string {
  return literal.replace(/\\(.)/g, '$1');
}

/** The same slug the runner makes of a title (collect.ts). */
function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
