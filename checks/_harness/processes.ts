/**
 * Child processes the checks start, and the guarantee that none outlives its check.
 *
 * Each child is started in its own process group (detached on POSIX), so stopping it
 * kills the group: anything the learner's server spawned goes too. Every child is
 * tracked here; check files stop theirs in afterAll (see useServers), and a last
 * synchronous sweep on exit catches anything a crashed check forgot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { InfraError } from './failures.ts';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Milliseconds since the process was started. */
  readonly afterMs: number;
}

/** Output kept per stream: plenty for a stack trace, bounded for a chatty server. */
const OUTPUT_LIMIT = 128 * 1024;

const live = new Set<ChildHandle>();

export class ChildHandle {
  readonly pid: number;
  readonly startedAt = performance.now();
  readonly exited: Promise<ExitInfo>;
  exit: ExitInfo | undefined;
  private stdoutText = '';
  private stderrText = '';
  /** Both streams interleaved in arrival order, for quoting back to the learner. */
  private combinedText = '';
  private readonly outputListeners = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    if (child.pid === undefined) throw new InfraError('Could not start a node process (no pid).');
    this.pid = child.pid;
    live.add(this);
    child.stdout?.setEncoding('utf8').on('data', (text: string) => this.record('stdout', text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => this.record('stderr', text));
    this.exited = new Promise((resolve) => {
      let settled = false;
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        this.exit = { code, signal, afterMs: Math.round(performance.now() - this.startedAt) };
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

  private record(stream: 'stdout' | 'stderr', text: string): void {
    if (stream === 'stdout') this.stdoutText = keepTail(this.stdoutText + text);
    else this.stderrText = keepTail(this.stderrText + text);
    this.combinedText = keepTail(this.combinedText + text);
    for (const listener of this.outputListeners) listener();
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  get output(): string {
    return this.combinedText;
  }

  /** The last `lines` lines of stdout+stderr, for failure messages. */
  tail(lines = 15): string {
    return this.combinedText.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Resolves true as soon as the output matches, false after `withinMs`. */
  waitForOutput(pattern: RegExp, withinMs: number): Promise<boolean> {
    if (pattern.test(this.combinedText)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (found: boolean) => {
        clearTimeout(timer);
        this.outputListeners.delete(check);
        resolve(found);
      };
      const check = () => {
        if (pattern.test(this.combinedText)) done(true);
      };
      const timer = setTimeout(() => done(pattern.test(this.combinedText)), withinMs);
      this.outputListeners.add(check);
      void this.exited.then(() => setTimeout(check, 0));
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
    try {
      process.kill(this.pid, signal);
    } catch {
      // Already gone: the check will see the exit.
    }
  }

  /** Kills the whole process group and waits (bounded) for the exit to be reported. */
  async stop(): Promise<void> {
    killTree(this);
    await this.waitForExit(3000);
  }
}

export function launch(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; ipc?: boolean }): ChildHandle {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    // Own process group on POSIX: stop() can kill everything the server started.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  // Without a listener, a failed spawn would throw from the event emitter.
  child.once('error', () => {});
  return new ChildHandle(child);
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

/** Stops every child still running (used by afterAll hooks and the exit sweep). */
export async function stopAll(handles: Iterable<ChildHandle> = [...live]): Promise<void> {
  await Promise.all([...handles].map((handle) => handle.stop()));
}

function keepTail(text: string): string {
  return text.length > OUTPUT_LIMIT ? text.slice(text.length - OUTPUT_LIMIT) : text;
}

// Last resort: a worker that exits with children still tracked kills them synchronously.
process.once('exit', () => {
  for (const handle of live) killTree(handle);
});
