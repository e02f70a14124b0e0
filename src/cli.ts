/**
 * The command table: every verb with its arguments, options and help text, and a lazy import
 * of its implementation (so `hint` never loads vitest, and `--help` loads nothing at all).
 * Parsing is node:util parseArgs in strict mode: an unknown flag is a usage error (exit 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from './errors.ts';

export const BIN = 'learn-node-http';

// What a command receives and returns lives in a leaf module the commands import, so the
// command table here (which loads them) and the commands do not import each other.
import type { CommandRun, ParsedArgs } from './commands/types.ts';
export type { CommandResult, CommandRun, ParsedArgs } from './commands/types.ts';

// Which of these commands run checks is listed in plain JavaScript beside this file: the bin
// needs it before TypeScript can load (to import vitest/node first, see boot.mjs). Re-exported
// so the command table stays the place to look; test/cli/commands-that-run-checks.test.ts
// fails when the list and the commands' code disagree.
export { COMMANDS_THAT_RUN_CHECKS, runsChecks } from './commands-that-run-checks.mjs';

interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly description: string;
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples: readonly string[];
  /** More words than `positionals` are allowed (verify: a shell-expanded `--dir submissions/*`). */
  readonly restPositionals?: boolean;
  readonly load: () => Promise<{ run: CommandRun }>;
}

