/**
 * Calls a function the learner exports (phase 03's createRouter, phase 04's compose)
 * in a child process with a deadline (see learner-call.mjs for the argument markers),
 * and returns what happened as plain data: what importing printed or left open, what
 * each call returned or threw, and the trace of the middleware the check handed in.
 *
 * Never in the check's own worker: a compose that never settles, a module that
 * listens or calls process.exit must cost one killed child, not the whole run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWithinMs, useProbes } from '../_process/spawn-learner.ts';
import { fail, InfraError } from './failures.ts';

const PROBE = fileURLToPath(new URL('./learner-call.mjs', import.meta.url));

type ProbeEvent =
  | ({ kind: 'imported' } & Pick<ModuleReport, 'exportNames' | 'exportType' | 'importOutput' | 'openHandles'>)
  | ({ kind: 'call' } & CallOutcome)
  | { kind: 'import-failed'; error: string }
  | { kind: 'done' };

/** A middleware the probe builds; see learner-call.mjs for what each behaviour records. */
export interface MiddlewareSpec {
  readonly name: string;
  readonly do: 'next' | 'next-twice' | 'stop' | 'throw-sync' | 'throw-async' | 'catch-next';
  readonly pauseMs?: number;
}

export const noop = { $fn: 'noop' } as const;
export const lastMarker = { $last: true } as const;
export const mw = (spec: MiddlewareSpec) => ({ $mw: spec });
export const ctxMarker = (fields: Record<string, unknown>) => ({ $ctx: fields });

export interface CallSpec {
  readonly label: string;
  /** Arguments, JSON plus the markers above. */
  readonly args: readonly unknown[];
  /** Call what the export returned with these arguments and wait for it to settle. */
  readonly invoke?: { readonly args: readonly unknown[]; readonly lingerMs?: number };
  /** The message of the error object that throw-* middleware throw (randomise it). */
  readonly errorMessage?: string;
}

export interface Settled {
  readonly state: 'resolved' | 'rejected' | 'pending' | 'threw' | 'not-a-function';
  readonly value?: string;
  readonly error?: { readonly name: string; readonly message: string };
  /** The rejection is the very error object the middleware threw. */
  readonly sameError?: boolean;
  readonly ms?: number;
}

export interface CallOutcome {
  readonly label: string;
  /** What the export returned, described ("a function", "an object (Object)"). */
  readonly returned?: string;
  /** Set when calling the export threw. */
  readonly threw?: { readonly name: string; readonly message: string };
  readonly invoked?: Settled;
  readonly trace: readonly string[];
  /** Errors that escaped unhandled (an unhandled rejection) while this call ran. */
  readonly escaped: readonly { readonly name: string; readonly message: string }[];
}

export interface ModuleReport {
  readonly file: string;
  readonly exportNames: readonly string[];
  /** typeof-like description of the export asked for ("a function", "undefined"). */
  readonly exportType: string;
  /** What importing the module printed on stdout (should be nothing). */
  readonly importOutput: string;
  /** Handles still open after the import settled (a listening server, a timer). */
  readonly openHandles: readonly string[];
  readonly calls: readonly CallOutcome[];
}

export interface CallOptions {
  /** File name inside the learner's phase folder. */
  readonly file: string;
  readonly exportName: string;
  /** How the learner should have written it, for the "not exported" message. */
  readonly signature: string;
  readonly calls: readonly CallSpec[];
  /** Deadline for each promise the probe waits on (default 1000 ms). */
  readonly settleWithinMs?: number;
}

/**
 * Registers an afterAll that stops every probe this check file started, and returns
 * the function that runs one. It fails the check (a CheckFailure that teaches) when the
 * file is missing, cannot be imported, or does not export a function of that name.
 */
export function useLearnerModule(dir: () => string): (options: CallOptions) => Promise<ModuleReport> {
  const runProbe = useProbes();
  return async (options) => {
    const file = path.join(dir(), options.file);
    if (!existsSync(file)) {
      fail({
        expected: `${options.file} in the phase folder, exporting ${options.signature}`,
        got: `there is no ${options.file}`,
        means: 'the file was renamed, moved or deleted: the checks import it by this name',
      });
    }
    const settleWithinMs = options.settleWithinMs ?? 1000;
    const spec = { file, exportName: options.exportName, settleWithinMs, calls: options.calls };
    // Start-up (tsx on a busy machine) plus every call's own deadline and linger.
    const withinMs = startWithinMs() + options.calls.reduce((sum, call) => sum + settleWithinMs + (call.invoke?.lingerMs ?? 0), 0);
    const { proc, events, finished } = await runProbe<ProbeEvent>({
      folder: dir(),
      probe: [PROBE, JSON.stringify(spec)],
      final: ['done', 'import-failed'],
      withinMs,
    });
    const failedImport = events.find((event) => event.kind === 'import-failed');
    if (failedImport) {
      fail({
        expected: `import("./${options.file}") to succeed`,
        got: 'importing it threw (below)',
        means: 'the module must load on its own: a syntax error, or an import of a file that does not exist',
        serverOutput: failedImport.error.split('\n').slice(0, 12).join('\n'),
      });
    }
    const imported = events.find((event) => event.kind === 'imported');
    if (!imported) {
      if (!finished && !proc.exit) {
        fail({
          expected: `import("./${options.file}") to finish`,
          got: `it did not finish within ${withinMs} ms`,
          means: `top-level code in ${options.file} (or a file it imports) waits on something that never ends`,
          serverOutput: proc.tail(),
        });
      }
      if (proc.exit && proc.exit.code !== 0) {
        fail({
          expected: `import("./${options.file}") to finish`,
          got: `the process exited with code ${proc.exit.code} while importing it`,
          means: `top-level code in ${options.file} called process.exit() or crashed`,
          serverOutput: proc.tail(),
        });
      }
      throw new InfraError(`The module probe for ${file} reported nothing (exit ${JSON.stringify(proc.exit)}): ${proc.tail()}`);
    }
    if (imported.exportType !== 'a function') {
      fail({
        expected: `${options.file} to export ${options.signature}`,
        got: `its export "${options.exportName}" is ${imported.exportType} (exports: ${imported.exportNames.join(', ') || 'none'})`,
        means: `the checks call ${options.exportName} directly: export it by that exact name (export function ${options.exportName}...)`,
      });
    }
    const calls = events.filter((event) => event.kind === 'call');
    if (!finished || calls.length < options.calls.length) {
      fail({
        expected: `each call of ${options.exportName} to return (the probe waits ${settleWithinMs} ms for every promise)`,
        got: `${calls.length} of ${options.calls.length} calls reported back within ${withinMs} ms`,
        means: `a call of ${options.exportName} blocked the process (an endless loop?) or exited it`,
        serverOutput: proc.tail(),
      });
    }
    return {
      file,
      exportNames: imported.exportNames,
      exportType: imported.exportType,
      importOutput: imported.importOutput,
      openHandles: imported.openHandles,
      calls,
    };
  };
}
