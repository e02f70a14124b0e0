/**
 * compile-once.ts: a folder that can be compiled runs from the compiled output and cannot
 * tell (import.meta.url, argv[1] and stack traces name the .ts files); every folder it
 * cannot reproduce exactly is left to tsx (undefined), each for its own reason, beside a
 * twin that compiles, so every assertion can fail.
 */
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, test } from 'vitest';
import { send } from '../../checks/_client/http.ts';
import { startServer } from '../../checks/_harness/start-server.ts';
import { compiledEntry } from '../../checks/_process/compile-once.ts';
import { usePhaseFolder } from '../support/phase-folder.ts';

const folder = usePhaseFolder('lnh-compile-once-test-', ['LEARN_NODE_HTTP_COMPILE']);
const servers = folder.servers;

beforeEach(() => {
  // A learner's workspace is an ES module package (scaffold.ts): the case that compiles.
  writeFileSync(path.join(folder.root, 'workspace', 'package.json'), '{ "type": "module" }\n');
});

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder.phaseDir, name)), { recursive: true });
    writeFileSync(path.join(folder.phaseDir, name), text);
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
    const compiled = await compiledEntry(folder.phaseDir, path.join(folder.phaseDir, 'server.ts'));
    expect(compiled).toBe(path.join(folder.root, 'scratch', 'compiled', path.basename(path.dirname(compiled!)), 'server.js'));

    const server = await startServer({}, (s) => servers.push(s));
    expect(server.proc.child.spawnargs).toContain(compiled);
    const answer = await send(server, { path: '/' }, 'the label, the URL, argv[1] and the dirname');
    // A dynamic import with a literal path is pointed at the compiled file too.
    expect(readFileSync(path.join(path.dirname(compiled!), 'lib', 'where.js'), 'utf8')).toContain('import("./label.js")');
    expect(answer.text).toBe(['compiled', pathToFileURL(path.join(folder.phaseDir, 'server.ts')).href, path.join(folder.phaseDir, 'server.ts'), path.join(folder.phaseDir, 'lib')].join('|'));

    await send(server, { path: '/boom' }, 'a crash').catch(() => undefined);
    await server.proc.waitForExit(5000);
    expect(server.proc.output).toContain(`${path.join(folder.phaseDir, 'lib', 'helper.ts')}:2:9`);
    expect(server.proc.output).toContain(`${path.join(folder.phaseDir, 'server.ts')}:7:`);
  });

  test('an edited file is compiled again; an unchanged folder is not', async () => {
    write(SPLIT_SERVER);
    const entry = path.join(folder.phaseDir, 'server.ts');
    const first = await compiledEntry(folder.phaseDir, entry);
    expect(await compiledEntry(folder.phaseDir, entry)).toBe(first);
    write({ 'lib/label.ts': "export const label: string = 'edited';\n" });
    utimesSync(path.join(folder.phaseDir, 'lib/label.ts'), new Date(), new Date(Date.now() + 5000));
    const second = await compiledEntry(folder.phaseDir, entry);
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
    expect(await compiledEntry(folder.phaseDir, path.join(folder.phaseDir, 'server.ts'))).toBeDefined();
    rmSync(path.join(folder.root, 'scratch'), { recursive: true, force: true });
    write(files);
    expect(await compiledEntry(folder.phaseDir, path.join(folder.phaseDir, 'server.ts'))).toBeUndefined();
  });

  test('a package that is not an ES module package (tsx would run the files as CommonJS)', async () => {
    write(SPLIT_SERVER);
    writeFileSync(path.join(folder.root, 'workspace', 'package.json'), '{}\n');
    expect(await compiledEntry(folder.phaseDir, path.join(folder.phaseDir, 'server.ts'))).toBeUndefined();
  });

  test('LEARN_NODE_HTTP_COMPILE=off', async () => {
    write(SPLIT_SERVER);
    process.env.LEARN_NODE_HTTP_COMPILE = 'off';
    expect(await compiledEntry(folder.phaseDir, path.join(folder.phaseDir, 'server.ts'))).toBeUndefined();
    const server = await startServer({}, (s) => servers.push(s));
    expect(server.proc.child.spawnargs.some((arg) => arg.includes('tsx'))).toBe(true);
  });
});
