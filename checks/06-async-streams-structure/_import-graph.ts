/**
 * The import graph of a learner's folder, read from source without running it.
 *
 * es-module-lexer parses TypeScript directly, reports type-only imports (which count:
 * `import type { Message } from './store.ts'` still couples two modules) and is not
 * fooled by import-looking text in strings or comments. Relative specifiers may be
 * written `./store.ts`, `./store.js` or `./store`; all name the same module.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { init, parse } from 'es-module-lexer';

export interface ImportEdge {
  /** Path relative to the folder, e.g. "handlers.ts". */
  readonly from: string;
  /** The specifier as written, e.g. "./store.js" or "node:http". */
  readonly specifier: string;
  /** For relative specifiers that resolve inside the folder: the file, e.g. "store.ts". */
  readonly to?: string;
  /** The import statement, for quoting back to the learner. */
  readonly statement: string;
  readonly line: number;
}

export interface ImportGraph {
  readonly dir: string;
  /** Parsed files (relative paths) and their imports. */
  readonly files: ReadonlyMap<string, readonly ImportEdge[]>;
  /** Files that could not be parsed, with the reason. */
  readonly unreadable: ReadonlyMap<string, string>;
}

/** Parses `roots` and every local file they reach. */
export async function readImportGraph(dir: string, roots: readonly string[]): Promise<ImportGraph> {
  await init();
  const files = new Map<string, ImportEdge[]>();
  const unreadable = new Map<string, string>();
  const queue = roots.filter((root) => existsSync(path.join(dir, root)));
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.has(file) || unreadable.has(file)) continue;
    let source: string;
    try {
      source = await readFile(path.join(dir, file), 'utf8');
    } catch (error) {
      unreadable.set(file, (error as Error).message);
      continue;
    }
    let edges: ImportEdge[];
    try {
      edges = edgesOf(dir, file, source);
    } catch (error) {
      unreadable.set(file, (error as Error).message);
      continue;
    }
    files.set(file, edges);
    for (const edge of edges) if (edge.to && !files.has(edge.to)) queue.push(edge.to);
  }
  return { dir, files, unreadable };
}

function edgesOf(dir: string, file: string, source: string): ImportEdge[] {
  const [imports] = parse(source, file);
  const edges: ImportEdge[] = [];
  for (const entry of imports) {
    if (entry.type === 'import-meta' || entry.specifier === undefined || entry.specifier === null) continue;
    const specifier = entry.specifier;
    edges.push({
      from: file,
      specifier,
      to: specifier.startsWith('.') ? resolveLocal(dir, file, specifier) : undefined,
      statement: source.slice(entry.importStart, entry.importEnd).replace(/\s+/g, ' ').trim(),
      line: source.slice(0, entry.importStart).split('\n').length,
    });
  }
  return edges;
}

/** "./store.js" from "handlers.ts" -> "store.ts" (when that file exists). */
function resolveLocal(dir: string, from: string, specifier: string): string | undefined {
  const base = path.join(path.dirname(from), specifier);
  const stem = base.replace(/\.(?:[cm]?js|[cm]?ts)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.mts`, `${stem}.js`, path.join(base, 'index.ts')]) {
    if (statSync(path.join(dir, candidate), { throwIfNoEntry: false })?.isFile()) {
      return candidate.split(path.sep).join('/');
    }
  }
  return undefined;
}

/**
 * Every import reachable from `start`, each with the chain that led to it
 * (["store.ts", "db.ts"] means store.ts imports db.ts, which has the import).
 */
export function reachableImports(graph: ImportGraph, start: string): { edge: ImportEdge; chain: string[] }[] {
  const found: { edge: ImportEdge; chain: string[] }[] = [];
  const seen = new Set<string>([start]);
  const walk = (file: string, chain: string[]) => {
    for (const edge of graph.files.get(file) ?? []) {
      found.push({ edge, chain });
      if (edge.to && !seen.has(edge.to)) {
        seen.add(edge.to);
        walk(edge.to, [...chain, edge.to]);
      }
    }
  };
  walk(start, [start]);
  return found;
}
