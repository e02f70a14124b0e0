// Imports one of the learner's modules in a process of its own and calls one of its
// exports with arguments the check describes, then reports what happened as JSON.
// It runs here, not in the check's worker, because the learner's code may hang, exit,
// listen or loop: a child process can be killed, a worker cannot be trusted after that.
//
// Usage (learner-module.ts): node --import <tsx loader> learner-call.mjs <spec as JSON>
// Spec: { file, exportName, settleWithinMs, calls: [{ label, args, invoke?, errorMessage? }] }
//
// Arguments are JSON; a few marker objects stand for things JSON cannot carry:
//   {"$fn": "noop"}        a function that does nothing (a route handler, say)
//   {"$ctx": {...}}        a context object; middleware check they receive this very object
//   {"$last": true}        a function that records "last" in the trace and resolves
//   {"$mw": {name, do, pauseMs?}}  a middleware that writes what it does to the trace:
//       next        "<name>:in", await next(), "<name>:out" (pausing pauseMs on both sides)
//       next-twice  "<name>:in", await next(), "<name>:again", await next(), "<name>:out"
//       stop        "<name>:stop" and returns without calling next
//       throw-sync  "<name>:throw", then throws the call's error from a plain function
//       throw-async "<name>:throw", then rejects with the call's error after a pause
//       catch-next  "<name>:in", await next() inside try/catch ("<name>:caught-same" or
//                   "<name>:caught-other"), "<name>:out"
// Each middleware also records "<name>:wrong-ctx" if it was handed another ctx. Errors
// that escape unhandled while a call runs are reported with it ("escaped").
//
// Events go to the harness over IPC (probe-channel.mjs): {"kind":"imported",...}, one
// {"kind":"call",...} per call, {"kind":"done"} (or {"kind":"import-failed"} instead).
import { finish, importLearnerModule, report } from './probe-channel.mjs';

const realWrite = process.stdout.write.bind(process.stdout);
const spec = JSON.parse(process.argv[2]);

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function describeError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}

function describeValue(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  if (typeof value === 'function') return 'a function';
  return typeof value;
}

// What the learner's module prints while it is imported: it should print nothing.
let importOutput = '';
process.stdout.write = (chunk, ...rest) => {
  importOutput += String(chunk);
  return realWrite(chunk, ...rest);
};

const mod = await importLearnerModule(spec.file);
// Let top-level timers and promises of the module run briefly before looking for sockets.
await pause(50);
process.stdout.write = realWrite;
const openHandles = process
  .getActiveResourcesInfo()
  .filter((name) => /^(TCPServerWrap|TCPWRAP|PipeServerWrap|Timeout)$/.test(name));
const target = mod[spec.exportName];
report({
  kind: 'imported',
  exportNames: Object.keys(mod),
  exportType: describeValue(target),
  importOutput: importOutput.slice(0, 2000),
  openHandles,
});
if (typeof target !== 'function') {
  await finish({ kind: 'done' });
}

/** Turns the JSON markers of one call into real values, sharing that call's trace and error. */
function materialise(value, call) {
  if (Array.isArray(value)) return value.map((item) => materialise(item, call));
  if (typeof value !== 'object' || value === null) return value;
  if ('$fn' in value) return () => {};
  if ('$ctx' in value) {
    call.ctx = { ...value.$ctx };
    return call.ctx;
  }
  if ('$last' in value) {
    return async () => {
      call.trace.push('last');
    };
  }
  if ('$mw' in value) return middleware(value.$mw, call);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, materialise(item, call)]));
}

function middleware({ name, do: behaviour, pauseMs = 0 }, call) {
  const seeCtx = (ctx) => {
    if (call.ctx !== undefined && ctx !== call.ctx) call.trace.push(`${name}:wrong-ctx`);
  };
  if (behaviour === 'throw-sync') {
    return (ctx) => {
      seeCtx(ctx);
      call.trace.push(`${name}:throw`);
      throw call.error;
    };
  }
  return async (ctx, next) => {
    seeCtx(ctx);
    switch (behaviour) {
      case 'stop':
        call.trace.push(`${name}:stop`);
        return;
      case 'throw-async':
        call.trace.push(`${name}:throw`);
        await pause(pauseMs);
        throw call.error;
      case 'next-twice':
        call.trace.push(`${name}:in`);
        await next();
        call.trace.push(`${name}:again`);
        await next();
        call.trace.push(`${name}:out`);
        return;
      case 'catch-next':
        call.trace.push(`${name}:in`);
        try {
          await next();
        } catch (error) {
          call.trace.push(error === call.error ? `${name}:caught-same` : `${name}:caught-other`);
        }
        call.trace.push(`${name}:out`);
        return;
      default:
        await pause(pauseMs);
        call.trace.push(`${name}:in`);
        await next();
        await pause(pauseMs);
        call.trace.push(`${name}:out`);
    }
  };
}

/** Settles a promise-or-value within the deadline: resolved, rejected, or still pending. */
async function settle(value, call) {
  const started = performance.now();
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ state: 'pending' }), spec.settleWithinMs);
  });
  const outcome = await Promise.race([
    Promise.resolve(value).then(
      (result) => ({ state: 'resolved', value: describeValue(result) }),
      (error) => ({ state: 'rejected', error: describeError(error), sameError: error === call.error }),
    ),
    deadline,
  ]);
  clearTimeout(timer);
  return { ...outcome, ms: Math.round(performance.now() - started) };
}

// A compose that starts the rest of the chain without waiting for it lets errors escape
// with nothing to catch them; by default that would kill this process. Keep them as
// evidence for the call that was running instead.
let current;
const escaped = (error) => current?.escaped.push(describeError(error));
process.on('unhandledRejection', escaped);
process.on('uncaughtException', escaped);

for (const callSpec of spec.calls) {
  const call = { trace: [], error: new Error(callSpec.errorMessage ?? 'probe error'), ctx: undefined, escaped: [] };
  current = call;
  const event = { kind: 'call', label: callSpec.label, trace: call.trace };
  try {
    const returned = target(...materialise(callSpec.args, call));
    event.returned = describeValue(returned);
    if (callSpec.invoke) {
      if (typeof returned !== 'function') {
        event.invoked = { state: 'not-a-function' };
      } else {
        let produced;
        try {
          produced = returned(...materialise(callSpec.invoke.args, call));
        } catch (error) {
          // A synchronous throw from the composed function: reported as such.
          event.invoked = { state: 'threw', error: describeError(error), sameError: error === call.error, ms: 0 };
        }
        event.invoked ??= await settle(produced, call);
        // Give stray work (a chain that went on without waiting) time to show in the trace.
        await pause(callSpec.invoke.lingerMs ?? 0);
      }
    }
  } catch (error) {
    event.threw = describeError(error);
  }
  // Let a stray rejection of this call surface before moving on (one turn of the loop).
  await pause(0);
  event.trace = [...call.trace];
  event.escaped = [...call.escaped];
  report(event);
}
finish({ kind: 'done' });
