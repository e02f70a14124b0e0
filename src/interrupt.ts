/**
 * Ctrl-C (SIGINT) and SIGTERM for the commands that run checks (verify, next, watch), and
 * the temp folder they work in.
 *
 * The learner's servers run in process groups of their own (so the checks can kill each
 * one with everything it started), which also means the terminal's Ctrl-C does not reach
 * them: without this, an interrupted `verify --all` or `next` left servers listening, with
 * parent PID 1, and temp folders behind. So, for the whole command:
 *
 * - Everything it starts works under one private temp folder (TMPDIR, TMP, TEMP point into
 *   it; vitest's threads and the servers inherit it), removed when the process exits,
 *   however it exits. The cache of generated fixtures stays in the real temp folder.
 * - Everything it starts carries LEARN_NODE_HTTP_MARKER=learn-node-http-session:<pid> (the
 *   check harness passes that variable on to each server), so a sweep of the process table
 *   finds every server, even one that escaped its group.
 * - On SIGINT or SIGTERM: a command that handles the signal itself (a batch stops its
 *   grading processes, watch stops watching) does so; otherwise one line is printed,
 *   every process carrying the marker is killed, the temp folder removed, and the process
 *   exits 130 (SIGINT) or 143 (SIGTERM).
 *
 * A TMPDIR that does not exist or cannot be written is found here, before anything runs,
 * and said in one sentence (exit 2).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepProcessesWithEnv } from '../checks/_process/sweep.ts';
import { describeFsError, UserError } from './errors.ts';

const MARKER_VARIABLE = 'LEARN_NODE_HTTP_MARKER';

export interface Session {
  /** Wraps a context's onInterrupt so the session knows when a command handles signals itself. */
  readonly onInterrupt: (register: (handler: () => void) => () => void) => (handler: () => void) => () => void;
  /** The signal that interrupted the command, if one did. */
  readonly signal: () => NodeJS.Signals | null;
  /** The exit code for an interrupted command: 130 for SIGINT, 143 for SIGTERM. */
  readonly exitCode: () => number | null;
}

/** The value of the marker for a session in process `pid` (tests look for it). */
export function sessionMarker(pid: number = process.pid): string {
  return `learn-node-http-session:${pid}`;
}

export function startSession(write: (line: string) => void): Session {
  const env = process.env;
  const base = os.tmpdir();
  const from = env['TMPDIR'] ? 'TMPDIR' : env['TMP'] ? 'TMP' : env['TEMP'] ? 'TEMP' : 'the system default';
  let stats;
  try {
    stats = statSync(base);
  } catch (error) {
    throw new UserError(`The temporary folder ${base} (from ${from}) cannot be used (${describeFsError(error)}). Point TMPDIR at a folder that exists and that you can write to (or unset it), then run the command again.`);
  }
  if (!stats.isDirectory()) {
    throw new UserError(`The temporary folder ${base} (from ${from}) is not a folder. Point TMPDIR at a folder you can write to (or unset it), then run the command again.`);
  }
  let root: string;
  try {
    root = mkdtempSync(join(base, `learn-node-http-${process.pid}-`));
  } catch (error) {
    throw new UserError(`Cannot create a folder in the temporary folder ${base} (from ${from}): ${describeFsError(error)}. Point TMPDIR at a folder you can write to, then run the command again.`);
  }
  // The big generated fixture is made once per machine, in the real temp folder.
  env['LEARN_NODE_HTTP_CACHE'] ||= join(base, 'learn-node-http-cache');
  env['TMPDIR'] = root;
  env['TMP'] = root;
  env['TEMP'] = root;
  const marker = sessionMarker();
  env[MARKER_VARIABLE] = marker;

  let received: NodeJS.Signals | null = null;
  const cleanUp = (): void => {
    if (received !== null) sweepProcessesWithEnv(MARKER_VARIABLE, marker);
    rmSync(root, { recursive: true, force: true, maxRetries: 2 });
  };
  process.once('exit', cleanUp);

  let handlers = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received !== null) {
      // A second Ctrl-C: stop now.
      process.exit(codeFor(signal));
    }
    received = signal;
    // Whoever ends the process (this handler, a command's own, a second Ctrl-C), the
    // reaper finishes the job after it is gone.
    startReaper(marker, root);
    if (handlers > 0) {
      // The command stops its own work (a batch its grading processes, watch its watcher)
      // and says so; it gets a little time, then this exits anyway.
      setTimeout(() => process.exit(codeFor(signal)), 15_000).unref();
      return;
    }
    write(`Interrupted (${signal}): stopped every server the checks started and removed their temp folder.`);
    sweepProcessesWithEnv(MARKER_VARIABLE, marker);
    setTimeout(() => process.exit(codeFor(signal)), 150);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    onInterrupt: (register) => (handler) => {
      handlers++;
      const remove = register(handler);
      return () => {
        handlers--;
        remove();
      };
    },
    signal: () => received,
    exitCode: () => (received === null ? null : codeFor(received)),
  };
}

const REAPER = fileURLToPath(new URL('./reaper.mjs', import.meta.url));

/** A detached process that outlives this one: see reaper.mjs. It carries no marker itself. */
function startReaper(marker: string, root: string): void {
  const env = { ...process.env };
  delete env[MARKER_VARIABLE];
  try {
    spawn(process.execPath, [REAPER, String(process.pid), MARKER_VARIABLE, marker, root], { detached: true, stdio: 'ignore', env }).unref();
  } catch {
    // The exit handler still sweeps and removes what it can.
  }
}

function codeFor(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130;
}
