/**
 * What a command may touch of the outside world, gathered so tests can hand in fakes:
 * the working folder, the environment, the three standard streams, the clock and the
 * check runner. Commands never reach for `process` directly.
 */
import type { ChalkInstance } from 'chalk';
import type { ChildGradingOptions } from '../grading/grade-in-child.ts';
import type { GradeSubmission } from '../grading/types.ts';
import type { RunChecks } from '../runner/types.ts';
import { makeChalk, type StreamLike } from './style.ts';

// The runner's input types live with the runner (runner/types.ts); re-exported for the commands.
export type { PhaseToRun, RunChecks, RunChecksOptions } from '../runner/types.ts';

export interface InputLike {
  readonly isTTY?: boolean;
}

export interface CommandContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: StreamLike;
  readonly stderr: StreamLike;
  readonly stdin: InputLike;
  readonly now: () => Date;
  /** The course to load (default: the installed package); tests point it at a fixture. */
  readonly courseRoot?: string;
  /** Loaded lazily: only commands that run checks pay for vitest. */
  readonly loadRunner: () => Promise<RunChecks>;
  /** How a batch grades one submission (tests: in this process, with a fake runner). */
  readonly loadGrader: (options: ChildGradingOptions) => Promise<GradeSubmission>;
  /** Calls `handler` on Ctrl-C (SIGINT) or SIGTERM; returns a function that removes it. */
  readonly onInterrupt: (handler: () => void) => () => void;
}

export interface Ui {
  readonly ctx: CommandContext;
  /** Colours for stdout. */
  readonly c: ChalkInstance;
  /** Colours for stderr. */
  readonly ce: ChalkInstance;
  out(text?: string): void;
  err(text?: string): void;
  /** True when a question may be asked: both ends are terminals and this is not CI. */
  readonly canPrompt: boolean;
}

export function makeUi(ctx: CommandContext): Ui {
  return {
    ctx,
    c: makeChalk(ctx.stdout, ctx.env),
    ce: makeChalk(ctx.stderr, ctx.env),
    out: (text = '') => void ctx.stdout.write(`${text}\n`),
    err: (text = '') => void ctx.stderr.write(`${text}\n`),
    canPrompt: canPrompt(ctx),
  };
}

export function canPrompt(ctx: CommandContext): boolean {
  const ci = ctx.env['CI'];
  if (ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false') return false;
  return ctx.stdin.isTTY === true && ctx.stdout.isTTY === true;
}

/** The real world, for main.ts. */
export function processContext(): CommandContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    now: () => new Date(),
    loadRunner: async () => (await import('../runner/index.ts')).runChecks,
    loadGrader: async (options) => (await import('../grading/grade-in-child.ts')).gradeInChild(options),
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}
