// The probe protocol, on the probe's side (06's _import-probe.mjs, learner-call.mjs): each event
// goes to the harness over the IPC channel spawn-learner.ts opened, as
// { type: 'learn-node-http:probe', event: { kind, ... } }. Never on stdout: that belongs to
// the learner's module, which may print anything.
import { pathToFileURL } from 'node:url';

const PROBE_MESSAGE = 'learn-node-http:probe';

export function report(event) {
  process.send?.({ type: PROBE_MESSAGE, event });
}

/**
 * Reports `event`, then exits once the channel has taken it (an exit right after send() could
 * lose it). The promise never settles: `await finish(...)` stops the probe's code right there.
 */
export function finish(event) {
  if (typeof process.send !== 'function') process.exit(0);
  process.send({ type: PROBE_MESSAGE, event }, () => process.exit(0));
  return new Promise(() => {});
}

/** The learner's module; if importing it throws, the probe reports 'import-failed' and ends. */
export async function importLearnerModule(file) {
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    return finish({ kind: 'import-failed', error: String(error?.stack ?? error) });
  }
}
