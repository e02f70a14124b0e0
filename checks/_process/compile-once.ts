/**
 * Compile once, start fast: the learner's phase folder is compiled to JavaScript once per
 * grading run, and every server of the run starts from that output with plain `node`,
 * instead of each start compiling the folder again under the tsx loader.
 *
 * Why: under tsx, Node 20 runs the module hooks in a worker thread, and each server start
 * costs ~0.3 s of CPU before the learner's first line (~0.35 s until it answers, against
 * ~0.15 s for the compiled output, measured on the 2-core machine). A phase runs a dozen
 * servers, a class hundreds.
 *
 * The learner must not be able to tell. Each `.ts` file becomes one `.js` file in a mirror
 * folder in the run's scratch folder (never in the learner's folder), compiled by esbuild
 * (the compiler tsx itself uses, with the same tsconfig lookup) with an inline source map,
 * and started with --enable-source-maps, so stack traces name their `.ts` files, lines and
 * columns exactly as under tsx. `import.meta.url`, `.filename` and `.dirname` are replaced by
 * the source file's own, so `new URL('./big.json', import.meta.url)` still finds the file
 * next to the source; the preload sets process.argv[1] back to the `.ts` entry.
 *
 * Anything the mirror could not reproduce exactly makes this answer "not compiled", and
 * the server starts under tsx as before, with the same output, errors and code frames:
 * a file that does not compile (tsx reports the syntax error as it always has), a package
 * that is not an ES module package, JavaScript or .mts/.cts/.tsx files among the sources,
 * an import of a package, of a JSON file (tsx needs no import attributes for it, Node does),
 * of something outside the folder or of a file that is not there,
 * a computed dynamic import, and anything that starts or loads code the way tsx must see
 * (child_process, worker_threads, cluster: a child inherits tsx's --import, not ours;
 * require, createRequire, import.meta itself or import.meta.resolve).
 * LEARN_NODE_HTTP_COMPILE=off turns compiling off (everything runs under tsx).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { init, parse } from 'es-module-lexer';
import { runScratchDir } from '../_harness/context.ts';

/** The variable the server preload reads to set process.argv[1] back to the `.ts` entry. */
export const ENTRY_VARIABLE = 'LEARN_NODE_HTTP_TS_ENTRY';

/** Modules whose children or workers would start without tsx under tsx but with our flags here. */
const STARTS_CODE = new Set(['child_process', 'worker_threads', 'cluster']);
/** Source text a mirror cannot reproduce: CommonJS loading, or import.meta beyond url/filename/dirname. */
const NOT_REPRODUCIBLE = /\brequire\s*\(|\bcreateRequire\b|\b__dirname\b|\b__filename\b|\bimport\.meta\b/;
const OTHER_CODE = /\.(?:[mc]?js|jsx|mts|cts|tsx)$/;
/** A folder bigger than this is not a phase folder: leave it to tsx. */
const MAX_SOURCES = 200;
const SKIPPED_FOLDERS = new Set(['node_modules']);

/** The promise per key: every start of the same folder in one check worker shares one compile. */
const compiling = new Map<string, Promise<string | undefined>>();

/**
 * The compiled entry to start with plain `node --enable-source-maps`, or undefined when the
 * folder must run under tsx (see above). Compiled once per run and folder content: the
 * runner compiles each phase folder before the check workers start (src/runner/index.ts),
 * so they find the output ready instead of each compiling it at the same moment.
 */
export async function compiledEntry(folder: string, entry: string, scratchDir: string = runScratchDir()): Promise<string | undefined> {
  if (process.env.LEARN_NODE_HTTP_COMPILE === 'off' || !entry.endsWith('.ts')) return undefined;
  const sources = tsSources(folder);
  const relativeEntry = path.relative(folder, entry);
  if (!sources || !sources.includes(relativeEntry) || !isModulePackage(folder)) return undefined;
  const mirror = path.join(scratchDir, 'compiled', contentKey(folder, sources));
  let compiled = compiling.get(mirror);
  if (!compiled) {
    compiled = existsSync(path.join(mirror, 'package.json')) ? Promise.resolve(mirror) : compileFolder(folder, sources, mirror);
    compiling.set(mirror, compiled);
  }
  const out = await compiled;
  return out === undefined ? undefined : path.join(out, jsName(relativeEntry));
}

/** Relative paths of the folder's `.ts` files, or undefined if it holds other code or too much. */
function tsSources(folder: string): string[] | undefined {
  const found: string[] = [];
  const walk = (dir: string): boolean => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      if (item.name.startsWith('.') || SKIPPED_FOLDERS.has(item.name)) continue;
      const full = path.join(dir, item.name);
      if (item.isDirectory()) {
        if (!walk(full)) return false;
      } else if (OTHER_CODE.test(item.name)) {
        return false;
      } else if (item.name.endsWith('.ts') && !item.name.endsWith('.d.ts')) {
        found.push(path.relative(folder, full));
        if (found.length > MAX_SOURCES) return false;
      }
    }
    return true;
  };
  try {
    return walk(folder) ? found.sort() : undefined;
  } catch {
    return undefined;
  }
}

