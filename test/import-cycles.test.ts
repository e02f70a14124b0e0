/**
 * No import cycles in the tool or the checks (what `npx madge --circular --extensions ts src
 * checks` reports, without the extra dependency). Type-only imports count too: a cycle of
 * types still means two modules that cannot be read or moved one without the other.
 *
 * Imports are read with a regular expression over `import … from '…'`, `export … from '…'`
 * and `import('…')` of relative specifiers: the code base writes them one way, and a miss
 * here could only hide a cycle, never invent one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const TREES = ['src', 'checks'];
const SOURCE = /\.(?:ts|mts|mjs)$/;
const SPECIFIER = /(?:\bimport\s+(?:type\s+)?[^'";]*?\bfrom\s*|\bexport\s+(?:type\s+)?[^'";]*?\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  // Comment lines go (a doc comment may quote an import); a block-comment regex would not do,
  // since a string such as 'submissions/*' would open a "comment".
  const text = readFileSync(file, 'utf8').replace(/^\s*(?:\/\/|\/\*|\*).*$/gm, '');
  return [...text.matchAll(SPECIFIER)].map((m) => path.resolve(path.dirname(file), m[1]!));
}

/** Every cycle, each once, as a list of files relative to the project (Tarjan's SCCs, then one loop in each). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) found.push(component.map((f) => path.relative(ROOT, f)).sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('import cycles', () => {
  test('src/ and checks/ import each other without a cycle', () => {
    const graph = new Map<string, string[]>();
    for (const tree of TREES) for (const file of filesUnder(path.join(ROOT, tree))) graph.set(file, importsOf(file));
    expect(graph.size).toBeGreaterThan(50);
    expect(cycles(graph)).toEqual([]);
  });

  test('the cycle finder finds a cycle (it can fail)', () => {
    const a = path.join(ROOT, 'a.ts');
    const b = path.join(ROOT, 'b.ts');
    const c = path.join(ROOT, 'c.ts');
    expect(cycles(new Map([[a, [b]], [b, [a, c]], [c, []]]))).toEqual([['a.ts', 'b.ts']]);
  });
});
