/** The argv table: parsing, help for every command, and usage errors (exit 2, no stack). */
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandHelp, parseInvocation } from '../../src/cli.ts';
import { UserError } from '../../src/errors.ts';
import { fixtureCourse, removeTempDirs, runCli, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

function parsed(argv: string[]) {
  const inv = parseInvocation(argv);
  if (inv.kind !== 'command') throw new Error(`expected a command, got ${inv.kind}`);
  return { name: inv.spec.name, ...inv.args };
}

function usageError(argv: string[]): string {
  try {
    parseInvocation(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be a usage error`);
}

describe('parsing', () => {
  it.each([
    [[], 'status', [], {}],
    [['next'], 'next', [], {}],
    [['next', '--answers', '1,0,2'], 'next', [], { answers: '1,0,2' }],
    [['verify', '06'], 'verify', ['06'], {}],
    [['verify', '--all', '--dir', 'a', '--dir', 'b', '--reporter', 'csv', '--out', 'g.csv'], 'verify', [], { all: true, dir: ['a', 'b'], reporter: 'csv', out: 'g.csv' }],
    [['verify', '--reporter=json'], 'verify', [], { reporter: 'json' }],
    [['quiz', '06-async-streams-structure', '--answers', '0,0'], 'quiz', ['06-async-streams-structure'], { answers: '0,0' }],
    [['solution', '--force'], 'solution', [], { force: true }],
    [['init', 'my-course'], 'init', ['my-course'], {}],
    [['hint', '06'], 'hint', ['06'], {}],
    [['reset'], 'reset', [], {}],
    [['lesson', '6'], 'lesson', ['6'], {}],
    [['watch'], 'watch', [], {}],
  ] as const)('%j → %s', (argv, name, positionals, values) => {
    const p = parsed([...argv]);
    expect(p.name).toBe(name);
    expect(p.positionals).toEqual(positionals);
    expect(p.values).toMatchObject(values);
  });

  it('--version and -v print the version', () => {
    expect(parseInvocation(['--version']).kind).toBe('version');
    expect(parseInvocation(['-v']).kind).toBe('version');
  });
});

describe('help', () => {
  it('global help lists every command', () => {
    const inv = parseInvocation(['--help']);
    expect(inv.kind).toBe('help');
    for (const c of COMMANDS) expect(inv.kind === 'help' && inv.text).toContain(c.name);
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help shows its usage, options and an example', (name) => {
    for (const argv of [[name, '--help'], [name, '-h'], ['help', name]]) {
      const inv = parseInvocation(argv);
      expect(inv.kind).toBe('help');
      const text = inv.kind === 'help' ? inv.text : '';
      expect(text).toContain(`Usage: npx learn-node-http ${name}`);
      expect(text).toContain('Examples:');
      expect(text).toContain('--help');
    }
  });

  it('documents every option of every command', () => {
    for (const spec of COMMANDS) {
      const text = commandHelp(spec);
      for (const option of Object.keys(spec.options)) expect(text).toContain(`--${option}`);
    }
  });
});

describe('usage errors', () => {
  it('an unknown command suggests the closest one', () => {
    expect(usageError(['verfy'])).toMatch(/Unknown command "verfy"\. Did you mean "verify"\?/);
    expect(usageError(['frobnicate'])).toMatch(/Unknown command "frobnicate"\.\nRun: npx learn-node-http --help/);
  });

  it('an unknown flag names the flag and the help command', () => {
    expect(usageError(['verify', '--reportr', 'json'])).toMatch(/Unknown option "--reportr"\.\nRun: npx learn-node-http verify --help/);
    expect(usageError(['--frob'])).toMatch(/Unknown option "--frob"/);
  });

  it('a flag without its value says so', () => {
    expect(usageError(['verify', '--reporter'])).toMatch(/Option "--reporter" needs a value/);
  });

  it('too many arguments are refused', () => {
    expect(usageError(['status', 'extra'])).toMatch(/Too many arguments for "status" \(it takes no arguments\): "extra"/);
    expect(usageError(['hint', '06', '07'])).toMatch(/takes at most: phase/);
  });

  it('main turns usage errors into exit 2 with one sentence on stderr and no stack', async () => {
    const cwd = tempDir();
    const courseRoot = fixtureCourse();
    for (const argv of [['bogus'], ['verify', '--nope'], ['verify', '--reporter', 'xml'], ['verify', '99'], ['verify', '01', '--all']]) {
      const r = await runCli(argv, { cwd, courseRoot });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^Error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('broken course content is reported as a packaging bug, exit 2', async () => {
    const r = await runCli(['status'], { cwd: tempDir(), courseRoot: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/course content shipped in this package is broken: The course has no phases folder/);
    expect(r.stderr).toMatch(/please report/i);
  });

  it('an unexpected error prints the stack and asks for a report, exit 2', async () => {
    // A working folder that does not exist: reading it fails in a way no command expects.
    const r = await runCli(['next'], { cwd: `${tempDir()}/vanished`, courseRoot: fixtureCourse() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Unexpected error: Error: ENOENT/);
    expect(r.stderr).toMatch(/\n\s+at /);
    expect(r.stderr).toMatch(/This is a bug in learn-node-http\. Please report it/);
  });
});