const ANSWERS: OptionSpec = {
  type: 'string',
  value: 'LIST',
  help: 'answer the quiz without prompting: choice numbers as `quiz` prints them (from 0), in question order (e.g. 1,0,2)',
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'next',
    usage: 'next [--answers LIST]',
    summary: 'start the course, or move on: quiz, then unlock the next phase',
    description:
      'In an empty folder: creates the workspace and the first phase. In a workspace: runs the hidden checks of the current phase (recorded as a check run); when they all pass, asks its quiz and unlocks the next phase. If `verify` already saw the current phase pass (since any reset), the checks are not run again: straight to the quiz and the next phase. When a check fails, it ends with the command to run after fixing it: verify NN.',
    positionals: [],
    options: { answers: ANSWERS },
    examples: ['npx learn-node-http next', 'npx learn-node-http next --answers 1,0,2'],
    load: () => import('./commands/next.ts'),
  },
  {
    name: 'verify',
    usage: 'verify [phase|--all] [--dir DIR...] [--jobs N] [--reporter pretty|json|junit|csv|classroom] [--out FILE|DIR/]',
    summary: 'check your work on the current phase; instructors: grade folders',
    description:
      'Learners: in your workspace, `verify` runs the hidden checks of the current phase (or the phase given) and shows what failed; every failure ends with the command to run again, verify NN. It records the check run in the progress file (as next does), and when the current phase passes it records the pass and says so: then `next` asks the quick check and unlocks the next phase without running the checks again. A phase that is not the current one gets its check run recorded, never a pass. ' +
      'Instructors and CI: grading needs no progress file. Each --dir is a folder holding phase folders (a learner workspace or a copy of one); a missing phase folder is reported as not submitted. With --dir, or outside a workspace, verify never writes a progress file. Without a phase or --all: the current phase in a workspace, every phase elsewhere. With several folders (or --jobs) it grades a batch: the reference solution first as a canary (if it fails, the machine is at fault and nothing is graded), then each folder in a process of its own, within a time budget, retrying once on an infrastructure error. Exit code: 0 all passed, 1 a check failed or a phase is missing, 2 a check could not run (or usage error).',
    positionals: ['phase'],
    options: {
      all: { type: 'boolean', help: 'every phase of the course' },
      dir: { type: 'string', multiple: true, value: 'DIR', help: 'a folder to grade (repeat for several; default: this workspace or folder)' },
      reporter: { type: 'string', value: 'NAME', help: 'pretty (default), json (Exercism results.json v3), junit (XML), csv (one row per folder) or classroom (GitHub Classroom autograding)' },
      out: { type: 'string', value: 'FILE', help: 'write the report to FILE instead of standard output (json or classroom with several folders: a folder ending in /, one file per submission)' },
      jobs: { type: 'string', value: 'N', help: 'grade N folders at a time, each in a process of its own (default: the number of cores; several --dir imply it)' },
      budget: { type: 'string', value: 'SECONDS', help: 'stop grading a folder after this long (default 30 s per phase + 30 s); what finished is kept' },
      'no-canary': { type: 'boolean', help: 'skip grading the reference solution before a batch' },
    },
    restPositionals: true,
    examples: [
      'npx learn-node-http verify',
      'npx learn-node-http verify 06',
      'npx learn-node-http verify --all --dir submissions/* --jobs 4 --reporter csv --out grades.csv',
      'npx learn-node-http verify --all --dir submissions/* --reporter json --out results/',
      'npx learn-node-http verify --all --reporter junit --out junit.xml',
    ],
    load: () => import('./commands/verify.ts'),
  },
  {
    name: 'watch',
    usage: 'watch [phase]',
    summary: 're-run the checks every time you save a file',
    description: 'Runs the checks of the current phase (or the phase given) now and again after each save in its folder. Ctrl-C stops.',
    positionals: ['phase'],
    options: {},
    examples: ['npx learn-node-http watch'],
    load: () => import('./commands/watch.ts'),
  },
  {
    name: 'quiz',
    usage: 'quiz [phase] [--answers LIST]',
    summary: 'take (or retake) the quick-check quiz of a phase',
    description: 'Asks the questions of the current phase (or the phase given) and records the score; a retake keeps the best one. Without a terminal it prints the questions with numbered choices (in this workspace\'s own order) and how to answer them with --answers.',
    positionals: ['phase'],
    options: { answers: ANSWERS },
    examples: ['npx learn-node-http quiz', 'npx learn-node-http quiz 06 --answers 1,0,2'],
    load: () => import('./commands/quiz.ts'),
  },
  {
    name: 'hint',
    usage: 'hint [phase]',
    summary: 'reveal the next hint (each call shows one more)',
    description: 'Hints go from a nudge to nearly the solution. Each call reveals the next one and records how many you used.',
    positionals: ['phase'],
    options: {},
    examples: ['npx learn-node-http hint'],
    load: () => import('./commands/hint.ts'),
  },
  {
    name: 'solution',
    usage: 'solution [phase] [--force]',
    summary: 'copy the reference solution beside your files (after passing)',
    description:
      'Copies the reference solution into <phase folder>/.solution/ so you can compare; your own files are never touched. Available once the phase has passed; --force shows it earlier (recorded in the progress file).',
    positionals: ['phase'],
    options: { force: { type: 'boolean', help: 'show it even though the phase has not passed yet' } },
    examples: ['npx learn-node-http solution', 'npx learn-node-http solution 06 --force'],
    load: () => import('./commands/solution.ts'),
  },
  {
    name: 'reset',
    usage: 'reset [phase]',
    summary: 'start a phase over (your files are moved to backups/ first)',
    description:
      'Moves the phase folder to backups/<phase>/<date-time>/ and copies the starter files again. The phase becomes the current one and counts as not passed until next checks it again; attempts, hints, quiz and the earlier pass date are kept.',
    positionals: ['phase'],
    options: {},
    examples: ['npx learn-node-http reset', 'npx learn-node-http reset 06'],
    load: () => import('./commands/reset.ts'),
  },
  {
    name: 'status',
    usage: 'status [--backups]',
    summary: 'show your progress (the default command)',
    description:
      'Lists every phase: passed, current, reset (not passed since) or locked, with attempts, hints and quiz scores, then the files to edit next. With --backups: the folders reset moved aside (backups/<phase>/<date-time>/).',
    positionals: [],
    options: { backups: { type: 'boolean', help: 'list the backups reset made, instead of the progress map' } },
    examples: ['npx learn-node-http status', 'npx learn-node-http status --backups'],
    load: () => import('./commands/status.ts'),
  },
  {
    name: 'lesson',
    usage: 'lesson [phase]',
    summary: 'print the lesson of a phase',
    description: 'Prints LESSON.md of the current phase (or the phase given) as shipped with the course.',
    positionals: ['phase'],
    options: {},
    examples: ['npx learn-node-http lesson 06 | less'],
    load: () => import('./commands/lesson.ts'),
  },
  {
    name: 'init',
    usage: 'init [dir]',
    summary: 'create a workspace in DIR (default: this folder)',
    description:
      'Creates the progress file, package.json and tsconfig.json (run npm install for editor types), .gitignore and the first phase folder. Existing files are kept.',
    positionals: ['dir'],
    options: {},
    examples: ['npx learn-node-http init my-course'],
    load: () => import('./commands/init.ts'),
  },
];

