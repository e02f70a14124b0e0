/**
 * Child processes the checks start, and the guarantee that none outlives its check.
 *
 * Each child is started in its own process group (detached on POSIX), so stopping it
 * kills the group: anything the learner's server spawned goes too. A child that left the
 * group (spawned detached, so it called setsid) is found by the marker every launched
 * process carries in its environment, LEARN_NODE_HTTP_SERVER_MARKER=<uuid>, and killed
 * too (sweep.ts). Every child is tracked here; check files stop theirs in afterAll (see
 * useServers), and a last synchronous sweep on exit catches anything a crashed check forgot.
 *
 * A child is also watched while it runs: its output is drained however much it prints
 * (only a bounded tail is kept, see output-tail.ts), and its group's resident memory is
 * sampled against a ceiling (memory-watch.ts). A child stopped for memory says so in its
 * exit (ExitInfo.stoppedBecause) and in its tail, so a check reports that instead of a
 * mysterious "killed by SIGKILL".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { InfraError } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { memoryLimitMb, watchGroupMemory, type MemoryExceeded } from './memory-watch.ts';
import { formatBytes, OutputTail } from './output-tail.ts';
import { sweepProcessesMatching, sweepProcessesWithEnv } from './sweep.ts';

/** The variable that marks every process launched here (and, by inheritance, what it starts). */
export const SERVER_MARKER = 'LEARN_NODE_HTTP_SERVER_MARKER';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Milliseconds since the process was started. */
  readonly afterMs: number;
  /**
   * Set when the harness itself ended the process for a reason the learner should read,
   * e.g. "was stopped: it (and what it started) used more than 1024 MB of resident memory
   * after 2.3 s". Reads after "the server process ...".
   */
  readonly stoppedBecause?: string;
}

/** Output kept per stream: plenty for a stack trace, bounded for a chatty server. */
const OUTPUT_LIMIT = 128 * 1024;
/** How much earlier output a waiting pattern sees with each new chunk. */
const RECENT_WINDOW = 8 * 1024;
/** A quoted line longer than this is cut: one 10 MB line must not become a 10 MB failure message. */
const LINE_LIMIT = 400;

const live = new Set<ChildHandle>();
/** Markers of launched children not swept yet: the exit sweep looks for all of them. */
const unswept = new Set<string>();

export class ChildHandle {
  readonly pid: number;
  readonly startedAt = performance.now();
  readonly exited: Promise<ExitInfo>;
  exit: ExitInfo | undefined;
  /** Set when the memory ceiling stopped the process group. */
  memoryExceeded: MemoryExceeded | undefined;
  /**
   * Set when the checks themselves sent a signal or stopped the process ("sent SIGTERM"):
   * its end is then expected, not a crash (useServers skips its alive probe).
   */
  endedOnPurpose: string | undefined;
  private readonly stdoutTail = new OutputTail(OUTPUT_LIMIT);
  private readonly stderrTail = new OutputTail(OUTPUT_LIMIT);
  /** Both streams interleaved in arrival order, for quoting back to the learner. */
  private readonly combinedTail = new OutputTail(OUTPUT_LIMIT);
  private readonly outputListeners = new Set<(recent: string) => void>();
  /** The last few KB of output: what a waiting pattern is tested on as each chunk arrives. */
  private recentOutput = '';
  private readonly noteSources: (() => string | undefined)[] = [];
  private stopWatchingMemory: () => void = () => {};

