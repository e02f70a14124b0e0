/**
 * The instructor part of COURSE.md: the GitHub Actions workflow is valid YAML of the shape
 * the autograding reporter insists on, its shell steps do what the text says (the verify
 * exit code does not stop the job; the result reaches the reporter's environment variable
 * intact), and the version pins and the grader path match the package.
 *
 * No YAML parser is installed, so a small one for the subset a workflow uses (maps, lists,
 * plain and quoted scalars) stands in; it throws on anything outside that subset, which is
 * itself a sanity check: tabs, uneven indentation, duplicate keys, a plain scalar that YAML
 * would read differently (": " or " #" inside, a leading indicator).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderClassroom, type ClassroomResults } from '../../src/report/classroom.ts';
import { isReporter } from '../../src/report/index.ts';
import { P1, P2, missing, phases, report, run, suite } from './fixtures.ts';
import { runGradingReporter } from './grading-reporter.ts';

const root = new URL('../../', import.meta.url).pathname;
const course = readFileSync(join(root, 'COURSE.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

type Yaml = string | number | boolean | Yaml[] | { [key: string]: Yaml };

interface Line {
  readonly indent: number;
  readonly text: string;
  readonly no: number;
}

/** Parses the YAML subset GitHub workflows use here; throws, naming the line, on anything else. */
function parseYamlSubset(source: string): Yaml {
  const lines: Line[] = [];
  // Literal block scalars ("key: |") are cut out first: their lines are text, not structure.
  const blocks: string[] = [];
  const raw = source.split('\n');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i]!.includes('\t')) throw new Error(`line ${i + 1}: a tab (YAML indents with spaces only)`);
    const text = raw[i]!.trimEnd();
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    const indent = text.length - text.trimStart().length;
    const literal = /^(.*:) \|(-?)$/.exec(text.trimStart());
    if (literal) {
      // The key's own column: "- run: |" puts the key two columns after the dash.
      const keyIndent = indent + (/^(- )*/.exec(text.trimStart())![0].length);
      const body: string[] = [];
      while (i + 1 < raw.length && (raw[i + 1]!.trim() === '' || raw[i + 1]!.length - raw[i + 1]!.trimStart().length > keyIndent)) body.push(raw[++i]!);
      while (body.length > 0 && body.at(-1)!.trim() === '') body.pop();
      if (body.length === 0) throw new Error(`line ${i + 1}: an empty block scalar`);
      const margin = body[0]!.length - body[0]!.trimStart().length;
      if (body.some((l) => l.trim() !== '' && l.length - l.trimStart().length < margin)) throw new Error(`line ${i + 1}: a block scalar line is indented less than its first line`);
      blocks.push(body.map((l) => l.slice(margin)).join('\n') + (literal[2] === '-' ? '' : '\n'));
      lines.push({ indent, text: `${literal[1]} \u0000${blocks.length - 1}`, no: i + 1 });
      continue;
    }
    lines.push({ indent, text: text.trimStart(), no: i + 1 });
  }
  let at = 0;

  function block(indent: number): Yaml {
    return lines[at]!.text.startsWith('- ') ? list(indent) : map(indent);
  }

  function map(indent: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    while (at < lines.length && lines[at]!.indent === indent && !lines[at]!.text.startsWith('- ')) {
      const line = lines[at]!;
      const m = /^([A-Za-z0-9_.-]+):(?: (.*))?$/.exec(line.text);
      if (!m) throw new Error(`line ${line.no}: expected "key: value", got ${JSON.stringify(line.text)}`);
      const key = m[1]!;
      if (key in out) throw new Error(`line ${line.no}: duplicate key ${key}`);
      at++;
      if (m[2] !== undefined && m[2] !== '') {
        out[key] = scalar(m[2], line.no);
      } else {
        const next = lines[at];
        if (next === undefined || next.indent <= indent) throw new Error(`line ${line.no}: ${key} has no value`);
        out[key] = block(next.indent);
      }
    }
    if (at < lines.length && lines[at]!.indent > indent) throw new Error(`line ${lines[at]!.no}: unexpected indentation`);
    return out;
  }

  function list(indent: number): Yaml[] {
    const out: Yaml[] = [];
    while (at < lines.length && lines[at]!.indent === indent && lines[at]!.text.startsWith('- ')) {
      const line = lines[at]!;
      const item = line.text.slice(2);
      if (/^[A-Za-z0-9_.-]+:( |$)/.test(item)) {
        // "- key: value" opens a map whose other keys sit two columns further in.
        lines[at] = { indent: indent + 2, text: item, no: line.no };
        out.push(map(indent + 2));
      } else {
        out.push(scalar(item, line.no));
        at++;
      }
    }
    return out;
  }

  function scalar(text: string, no: number): Yaml {
    if (text.startsWith('\u0000')) return blocks[Number(text.slice(1))]!;
    if (text.startsWith('"')) {
      if (!text.endsWith('"') || text.length < 2) throw new Error(`line ${no}: unterminated double-quoted string`);
      return JSON.parse(text) as string;
    }
    if (text.startsWith("'")) {
      if (!text.endsWith("'") || text.length < 2) throw new Error(`line ${no}: unterminated single-quoted string`);
      return text.slice(1, -1).replace(/''/g, "'");
    }
    if (/^[[\]{}&*!|>%@`,?:-]( |$)|^[[\]{}&*!|>%@`]/.test(text)) throw new Error(`line ${no}: ${JSON.stringify(text)} starts with a YAML indicator; quote it`);
    if (text.includes(': ') || text.includes(' #')) throw new Error(`line ${no}: ${JSON.stringify(text)} would not read as one plain string; quote it`);
    if (/^\d+$/.test(text)) return Number(text);
    if (text === 'true' || text === 'false') return text === 'true';
    return text;
  }

  const doc = block(0);
  if (at < lines.length) throw new Error(`line ${lines[at]!.no}: unexpected indentation`);
  return doc;
}

