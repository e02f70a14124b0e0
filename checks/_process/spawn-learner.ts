/**
 * The only place that starts the learner's code: their server (start-server.ts), and the
 * probes of ours that import one of their modules (06's _module-probe.ts, learner-module.ts).
 * Every such process starts the same way:
 *
 *   node <permission flags> --import <tsx loader> [--import <preload>] <file> [args]
 *
 * or, for a server whose folder was compiled once for the run (compile-once.ts), the same
 * with --enable-source-maps in place of the loader and the compiled file.
 *
 * One process, not `tsx` (which runs the file as its child): signals and memory
 * measurements must reach the learner's code itself. The loader is resolved from this
 * package, because tsx is not installed in the learner's folder. Around it:
 *   - the permission sandbox (sandbox.ts): writes only in the learner's folder and a
 *     private temp folder of the run; a refused write is explained next to the output;
 *   - a clean environment (clean-env.ts), plus what the caller sets on purpose (PORT...);
 *   - an IPC channel: the server preload and the probes report over it, never on stdout,
 *     which belongs to the learner;
 *   - launch() (processes.ts): the sweep marker in the environment, the memory ceiling,
 *     the bounded output tail, and stop() for the whole process group.
 *
 * The probe protocol: a probe (probe-channel.mjs on its side) sends
 * { type: 'learn-node-http:probe', event: { kind, ... } } once per event; useProbes collects
 * the events until one of the final kinds arrives, the process exits, or the deadline passes.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';
import { runScratchDir } from '../_harness/context.ts';
import { scaled } from '../_harness/pace.ts';
import { cleanEnv } from './clean-env.ts';
import { ENTRY_VARIABLE } from './compile-once.ts';
import { launch, stopAll, type ChildHandle } from './processes.ts';
import { describeDenied, findDenied, sandboxFor } from './sandbox.ts';

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const PROBE_MESSAGE = 'learn-node-http:probe';

/**
 * Start-up is ~0.2-0.5 s alone, ~1.5 s with four check workers starting servers at once on
 * two cores; the slack covers a cold tsx cache. Stretched by the measured pace (pace.ts), but
 * never past START_AT_MOST_MS: a check (60 s) must still have time for its requests.
 */
const START_WITHIN_MS = 10_000;
const START_AT_MOST_MS = 30_000;

/** How long the learner's code gets to start (load, compile, run its top level), stretched by the pace. */
export function startWithinMs(): number {
  return scaled(START_WITHIN_MS, { atMostMs: START_AT_MOST_MS });
}

export interface LearnerProcessOptions {
  /** The learner's phase folder: the working directory, and the only folder it may write in. */
  readonly folder: string;
  /** The file to run (the learner's entry, or a probe of ours) and its arguments. */
  readonly main: readonly string[];
  /** Modules imported before `main`, after the loader (the server preload). */
  readonly preload?: readonly string[];
  /** Set on purpose, on top of the clean environment (PORT, BIG_JSON...). */
  readonly env?: Readonly<Record<string, string>>;
  /** The `.ts` entry `main[0]` was compiled from (compile-once.ts): start it with plain node. */
  readonly compiledFrom?: string;
}

export function spawnLearner(options: LearnerProcessOptions): ChildHandle {
  // The private temp folder is the run's: shared by its learner processes, never the machine's /tmp.
  const sandbox = sandboxFor(options.folder, path.join(runScratchDir(), 'server-tmp'));
  const loader = options.compiledFrom === undefined ? ['--import', TSX_LOADER] : ['--enable-source-maps'];
  const imports = (options.preload ?? []).flatMap((module) => ['--import', module]);
  const entry: Record<string, string> = options.compiledFrom === undefined ? {} : { [ENTRY_VARIABLE]: options.compiledFrom };
  const proc = launch([...loader, ...imports, ...options.main], {
    cwd: options.folder,
    env: cleanEnv({ ...sandbox?.env, ...options.env, ...entry }),
    ipc: true,
    nodeFlags: sandbox?.nodeFlags ?? [],
  });
  // A refused write is explained in every failure that quotes this process's output.
  proc.addNoteSource(() => {
    const denied = findDenied(proc.output);
    return denied ? capitalise(describeDenied(denied, options.folder)) : undefined;
  });
  return proc;
}

export interface ProbeOptions<Kind extends string> {
  /** The learner's folder the probe runs in (see LearnerProcessOptions). */
  readonly folder: string;
  /** Absolute path of the probe script (a sibling .mjs that uses probe-channel.mjs), and its arguments. */
  readonly probe: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Events after which the probe has said all it will say. */
  readonly final: readonly Kind[];
  readonly withinMs: number;
}

export interface ProbeRun<Event> {
  readonly proc: ChildHandle;
  /** Every event the probe reported, in order. */
  readonly events: readonly Event[];
  /** A final event arrived in time (false: the process exited, or the deadline passed, first). */
  readonly finished: boolean;
}

/**
 * Registers an afterAll that stops every probe this check file started, and returns the
 * function that runs one (a probe that listens stays up until then).
 */
export function useProbes(): <Event extends { readonly kind: string }>(options: ProbeOptions<Event['kind']>) => Promise<ProbeRun<Event>> {
  const started: ChildHandle[] = [];
  afterAll(() => stopAll(started));
  return async <Event extends { readonly kind: string }>(options: ProbeOptions<Event['kind']>) => {
    const proc = spawnLearner({ folder: options.folder, main: options.probe, ...(options.env ? { env: options.env } : {}) });
    started.push(proc);
    const events: Event[] = [];
    const finished = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), options.withinMs);
      proc.child.on('message', (message: unknown) => {
        const m = message as { type?: unknown; event?: Event } | null;
        if (m?.type !== PROBE_MESSAGE || typeof m.event?.kind !== 'string') return;
        events.push(m.event);
        if (options.final.includes(m.event.kind)) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      // Messages sent before the exit arrive before it is reported.
      void proc.exited.then(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    return { proc, events, finished };
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
