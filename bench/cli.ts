/**
 * The benchmark drives the real CLI the way a learner or an instructor does: a fresh
 * `bin/learn-node-http.js` process, no terminal, a clean environment. Two shapes: run to
 * the end (verify, next), or keep it running and watch its output line by line (watch).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';

export const CLI = path.join(PACKAGE_ROOT, 'bin/learn-node-http.js');

/**
 * What the CLI sees: the caller's PATH and temp/cache locations, no colour, no CI-ish or
 * vitest variables leaking in from whoever started the benchmark.
 */
export function benchEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SystemRoot', 'NODE_EXTRA_CA_CERTS', 'LEARN_NODE_HTTP_CACHE', 'LEARN_NODE_HTTP_MAX_WORKERS']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return { ...env, NO_COLOR: '1', CI: 'true', ...extra };
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Seconds from spawn to exit. */
  readonly seconds: number;
  /** Seconds from spawn to the first complete line on stdout or stderr. */
  readonly firstLineSeconds: number | null;
  /** Seconds from spawn to the first line matching each of `marks` (absent: never seen). */
  readonly marks: Readonly<Record<string, number>>;
}

/** Runs the CLI to the end (killed after `deadlineMs`); never rejects on a non-zero exit. */
export function runCli(args: readonly string[], options: { cwd: string; deadlineMs: number; marks?: Readonly<Record<string, RegExp>> }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstLineSeconds: number | null = null;
    const marks: Record<string, number> = {};
    const output = { stdout: '', stderr: '' };
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: benchEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of ['stdout', 'stderr'] as const) {
      eachLine(child[stream], (line) => {
        const now = (performance.now() - started) / 1000;
        firstLineSeconds ??= now;
        for (const [name, pattern] of Object.entries(options.marks ?? {})) {
          if (marks[name] === undefined && pattern.test(line)) marks[name] = now;
        }
      });
      child[stream].on('data', (text: string) => (output[stream] += text));
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`learn-node-http ${args.join(' ')} did not finish within ${options.deadlineMs} ms.\n${output.stderr.slice(-2000)}\n${output.stdout.slice(-2000)}`));
    }, options.deadlineMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...output, seconds: (performance.now() - started) / 1000, firstLineSeconds, marks });
    });
  });
}

export interface Line {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  /** performance.now() when the line arrived. */
  readonly at: number;
}

/** A long-running CLI process (watch) whose output lines can be awaited. */
export class LiveCli {
  readonly lines: Line[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private waiters: Array<() => void> = [];

  constructor(args: readonly string[], cwd: string) {
    this.child = spawn(process.execPath, [CLI, ...args], { cwd, env: benchEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.follow('stdout');
    this.follow('stderr');
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Resolves with the first line at or after index `from` that matches, or rejects at the deadline. */
  async waitForLine(matches: (line: Line) => boolean, from: number, deadlineMs: number, what: string): Promise<Line & { index: number }> {
    const deadline = performance.now() + deadlineMs;
    for (;;) {
      for (let index = from; index < this.lines.length; index++) {
        if (matches(this.lines[index]!)) return { ...this.lines[index]!, index };
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`watch: no ${what} within ${deadlineMs} ms. Output so far:\n${this.transcript()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  transcript(): string {
    return this.lines.map((line) => `${line.stream === 'stderr' ? '[err] ' : ''}${line.text}`).join('\n');
  }

  /** Ctrl-C, then SIGKILL if it is still there after `graceMs`. Resolves with the exit code. */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private follow(stream: 'stdout' | 'stderr'): void {
    eachLine(this.child[stream]!, (text) => {
      this.lines.push({ stream, text, at: performance.now() });
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
  }
}

/** Calls `onLine` for every complete line of a child's output as it arrives (and sets it to text). */
function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) onLine(line);
  });
}