/** The ```yaml block under the "GitHub Classroom" heading. */
function workflowSource(): string {
  const section = course.slice(course.indexOf('### GitHub Classroom'));
  const m = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('COURSE.md: no ```yaml block under "### GitHub Classroom"');
  return m[1]!;
}

type Step = { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, Yaml>; env?: Record<string, string> };

/** Runs one step's shell the way GitHub's ubuntu runners do: bash -e -o pipefail. */
function runStep(script: string, cwd: string, env: Record<string, string>): { code: number | null; stderr: string } {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 10_000 });
  return { code: r.status, stderr: r.stderr };
}

describe('the YAML subset parser', () => {
  it('reads maps, lists and scalars, and refuses what it does not understand', () => {
    expect(parseYamlSubset('a: 1\nb:\n  - x\n  - k: "v"\n    n: two\nc:\n  d: true\n')).toEqual({ a: 1, b: ['x', { k: 'v', n: 'two' }], c: { d: true } });
    expect(() => parseYamlSubset('a:\n\tb: 1\n')).toThrow(/tab/);
    expect(() => parseYamlSubset('a: 1\na: 2\n')).toThrow(/duplicate key a/);
    expect(() => parseYamlSubset('a:\n  b: 1\n   c: 2\n')).toThrow(/indentation/);
    expect(() => parseYamlSubset('a: echo x: y\n')).toThrow(/quote it/);
    expect(() => parseYamlSubset('a: ${{ x }}\n')).not.toThrow();
    expect(() => parseYamlSubset('a: "open\n')).toThrow(/unterminated/);
    expect(parseYamlSubset('- run: |\n    one\n\n    # not a comment\n  id: x\n')).toEqual([{ run: 'one\n\n# not a comment\n', id: 'x' }]);
  });
});