/** tsx runs `.ts` as ES modules only in a "type": "module" package (else as CommonJS). */
function isModulePackage(folder: string): boolean {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

/** Sources and every tsconfig.json that may apply, by path, size and modification time: an edit makes a new key. */
function contentKey(folder: string, sources: readonly string[]): string {
  const hash = createHash('sha256').update(`${process.version}\0${path.resolve(folder)}`);
  const configs: string[] = [];
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    configs.push(path.join(dir, 'tsconfig.json'));
    if (path.dirname(dir) === dir) break;
  }
  for (const file of [...sources.map((source) => path.join(folder, source)), ...configs]) {
    try {
      const stat = statSync(file);
      hash.update(`\0${file}\0${stat.size}\0${stat.mtimeMs}`);
    } catch {
      hash.update(`\0${file}\0-`);
    }
  }
  return hash.digest('hex').slice(0, 24);
}

function jsName(relative: string): string {
  return relative.replace(/\.ts$/, '.js');
}

/** Compiles into a private folder, then renames it into place: a worker sees all of the mirror or none. */
async function compileFolder(folder: string, sources: readonly string[], mirror: string): Promise<string | undefined> {
  const partial = `${mirror}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await init();
    const outputs = new Map<string, string>();
    for (const source of sources) {
      const code = await compileFile(folder, source, path.join(mirror, jsName(source)));
      const linked = code === undefined ? undefined : linkImports(folder, source, code, sources);
      if (linked === undefined) return undefined;
      outputs.set(jsName(source), linked);
    }
    for (const [file, code] of outputs) {
      mkdirSync(path.dirname(path.join(partial, file)), { recursive: true });
      writeFileSync(path.join(partial, file), code);
    }
    writeFileSync(path.join(partial, 'package.json'), '{ "type": "module" }\n');
    try {
      renameSync(partial, mirror);
    } catch {
      // Another worker of the run got there first with the same content.
      if (!existsSync(path.join(mirror, 'package.json'))) return undefined;
    }
    return mirror;
  } catch {
    return undefined;
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/** One file to JavaScript, or undefined if it does not compile or holds what a mirror cannot reproduce. */
async function compileFile(folder: string, source: string, outfile: string): Promise<string | undefined> {
  const file = path.join(folder, source);
  const text = readFileSync(file, 'utf8');
  if (NOT_REPRODUCIBLE.test(text.replace(/\bimport\.meta\.(?:url|filename|dirname)\b/g, ''))) return undefined;
  try {
    const result = await build({
      entryPoints: [file],
      outfile,
      write: false,
      bundle: false,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node}`,
      sourcemap: 'inline',
      logLevel: 'silent',
      define: {
        'import.meta.url': JSON.stringify(pathToFileURL(file).href),
        'import.meta.filename': JSON.stringify(file),
        'import.meta.dirname': JSON.stringify(path.dirname(file)),
      },
    });
    return result.outputFiles.find((output) => output.path.endsWith('.js'))?.text;
  } catch {
    return undefined;
  }
}

/**
 * The compiled file with every import pointed where Node will find it without tsx: another
 * compiled file by its relative `.js` path, a built-in as written. Undefined for any other
 * import (a package, a JSON file, a file outside the folder or not there).
 */
function linkImports(folder: string, source: string, code: string, sources: readonly string[]): string | undefined {
  const [imports] = parse(code);
  let linked = '';
  let last = 0;
  for (const found of imports) {
    if (found.type === 'import-meta') return undefined;
    const specifier = found.specifier;
    if (specifier === undefined || (found.type === 'dynamic' && found.glob)) return undefined;
    const target = targetOf(folder, source, specifier, sources);
    if (target === undefined) return undefined;
    if (target === specifier) continue;
    // A dynamic import's span includes the quotes, a static one's does not.
    const quoted = found.type === 'dynamic';
    linked += code.slice(last, found.start) + (quoted ? JSON.stringify(target) : target);
    last = found.end;
  }
  return linked + code.slice(last);
}

/** Where `specifier` (written in `source`) must point in the mirror, or undefined if it cannot be pointed exactly. */
function targetOf(folder: string, source: string, specifier: string, sources: readonly string[]): string | undefined {
  if (isBuiltin(specifier)) return STARTS_CODE.has(specifier.replace(/^node:/, '')) ? undefined : specifier;
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const from = path.dirname(path.join(folder, source));
  const resolved = path.resolve(from, specifier);
  const candidates = specifier.endsWith('.ts')
    ? [resolved]
    : specifier.endsWith('.js')
      ? [resolved.replace(/\.js$/, '.ts')]
      : [`${resolved}.ts`, path.join(resolved, 'index.ts')];
  for (const candidate of candidates) {
    const relative = path.relative(folder, candidate);
    if (!sources.includes(relative)) continue;
    const link = path.relative(path.dirname(source), jsName(relative)).split(path.sep).join('/');
    return link.startsWith('.') ? link : `./${link}`;
  }
  // A JSON or other file: tsx loads it without import attributes, Node does not.
  return undefined;
}

