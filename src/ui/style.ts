/**
 * Colour decisions in one place: colour only when the stream is a terminal, never when
 * NO_COLOR is set (any non-empty value, per no-color.org), and FORCE_COLOR forces it on
 * (handy when piping through `less -R`). Everything else uses the plain functions below.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface StreamLike {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export function colourEnabled(stream: StreamLike, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0' && env['FORCE_COLOR'] !== 'false') return true;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

export function makeChalk(stream: StreamLike, env: NodeJS.ProcessEnv): ChalkInstance {
  return new Chalk({ level: colourEnabled(stream, env) ? 1 : 0 });
}

/** The symbols learners see; plain ASCII fallbacks are not needed on Node's supported terminals. */
export const marks = {
  pass: '✓',
  fail: '✗',
  error: '!',
  skip: '-',
  locked: '·',
  current: '▶',
  /** Unlocked but not passed, and not the current phase (a later phase, after an earlier one was reset). */
  open: '○',
} as const;

/** Removes ANSI escape sequences (check messages may carry colour from their own formatting). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : prefix + line))
    .join('\n');
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
