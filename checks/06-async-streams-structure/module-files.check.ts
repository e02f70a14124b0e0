// The single file becomes six, each with one job, and the imports between them point
// one way: main -> server -> router -> handlers -> (store, http-helpers). Read from the
// source with a parser, never by running it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { check } from '../_harness/check.ts';
import { submission } from '../_harness/context.ts';
import { fail } from '../_harness/failures.ts';
import { reachableImports, readImportGraph, type ImportEdge } from './_import-graph.ts';
import { once } from '../_harness/once.ts';

/** Lower layers never import higher ones; store and http-helpers share the bottom. */
const LAYER: Readonly<Record<string, number>> = { 'store.ts': 0, 'http-helpers.ts': 0, 'handlers.ts': 1, 'router.ts': 2, 'server.ts': 3, 'main.ts': 4 };
const MODULES = Object.keys(LAYER);
const HTTP = /^(node:)?(http|https|http2|net)$/;

const graph = once(async () => {
  const { dir } = submission();
  const missing = MODULES.filter((file) => !existsSync(path.join(dir, file)));
  return { dir, missing, graph: await readImportGraph(dir, MODULES) };
});

async function importsOf(file: string) {
  const { dir, missing, graph: g } = await graph();
  if (missing.includes(file)) {
    fail({ expected: `${file} in ${dir}`, got: `${file} does not exist yet`, means: 'this check reads the module split; create the six files first (see the first module-split check)' });
  }
  const reason = g.unreadable.get(file);
  if (reason) fail({ expected: `${file} to parse as TypeScript`, got: reason, means: 'a syntax error: run npx tsc --noEmit in the phase folder' });
  return reachableImports(g, file);
}

function quote({ edge, chain }: { edge: ImportEdge; chain: string[] }): string {
  const via = chain.length > 1 ? ` (reached through ${chain.join(' -> ')})` : '';
  return `${edge.from} line ${edge.line}: ${edge.statement}${via}`;
}

check({ id: 'module-files/the-service-is-split-into-store-ts-http-helpers-ts-handlers-', group: 'module-split', title: 'the service is split into store.ts, http-helpers.ts, handlers.ts, router.ts, server.ts and main.ts' }, async () => {
  const { dir, missing } = await graph();
  if (missing.length > 0) {
    fail({
      expected: `all six files in ${dir}`,
      got: `missing: ${missing.join(', ')}`,
      means: 'store = data, http-helpers = readJson/sendJson, handlers = operations, router = dispatch, server = builds and exports the server, main = listen + shutdown',
    });
  }
});

check({ id: 'module-files/store-ts-knows-no-http-it-imports-neither-node-http-nor-any-', group: 'module-split', title: 'store.ts knows no HTTP: it imports neither node:http nor any other module of the app' }, async () => {
  const bad = (await importsOf('store.ts')).find(({ edge }) => HTTP.test(edge.specifier) || (edge.to !== undefined && MODULES.includes(edge.to)));
  if (bad) {
    fail({ expected: 'store.ts to import only data-level modules (node:crypto, node:timers...)', got: quote(bad), means: 'the data layer must not depend on the web layer: pass plain values in and out, and let the handlers do HTTP' });
  }
});

check({ id: 'module-files/http-helpers-ts-knows-nothing-of-the-store-the-handlers-the-', group: 'module-split', title: 'http-helpers.ts knows nothing of the store, the handlers, the router or the server' }, async () => {
  const bad = (await importsOf('http-helpers.ts')).find(({ edge }) => edge.to !== undefined && MODULES.includes(edge.to));
  if (bad) {
    fail({ expected: 'http-helpers.ts to import only node: modules', got: quote(bad), means: 'readJson and sendJson work for any resource: take what they need as parameters instead of importing app modules' });
  }
});

check({ id: 'module-files/imports-point-one-way-main-server-router-handlers-store-and-', group: 'module-split', title: 'imports point one way: main -> server -> router -> handlers -> store and http-helpers' }, async () => {
  for (const file of MODULES) {
    const bad = (await importsOf(file)).find(({ edge }) => edge.to !== undefined && edge.to in LAYER && edge.to !== file && LAYER[edge.to]! >= LAYER[file]!);
    if (bad) {
      fail({ expected: `${file} to import only modules below it (main -> server -> router -> handlers -> store, http-helpers)`, got: quote(bad), means: 'an import that points back up couples the layers in a circle: move the shared piece down' });
    }
  }
});
