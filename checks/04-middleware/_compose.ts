/**
 * Shared by the compose checks: run the learner's compose() on stacks of middleware
 * the probe builds (each writes what it does to a trace; see learner-call.mjs), and
 * say in words how one run went, for failure messages.
 */
import { randomBytes } from 'node:crypto';
import { submission } from '../_harness/context.ts';
import { useLearnerModule, type CallOutcome, type CallSpec, type ModuleReport } from '../_harness/learner-module.ts';

export const COMPOSE_SIGNATURE = 'function compose<Ctx>(stack: readonly Middleware<Ctx>[]): (ctx: Ctx, next?: Next) => Promise<void>';

/** Registers the probe cleanup for this check file; returns a runner for compose calls. */
export function useCompose(): (calls: readonly CallSpec[]) => Promise<ModuleReport> {
  const callExport = useLearnerModule(() => submission().dir);
  return (calls) => callExport({ file: 'compose.ts', exportName: 'compose', signature: COMPOSE_SIGNATURE, calls, settleWithinMs: 1000 });
}

export function randomTag(): string {
  return randomBytes(4).toString('hex');
}

/** The call with this label (the probe reports every call, in order). */
export function outcomeOf(report: ModuleReport, label: string): CallOutcome {
  const found = report.calls.find((call) => call.label === label);
  if (!found) throw new Error(`the compose probe did not report the call "${label}"`);
  return found;
}

/** "compose(...) threw …" / "the composed promise rejected with Error: …" / "… never settled". */
export function describeRun(outcome: CallOutcome): string {
  const escaped = outcome.escaped.length
    ? `; meanwhile ${outcome.escaped.map((e) => `${e.name}: ${e.message}`).join(', ')} escaped as an unhandled rejection`
    : '';
  const trace = `; the middleware ran as: ${outcome.trace.length ? outcome.trace.join(', ') : '(nothing ran)'}${escaped}`;
  if (outcome.threw) return `compose(stack) itself threw ${outcome.threw.name}: ${outcome.threw.message}${trace}`;
  const invoked = outcome.invoked;
  if (!invoked) return `no result${trace}`;
  switch (invoked.state) {
    case 'not-a-function':
      return `compose(stack) returned ${outcome.returned}, not a function${trace}`;
    case 'pending':
      return `the composed promise did not settle within 1 s${trace}`;
    case 'threw':
      return `calling the composed function threw synchronously (${invoked.error?.name}: ${invoked.error?.message}) instead of returning a rejected promise${trace}`;
    case 'rejected':
      return `the composed promise rejected with ${invoked.error?.name}: ${invoked.error?.message}${trace}`;
    default:
      return `the composed promise resolved${trace}`;
  }
}