describe('the GitHub Classroom workflow in COURSE.md', () => {
  const doc = parseYamlSubset(workflowSource()) as Record<string, Yaml>;
  const jobs = doc['jobs'] as Record<string, { 'runs-on': string; steps: Step[] }>;
  const steps = jobs['run-autograding-tests']?.steps ?? [];
  const reporter = steps.at(-1)!;

  it('has the name and the single job the reporter requires', () => {
    expect(doc['name']).toBe('Autograding Tests');
    expect(Object.keys(jobs)).toEqual(['run-autograding-tests']);
    expect(doc['on']).toEqual(expect.arrayContaining(['push']));
    expect(jobs['run-autograding-tests']!['runs-on']).toBe('ubuntu-latest');
  });

  it('checks out, sets up Node 24 and runs a pinned verify with the classroom reporter, its exit code ignored', () => {
    expect(steps[0]!.uses).toMatch(/^actions\/checkout@v\d+$/);
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(node?.with?.['node-version']).toBe(24);
    const verify = steps.find((s) => s.run?.includes(' verify '));
    expect(verify?.run).toBe(`npx --yes learn-node-http@${manifest.version} verify --all --reporter classroom --out classroom.json || true`);
    expect(isReporter('classroom')).toBe(true);
  });

  it('hands each runner its <ID IN CAPITALS>_RESULTS variable from a step that writes `result`', () => {
    expect(reporter.uses).toBe('classroom-resources/autograding-grading-reporter@v1');
    // The action splits `runners` on commas and white space, upper-cases each id and appends _RESULTS (src/main.js).
    const runners = String(reporter.with?.['runners']).split(/[\s,]/).filter(Boolean);
    expect(runners).toEqual(['learn-node-http']);
    for (const runner of runners) {
      const value = reporter.env?.[`${runner.trim().toUpperCase()}_RESULTS`];
      expect(value, `env ${runner.toUpperCase()}_RESULTS`).toBeDefined();
      const ref = /^\$\{\{ steps\.([A-Za-z0-9_-]+)\.outputs\.result \}\}$/.exec(value!);
      expect(ref, value).not.toBeNull();
      const producer = steps.find((s) => s.id === ref![1]);
      expect(producer?.run).toMatch(/"result=.*" >> "\$GITHUB_OUTPUT"/);
      expect(steps.indexOf(producer!)).toBeLessThan(steps.indexOf(reporter));
    }
  });

  it('run for real in bash: a failing verify does not stop the job, and the result arrives intact', () => {
    const work = mkdtempSync(join(tmpdir(), 'lnh-workflow-'));
    made.push(work);
    // A stand-in npx: writes the report a real verify would, then exits 1 (a check failed).
    const result = renderClassroom([report('.', [run(P1, ['pass', 'fail', 'pass']), missing(P2)])], phases, suite);
    writeFileSync(join(work, 'report.json'), result);
    writeFileSync(join(work, 'npx'), `#!/bin/sh\necho "$@" > "${work}/npx-args"\ncp "${work}/report.json" classroom.json\nexit 1\n`);
    chmodSync(join(work, 'npx'), 0o755);
    const output = join(work, 'github-output');
    writeFileSync(output, '');
    const env = { PATH: `${work}:${process.env.PATH ?? ''}`, GITHUB_OUTPUT: output };

    const verify = steps.find((s) => s.run?.includes(' verify '))!;
    expect(runStep(verify.run!, work, env).code).toBe(0);
    expect(readFileSync(join(work, 'npx-args'), 'utf8').trim()).toBe(`--yes learn-node-http@${manifest.version} verify --all --reporter classroom --out classroom.json`);
    // Without "|| true" the same stand-in fails the step: the guard is what keeps the job going.
    expect(runStep(verify.run!.replace(' || true', ''), work, env).code).toBe(1);

    const encode = steps.find((s) => s.id === 'learn-node-http')!;
    const r = runStep(encode.run!, work, env);
    expect(r.code, r.stderr).toBe(0);
    const written = readFileSync(output, 'utf8').trimEnd().split('\n');
    expect(written).toHaveLength(1);
    const [, encoded] = /^result=(.*)$/.exec(written[0]!) ?? [];
    // What the action does with the variable: base64-decode, JSON.parse, add up the scores.
    const seen = JSON.parse(Buffer.from(encoded!, 'base64').toString('utf-8')) as ClassroomResults;
    expect(seen).toEqual(JSON.parse(result));
    expect(seen.max_score).toBe(5);
    // The reporter step itself, with the runners input and the env the workflow gives it.
    const stepEnv = Object.fromEntries(Object.entries(reporter.env ?? {}).map(([name, value]) => [name, value.includes('steps.learn-node-http.outputs.result') ? encoded : value]));
    const action = runGradingReporter(String(reporter.with?.['runners']), stepEnv);
    expect(action).toMatchObject({ recorded: 'Points 2/5', failed: 'Some tests failed.' });
    expect(action.log).toEqual(['Total points for learn-node-http: 2.00/5']);

    // And if verify wrote nothing at all, the encode step fails loudly instead of reporting nothing.
    rmSync(join(work, 'classroom.json'));
    expect(runStep(encode.run!, work, env).code).not.toBe(0);
  });
});

describe('the rest of the instructor section', () => {
  it('pins the version of this package everywhere it names one', () => {
    const pins = [...course.matchAll(/learn-node-http@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)/g)].map((m) => m[1]);
    expect(pins.length).toBeGreaterThan(0);
    for (const pin of pins) expect(pin).toBe(manifest.version);
  });

  it('the container runs the bin file the package really has', () => {
    const bin = manifest.bin['learn-node-http'];
    expect(course).toContain(`node /grader/node_modules/learn-node-http/${bin}`);
    expect(course).toMatch(/--network none/);
    expect(course).toMatch(/loopback\s+still\s+works/);
    expect(course).toMatch(/not\s+a\s+security\s+boundary/);
  });
});