export const DEFAULT_COMMAND = 'status';

export type Invocation =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'command'; readonly spec: CommandSpec; readonly args: ParsedArgs };

/** argv (without node and the script) → what to do. Throws UserError (exit 2) on bad usage. */
export function parseInvocation(argv: readonly string[]): Invocation {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v' || first === '-V') return { kind: 'version' };
  if (first === undefined) return command(findCommand(DEFAULT_COMMAND), []);
  if (first === '--help' || first === '-h') return { kind: 'help', text: globalHelp() };
  if (first === 'help') return { kind: 'help', text: rest[0] ? commandHelp(findCommand(rest[0])) : globalHelp() };
  if (first.startsWith('-')) return command(findCommand(DEFAULT_COMMAND), argv);
  return command(findCommand(first), rest);
}

function command(spec: CommandSpec, rest: readonly string[]): Invocation {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, opt] of Object.entries(spec.options)) {
    options[name] = { type: opt.type, ...(opt.multiple ? { multiple: true } : {}), ...(opt.short ? { short: opt.short } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError(`${usageProblem(error as Error)}\nRun: npx ${BIN} ${spec.name} --help`);
  }
  if (parsed.values['help'] === true) return { kind: 'help', text: commandHelp(spec) };
  if (parsed.positionals.length > spec.positionals.length && spec.restPositionals !== true) {
    const extra = parsed.positionals.slice(spec.positionals.length).map((p) => `"${p}"`).join(' ');
    const takes = spec.positionals.length === 0 ? 'takes no arguments' : `takes at most: ${spec.positionals.join(', ')}`;
    throw new UserError(`Too many arguments for "${spec.name}" (it ${takes}): ${extra}.\nRun: npx ${BIN} ${spec.name} --help`);
  }
  return { kind: 'command', spec, args: { positionals: parsed.positionals, values: parsed.values as ParsedArgs['values'] } };
}

/** parseArgs' messages mention internals ("ERR_PARSE_ARGS_UNKNOWN_OPTION"); say it plainly. */
function usageProblem(error: Error & { code?: string }): string {
  const flag = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option "${flag}".`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/ambiguous/.test(error.message)) return `Option "${flag.split(' ')[0]}" is followed by something that looks like an option; to give a value starting with a dash, write ${flag.split(' ')[0]}=VALUE.`;
      return `Option "${flag.split(' ')[0]}" ${/argument missing/.test(error.message) ? 'needs a value' : 'takes no value'}.`;
    default:
      return error.message;
  }
}

export function findCommand(name: string): CommandSpec {
  const spec = COMMANDS.find((c) => c.name === name);
  if (spec) return spec;
  const close = COMMANDS.map((c) => c.name).filter((n) => distance(n, name) <= 2);
  const suggestion = close.length > 0 ? ` Did you mean "${close[0]}"?` : '';
  throw new UserError(`Unknown command "${name}".${suggestion}\nRun: npx ${BIN} --help   to see every command.`);
}

export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `${BIN}: build a real HTTP server on plain node:http, one checked phase at a time.`,
    '',
    `Usage: npx ${BIN} <command> [options]`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     help for any command (e.g. verify --help)',
    '  -v, --version  print the version',
    '',
    'Start: run `npx learn-node-http next` in an empty folder. Then, for each phase: edit, check your work',
    'with `npx learn-node-http verify` until it passes, and move on with `npx learn-node-http next`.',
    'Colour appears only on a terminal; set NO_COLOR=1 to turn it off.',
    '',
  ].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  const rows: Array<[string, string]> = Object.entries(spec.options).map(([name, o]) => [`--${name}${o.value ? ` ${o.value}` : ''}`, o.help]);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: npx ${BIN} ${spec.usage}`,
    '',
    wrap(spec.description, 78),
    '',
    'Options:',
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** Levenshtein distance, for "did you mean" on short command names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}