  constructor(
    readonly child: ChildProcess,
    /** The value of LEARN_NODE_HTTP_SERVER_MARKER this child was started with. */
    readonly marker?: string,
  ) {
    if (child.pid === undefined) throw new InfraError('Could not start a node process (no pid).');
    this.pid = child.pid;
    live.add(this);
    if (marker !== undefined) unswept.add(marker);
    // Raw Buffers: a flood costs a pointer per chunk here, decoding happens only when quoted.
    child.stdout?.on('data', (chunk: Buffer) => this.record(this.stdoutTail, chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.record(this.stderrTail, chunk));
    this.exited = new Promise((resolve) => {
      let settled = false;
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        this.stopWatchingMemory();
        const stoppedBecause = this.memoryExceeded ? memoryStopAsExit(this.memoryExceeded) : undefined;
        this.exit = { code, signal, afterMs: Math.round(performance.now() - this.startedAt), ...(stoppedBecause ? { stoppedBecause } : {}) };
        live.delete(this);
        resolve(this.exit);
      };
      // 'close' comes after the last output; if a grandchild holds the pipes open it
      // never comes, so 'exit' settles too, a moment later, with what we have.
      child.once('close', settle);
      child.once('exit', (code, signal) => setTimeout(() => settle(code, signal), 150).unref());
      child.once('error', () => settle(null, null));
    });
  }

  /** Starts the memory ceiling for this child's process group (launch does, unless turned off). */
  watchMemory(limitMb: number): void {
    if (process.platform === 'win32') return;
    this.stopWatchingMemory = watchGroupMemory(
      this.pid,
      { limitMb, ...(this.marker !== undefined ? { marker: `${SERVER_MARKER}=${this.marker}` } : {}) },
      (info) => {
        this.memoryExceeded = info;
        this.killAll();
      },
    );
  }

  private record(tail: OutputTail, chunk: Buffer): void {
    tail.push(chunk);
    this.combinedTail.push(chunk);
    if (this.outputListeners.size === 0) {
      this.recentOutput = '';
      return;
    }
    // Each chunk is tested with a little of what came before it (a line split across two
    // chunks), never with the whole kept tail: a flood of chunks stays linear in its size.
    const recent = this.recentOutput + chunk.toString('utf8');
    this.recentOutput = recent.slice(-RECENT_WINDOW);
    for (const listener of this.outputListeners) listener(recent);
  }

  /** The kept tail of stdout (the last 128 KB). */
  get stdout(): string {
    return this.stdoutTail.text;
  }

  get stderr(): string {
    return this.stderrTail.text;
  }

  /** The kept tail of stdout and stderr, interleaved. */
  get output(): string {
    return this.combinedTail.text;
  }

  /** Everything the process printed, kept or not, in bytes. */
  get outputBytes(): number {
    return this.combinedTail.totalBytes;
  }

  /**
   * Lines for the learner that are not the process's own output: why the harness stopped
   * it, that its output was cut. Shown after its output in every failure that quotes it.
   */
  notes(): string[] {
    const notes: string[] = [];
    if (this.memoryExceeded) notes.push(`${capitalise(describeMemoryStop(this.memoryExceeded))}.`);
    for (const source of this.noteSources) {
      const note = source();
      if (note !== undefined && !notes.includes(note)) notes.push(note);
    }
    return notes;
  }

  /** A note computed when the output is quoted (start-server explains a refused write this way). */
  addNoteSource(source: () => string | undefined): void {
    this.noteSources.push(source);
  }

  /**
   * The last `lines` lines of stdout+stderr, for failure messages: very long lines are
   * cut, a note says how much output was not kept, and the harness's notes follow.
   */
  tail(lines = 15): string {
    const text = this.combinedTail.text.trimEnd();
    const shown = (text === '' ? [] : text.split('\n'))
      .slice(-lines)
      .map((line) => (line.length > LINE_LIMIT ? `${line.slice(0, LINE_LIMIT)}… (${line.length - LINE_LIMIT} more characters on this line)` : line));
    const result: string[] = [];
    if (this.combinedTail.truncated) {
      result.push(
        `[learn-node-http] output truncated: the process had printed ${formatBytes(this.combinedTail.totalBytes)} by then; only the last ${formatBytes(this.combinedTail.totalBytes - this.combinedTail.droppedBytes)} are kept`,
      );
    }
    result.push(...shown);
    for (const note of this.notes()) result.push(`[learn-node-http] ${note}`);
    return result.join('\n');
  }

