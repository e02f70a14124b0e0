/**
 * Finding and killing processes by a variable in their environment.
 *
 * Killing a server's process group catches everything it started, except a child that
 * left the group: `spawn(..., { detached: true })` calls setsid(), so the child is in a
 * session of its own and survives the group kill, keeping its port and its memory. It
 * does keep the environment it was started with, though, and every process the harness
 * launches carries a marker variable (LEARN_NODE_HTTP_SERVER_MARKER, see processes.ts;
 * the batch grader adds LEARN_NODE_HTTP_MARKER per submission). Sweeping for the marker
 * finds the escapee.
 *
 * Synchronous on purpose: the last-resort sweep runs in a process 'exit' handler, where
 * nothing asynchronous runs any more.
 *
 * Where it looks: Linux reads /proc/<pid>/environ (proc-table.ts; only our own user's processes are
 * readable; the others are skipped); macOS parses `ps -E -ww -ax -o pid=,command=`, which
 * appends each process's environment to its command line; elsewhere (Windows) it finds
 * nothing. A child started with a scrubbed environment (`env: {}`) carries no marker and
 * is not found: the process-group kill is the only net for it.
 */
import { execFileSync } from 'node:child_process';
import { procEnviron, procPids } from './proc-table.ts';

export interface EnvMatch {
  readonly name: string;
  readonly value: string;
  /** Match values that start with `value` (a batch id matches "<batch id>:<n>"). */
  readonly prefix?: boolean;
}

/**
 * SIGKILLs every process (other than this one) whose environment has `name=value`, and
 * returns the pids it killed. Repeats the search (up to three passes) while it still
 * finds some, for a process that was spawning children as it was being killed.
 */
export function sweepProcessesWithEnv(name: string, value: string, options: { prefix?: boolean } = {}): number[] {
  return sweepProcessesMatching([{ name, value, prefix: options.prefix }]);
}

/** The same for any of several markers at once: one scan of the process table. */
export function sweepProcessesMatching(matches: readonly EnvMatch[]): number[] {
  if (matches.length === 0) return [];
  const killed: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const found = processesWithEnv(matches).filter((pid) => !killed.includes(pid));
    if (found.length === 0) break;
    for (const pid of found) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        // Gone already, or not ours to kill.
      }
    }
  }
  return killed;
}

/** Pids (other than this process and its parent) whose environment matches one of `matches`. */
export function processesWithEnv(matches: readonly EnvMatch[]): number[] {
  if (process.platform === 'linux') return fromProc(matches);
  if (process.platform === 'darwin' || process.platform === 'freebsd' || process.platform === 'openbsd') return fromPs(matches);
  return [];
}

function fromProc(matches: readonly EnvMatch[]): number[] {
  // An unreadable environment is another user's process, or one that just exited.
  return procPids().filter((pid) => !isSelf(pid) && (procEnviron(pid) ?? []).some((entry) => matchesEntry(entry, matches)));
}

function fromPs(matches: readonly EnvMatch[]): number[] {
  let listing: string;
  try {
    listing = execFileSync('ps', ['-E', '-ww', '-ax', '-o', 'pid=,command='], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const line of listing.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const pid = Number(match[1]);
    // Markers hold no spaces, so the words of the line are the candidates.
    if (!isSelf(pid) && match[2]!.split(/\s+/).some((word) => matchesEntry(word, matches))) found.push(pid);
  }
  return found;
}

function matchesEntry(entry: string, matches: readonly EnvMatch[]): boolean {
  for (const { name, value, prefix } of matches) {
    const wanted = `${name}=${value}`;
    if (prefix ? entry.startsWith(wanted) : entry === wanted) return true;
  }
  return false;
}

/** Never this process (it may carry a batch marker itself) nor whoever started it. */
function isSelf(pid: number): boolean {
  return pid === process.pid || pid === process.ppid;
}
