// The rest of compose's contract: an error reaches the caller as the very object that
// was thrown (sync or async), an upstream try/catch can intercept it, ctx is handed
// along unchanged, the caller's own next() runs at the end, and importing compose.ts
// does nothing by itself.
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { ctxMarker, lastMarker, mw } from '../_harness/learner-module.ts';
import { once } from '../_harness/once.ts';
import { describeRun, outcomeOf, randomTag, useCompose } from './_compose.ts';

const runCompose = useCompose();
const boom = `boom-${randomTag()}`;
const ctx = () => [ctxMarker({ id: randomTag() })];
const report = once(() =>
  runCompose([
    { label: 'sync', errorMessage: boom, args: [[mw({ name: 'a', do: 'next' }), mw({ name: 'b', do: 'throw-sync' })]], invoke: { args: ctx() } },
    { label: 'async', errorMessage: boom, args: [[mw({ name: 'a', do: 'next' }), mw({ name: 'b', do: 'throw-async', pauseMs: 5 })]], invoke: { args: ctx() } },
    { label: 'caught', errorMessage: boom, args: [[mw({ name: 'a', do: 'catch-next' }), mw({ name: 'b', do: 'throw-async', pauseMs: 5 })]], invoke: { args: ctx() } },
    { label: 'last', args: [[mw({ name: 'a', do: 'next' }), mw({ name: 'b', do: 'next' })]], invoke: { args: [...ctx(), lastMarker] } },
    { label: 'empty', args: [[]], invoke: { args: ctx() } },
  ]),
);

check({ id: 'compose-errors/errors-reach-the-caller-unchanged', group: 'compose-contract', title: 'Errors reach the caller unchanged' }, async () => {
  const result = await report();
  for (const [label, how] of [['sync', 'throws synchronously'], ['async', 'rejects after a pause']] as const) {
    const run = outcomeOf(result, label);
    if (run.invoked?.state !== 'rejected' || !run.invoked.sameError || run.trace.includes('a:out')) {
      fail({
        sent: `compose([a, b])(ctx) where b ${how} with new Error("${boom}")`,
        expected: `the composed promise rejects with that same error object, and a's code after await next() does not run`,
        got: describeRun(run),
        means: 'an error must travel back up through every next(): no .catch() that logs and carries on, no wrapping in a new Error; turn a synchronous throw into a rejection with try/catch',
      });
    }
  }
  const caught = outcomeOf(result, 'caught');
  if (caught.invoked?.state !== 'resolved' || !caught.trace.includes('a:caught-same')) {
    fail({
      sent: `compose([a, b])(ctx) where a wraps await next() in try/catch and b rejects with new Error("${boom}")`,
      expected: "a's catch receives that same error, and the composed promise resolves",
      got: describeRun(caught),
      means: "next() must return a promise that rejects with the downstream error: that is what lets an error middleware catch it",
    });
  }
});

check({ id: 'compose-errors/compose-passes-ctx-along-and-calls-the-caller-s-next-at-the-', group: 'compose-contract', title: "compose passes ctx along and calls the caller's next at the end" }, async () => {
  const result = await report();
  const run = outcomeOf(result, 'last');
  const expected = ['a:in', 'b:in', 'last', 'b:out', 'a:out'];
  if (run.invoked?.state !== 'resolved' || run.trace.join() !== expected.join()) {
    fail({
      sent: 'compose([a, b])(ctx, last), each middleware awaiting next()',
      expected: `both get the very ctx given, and the run goes: ${expected.join(', ')}`,
      got: describeRun(run),
      means: run.trace.some((step) => step.endsWith('wrong-ctx'))
        ? 'every middleware must receive the same ctx object the composed function was called with'
        : 'past the end of the stack, next() must call the `next` the composed function was given (if any): that is how a stack nests inside another',
    });
  }
  const empty = outcomeOf(result, 'empty');
  if (empty.invoked?.state !== 'resolved') {
    fail({ sent: 'compose([])(ctx)', expected: 'a promise that resolves', got: describeRun(empty), means: 'an empty stack has nothing to do: past the end, resolve' });
  }
});

check({ id: 'compose-errors/importing-compose-ts-has-no-side-effects', group: 'compose-contract', title: 'Importing compose.ts has no side effects' }, async () => {
  const { importOutput, openHandles } = await report();
  if (importOutput.trim() !== '' || openHandles.length > 0) {
    fail({
      sent: 'import { compose } from "./compose.ts"',
      expected: 'nothing printed and nothing left running (no server, no timer)',
      got: importOutput.trim() ? `it printed: ${importOutput.trim().slice(0, 200)}` : `it left running: ${openHandles.join(', ')}`,
      means: 'compose.ts is a library: no console.log, listen() or setInterval at the top level; the server wires it up',
    });
  }
});