  /** Resolves true as soon as the output matches, false after `withinMs`. */
  waitForOutput(pattern: RegExp, withinMs: number): Promise<boolean> {
    if (pattern.test(this.output)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (found: boolean) => {
        clearTimeout(timer);
        this.outputListeners.delete(check);
        resolve(found);
      };
      const check = (recent: string) => {
        if (pattern.test(recent)) done(true);
      };
      const timer = setTimeout(() => done(pattern.test(this.output)), withinMs);
      this.recentOutput = this.output.slice(-RECENT_WINDOW);
      this.outputListeners.add(check);
      // Once the process is gone no more output can come: answer now, not at the deadline.
      void this.exited.then(() => setTimeout(() => done(pattern.test(this.output)), 0));
    });
  }

  /** The exit, or undefined if the process is still running after `withinMs`. */
  async waitForExit(withinMs: number): Promise<ExitInfo | undefined> {
    if (this.exit) return this.exit;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), withinMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal to the process itself (not its group): what a supervisor does. */
  signal(signal: NodeJS.Signals): void {
    this.endedOnPurpose ??= `sent ${signal}`;
    try {
      process.kill(this.pid, signal);
    } catch {
      // Already gone: the check will see the exit.
    }
  }

  /** Kills the whole process group, then any escaped child carrying its marker, and waits (bounded) for the exit. */
  async stop(): Promise<void> {
    this.endedOnPurpose ??= 'stopped by the checks';
    this.killAll();
    await this.waitForExit(scaled(3000));
  }

  /** SIGKILL to the group, then the marker sweep (synchronous). */
  killAll(): void {
    killTree(this);
    if (this.marker !== undefined) {
      sweepProcessesWithEnv(SERVER_MARKER, this.marker);
      unswept.delete(this.marker);
    }
  }
}

export interface LaunchOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly ipc?: boolean;
  /** Node flags to put before `args` (the permission model, see sandbox.ts). */
  readonly nodeFlags?: readonly string[];
}

export function launch(args: readonly string[], options: LaunchOptions): ChildHandle {
  const marker = randomUUID();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...args], {
    cwd: options.cwd,
    env: { ...options.env, [SERVER_MARKER]: marker },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    // Own process group on POSIX: stop() can kill everything the server started.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  // Without a listener, a failed spawn would throw from the event emitter.
  child.once('error', () => {});
  const handle = new ChildHandle(child, marker);
  const limitMb = memoryLimitMb();
  if (limitMb !== undefined) handle.watchMemory(limitMb);
  return handle;
}

function killTree(handle: ChildHandle): void {
  if (process.platform === 'win32') {
    handle.child.kill('SIGKILL');
    return;
  }
  try {
    // The group outlives its leader if the server spawned children: kill it even after exit.
    process.kill(-handle.pid, 'SIGKILL');
  } catch {
    handle.child.kill('SIGKILL');
  }
}

/** "your server (and what it started) used more than 1024 MB of resident memory, so it was stopped after 2.3 s" */
export function describeMemoryStop(info: MemoryExceeded): string {
  return `your server (and what it started) used more than ${info.limitMb} MB of resident memory (${info.rssMb} MB when measured), so it was stopped after ${seconds(info.afterMs)}`;
}

/** The same, to follow "the server process …" (see describeExit in http.ts). */
function memoryStopAsExit(info: MemoryExceeded): string {
  return `was stopped by the checks after ${seconds(info.afterMs)}: it (and what it started) used more than ${info.limitMb} MB of resident memory`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Stops every child still running (used by afterAll hooks and the exit sweep). */
export async function stopAll(handles: Iterable<ChildHandle> = [...live]): Promise<void> {
  await Promise.all([...handles].map((handle) => handle.stop()));
}

// Last resort: a worker that exits with children still tracked kills them synchronously,
// and sweeps for the markers of every child it launched and never stopped.
process.once('exit', () => {
  for (const handle of live) killTree(handle);
  sweepProcessesMatching([...unswept].map((value) => ({ name: SERVER_MARKER, value })));
});
