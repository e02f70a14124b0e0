/**
 * The line of the learner's code that stopped their server from starting, shown as a short
 * code frame. esbuild (through tsx) reports a syntax error as
 * "/abs/path/server.ts:47:0: ERROR: Unexpected end of file"; a throw at import has a stack
 * frame "at … (file:///abs/path/server.ts:12:5)". The first location inside the learner's
 * folder is the one to show: frames of node_modules, Node's internals or the course's own
 * files say nothing the learner can change (and withoutDependencyFrames folds them away in
 * the output quoted below the frame).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SourceLocation {
  /** Relative to the learner's folder, e.g. "server.ts". */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based (esbuild counts columns from 0; this is converted). */
  readonly column: number;
  /** What the compiler or the runtime said, when it said it on the same line. */
  readonly problem?: string;
}

/** Lines shown above and below the faulty one. */
const CONTEXT_LINES = 2;
const ESBUILD_ERROR = /^(?:✘ \[ERROR\] )?(\/[^\s:]+|[A-Za-z]:\\[^:]+):(\d+):(\d+): ERROR: (.+)$/;
const STACK_FRAME = /\(?((?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^\s():]+):(\d+):(\d+)\)?\s*$/;

/** The first place in `folder` the output points at, or undefined. */
export function learnerLocation(output: string, folder: string): SourceLocation | undefined {
  const root = path.resolve(folder) + path.sep;
  const inFolder = (file: string): string | undefined => {
    const absolute = path.resolve(file.startsWith('file://') ? fileURLToPath(file) : file);
    return absolute.startsWith(root) && !absolute.includes(`${path.sep}node_modules${path.sep}`) ? path.relative(folder, absolute) : undefined;
  };
  for (const raw of output.split('\n')) {
    const line = raw.replace(/^\s*\|?\s*/, '').trimEnd();
    const compiled = ESBUILD_ERROR.exec(line);
    if (compiled) {
      const file = inFolder(compiled[1]!);
      if (file) return { file, line: Number(compiled[2]), column: Number(compiled[3]) + 1, problem: compiled[4] };
      continue;
    }
    const frame = line.startsWith('at ') ? STACK_FRAME.exec(line) : undefined;
    if (frame) {
      const file = inFolder(frame[1]!);
      if (file) return { file, line: Number(frame[2]), column: Number(frame[3]) };
    }
  }
  return undefined;
}

/**
 * "server.ts:47:1" and the lines around it, the faulty one marked with ">" and a caret
 * under its column; undefined when the file cannot be read or the line is not in it.
 */
export function codeFrame(location: SourceLocation, folder: string): string | undefined {
  let source: string;
  try {
    source = readFileSync(path.join(folder, location.file), 'utf8');
  } catch {
    return undefined;
  }
  const lines = source.split(/\r?\n/);
  // esbuild reports an unexpected end of file one line past the last one.
  const at = Math.min(location.line, lines.length);
  if (at < 1) return undefined;
  const first = Math.max(1, at - CONTEXT_LINES);
  const last = Math.min(lines.length, at + CONTEXT_LINES);
  const width = String(last).length;
  const frame = [`${location.file}:${location.line}:${location.column}${location.problem ? `  ${location.problem}` : ''}`];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1]!.replace(/\t/g, '  ');
    frame.push(`${n === at ? '>' : ' '} ${String(n).padStart(width)} | ${text}`);
    if (n === at && location.line === at) frame.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, location.column - 1))}^`);
  }
  if (location.problem && /end of file/i.test(location.problem)) {
    // esbuild reaches the end still inside a block: the cause is further up.
    frame.push('(a `{`, `(`, `[` or string opened earlier and never closed is the usual cause: look above for it)');
  }
  return frame.join('\n');
}

/**
 * Stack frames inside node_modules (esbuild's, for a syntax error) and Node's own internals
 * say nothing the learner can change: each run of them becomes one line saying how many.
 */
export function withoutDependencyFrames(output: string): string {
  const kept: string[] = [];
  let hidden = 0;
  const flush = (): void => {
    if (hidden > 0) kept.push(`    … ${hidden} frame${hidden === 1 ? '' : 's'} inside node_modules or Node itself`);
    hidden = 0;
  };
  for (const line of output.split('\n')) {
    if (/^\s+at .*(?:[\\/]node_modules[\\/]|\(node:|\bnode:internal)/.test(line)) {
      hidden++;
      continue;
    }
    flush();
    kept.push(line);
  }
  flush();
  return kept.join('\n');
}
