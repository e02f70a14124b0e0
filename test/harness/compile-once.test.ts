/**
 * compile-once.ts: a folder that can be compiled runs from the compiled output and cannot
 * tell (import.meta.url, argv[1] and stack traces name the .ts files); every folder it
 * cannot reproduce exactly is left to tsx (undefined), each for its own reason, beside a
 * twin that compiles, so every assertion can fail.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { compiledEntry } from '../../checks/_harness/compile-once.ts';
import { send } from '../../checks/_harness/http.ts';
import { stopAll } from '../../checks/_harness/processes.ts';
import { startServer, type RunningServer } from '../../checks/_harness/start-server.ts';

const ENV_NAMES = ['LEARN_NODE_HTTP_TARGET_DIR', 'LEARN_NODE_HTTP_PHASE', 'LEARN_NODE_HTTP_ENTRY', 'LEARN_NODE_HTTP_SCRATCH', 'LEARN_NODE_HTTP_COMPILE'] as const;
const saved = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
const servers: RunningServer[] = [];
let root = '';
let phaseDir = '';

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'lnh-compile-once-test-'));
  phaseDir = path.join(root, 'workspace', '01-test');
  mkdirSync(phaseDir, { recursive: true });
  writeFileSync(path.join(root, 'workspace', 'package.json'), '{ "type": "module" }\n');
  process.env.LEARN_NODE_HTTP_TARGET_DIR = phaseDir;
  process.env.LEARN_NODE_HTTP_PHASE = '01-test';
  process.env.LEARN_NODE_HTTP_ENTRY = 'server.ts';
  process.env.LEARN_NODE_HTTP_SCRATCH = path.join(root, 'scratch');
  delete process.env.LEARN_NODE_HTTP_COMPILE;
});

afterEach(async () => {
  await stopAll(servers.splice(0).map((server) => server.proc));
  rmSync(root, { recursive: true, force: true });
});

afterAll(() => {
  for (const name of ENV_NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(phaseDir, name)), { recursive: true });
    writeFileSync(path.join(phaseDir, name), text);
  }
}

/** A server over four modules, imported as `.js`, `.ts`, without an extension and dynamically. */
const SPLIT_SERVER = {
  'server.ts': [
    "import { createServer } from 'node:http';",
    "import { boom } from './lib/helper.js';",
    "import { label } from './lib/label.ts';",
    "import { where } from './lib/where';",
    'interface Reply { readonly text: string }',
    'const server = createServer((req, res) => {',
    "  if (req.url === '/boom') boom();",
    "  const reply: Reply = { text: [label, import.meta.url, process.argv[1], where()].join('|') };",
    '  res.end(reply.text);',
    '});',
    'server.listen(Number(process.env.PORT));',
    '',
  ].join('\n'),
  'lib/helper.ts': ['export function boom(): never {', "  throw new Error('boom from the helper');", '}', ''].join('\n'),
  'lib/label.ts': "export const label: string = 'compiled';\n",
  'lib/where.ts': "export const where = (): string => import.meta.dirname;\nexport const later = async (): Promise<string> => (await import('./label.ts')).label;\n",
};

describe('a folder that compiles', () => {
  test('runs from the compiled output, and import.meta, argv[1] and stack traces name the .ts files', async () => {
    write(SPLIT_SERVER);
    const compiled = await compiledEntry(phaseDir, path.join(phaseDir, 'server.ts'));
    expect(compiled).toBe(path.join(root, 'scratch', 'compiled', path.basename(path.dirname(compiled!)), 'server.js'));

    const server = await startServer({}, (s) => servers.push(s));
    expect(server.proc.child.spawnargs).toContain(compiled);
    const answer = await send(server, { path: '/' }, 'the label, the URL, argv[1] and the dirname');
    // A dynamic import with a literal path is pointed at the compiled file too.
    expect(readFileSync(path.join(path.dirname(compiled!), 'lib', 'where.js'), 'utf8')).toContain('import("./label.js")');
    expect(answer.text).toBe(['compiled', pathToFileURL(path.join(phaseDir, 'server.ts')).href, path.join(phaseDir, 'server.ts'), path.join(phaseDir, 'lib')].join('|'));

    await send(server, { path: '/boom' }, 'a crash').catch(() => undefined);
    await server.proc.waitForExit(5000);
    expect(server.proc.output).toContain(`${path.join(phaseDir, 'lib', 'helper.ts')}:2:9`);
    expect(server.proc.output).toContain(`${path.join(phaseDir, 'server.ts')}:7:`);
  });

  test('an edited file is compiled again; an unchanged folder is not', async () => {
    write(SPLIT_SERVER);
    const entry = path.join(phaseDir, 'server.ts');
    const first = await compiledEntry(phaseDir, entry);
    expect(await compiledEntry(phaseDir, entry)).toBe(first);
    write({ 'lib/label.ts': "export const label: string = 'edited';\n" });
    utimesSync(path.join(phaseDir, 'lib/label.ts'), new Date(), new Date(Date.now() + 5000));
    const second = await compiledEntry(phaseDir, entry);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });
});

describe('a folder the compiled output could not reproduce exactly runs under tsx', () => {
  const cases: [string, Record<string, string>][] = [
    ['a syntax error (tsx reports it, as always)', { 'lib/label.ts': 'export const label: string = ;\n' }],
    ['a package import', { 'lib/label.ts': "import chalk from 'chalk';\nexport const label = String(chalk);\n" }],
    ['a JSON import', { 'lib/label.ts': "import data from './data.json';\nexport const label = String(data);\n", 'lib/data.json': '1' }],
    ['a child process (it would not inherit tsx)', { 'lib/label.ts': "import { fork } from 'node:child_process';\nexport const label = String(fork);\n" }],
    ['a computed dynamic import', { 'lib/label.ts': "const name = './where.ts';\nexport const label = String(await import(name));\n" }],
    ['require()', { 'lib/label.ts': "export const label = String(typeof require === 'function' && require('node:os'));\n" }],
    ['import.meta.resolve', { 'lib/label.ts': "export const label = import.meta.resolve('./where.ts');\n" }],
    ['a file outside the folder', { 'lib/label.ts': "export { label } from '../../outside.ts';\n" }],
    ['a missing file', { 'lib/label.ts': "export { label } from './nowhere.ts';\n" }],
    ['JavaScript beside the TypeScript', { 'lib/extra.js': 'export const x = 1;\n' }],
  ];
  test.each(cases)('%s', async (_reason, files) => {
    write(SPLIT_SERVER);
    expect(await compiledEntry(phaseDir, path.join(phaseDir, 'server.ts'))).toBeDefined();
    rmSync(path.join(root, 'scratch'), { recursive: true, force: true });
    write(files);
    expect(await compiledEntry(phaseDir, path.join(phaseDir, 'server.ts'))).toBeUndefined();
  });

  test('a package that is not an ES module package (tsx would run the files as CommonJS)', async () => {
    write(SPLIT_SERVER);
    writeFileSync(path.join(root, 'workspace', 'package.json'), '{}\n');
    expect(await compiledEntry(phaseDir, path.join(phaseDir, 'server.ts'))).toBeUndefined();
  });

  test('LEARN_NODE_HTTP_COMPILE=off', async () => {
    write(SPLIT_SERVER);
    process.env.LEARN_NODE_HTTP_COMPILE = 'off';
    expect(await compiledEntry(phaseDir, path.join(phaseDir, 'server.ts'))).toBeUndefined();
    const server = await startServer({}, (s) => servers.push(s));
    expect(server.proc.child.spawnargs.some((arg) => arg.includes('tsx'))).toBe(true);
  });
});
