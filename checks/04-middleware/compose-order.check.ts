// compose() is called directly, in a child process, on stacks of middleware that write
// down what they do. Short pauses inside each middleware make "next() resolves when
// everything after it has finished" observable: a next() that does not wait shows up as
// a scrambled order.
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { ctxMarker, mw } from '../_harness/learner-module.ts';
import { once } from '../_harness/once.ts';
import { describeRun, outcomeOf, useCompose } from './_compose.ts';

const runCompose = useCompose();
const ctx = () => [ctxMarker({ id: 'ctx' })];
const report = once(() =>
  runCompose([
    { label: 'order', args: [['a', 'b', 'c'].map((name) => mw({ name, do: 'next', pauseMs: 5 }))], invoke: { args: ctx(), lingerMs: 50 } },
    { label: 'twice', args: [[mw({ name: 'a', do: 'next-twice' }), mw({ name: 'b', do: 'next' })]], invoke: { args: ctx(), lingerMs: 50 } },
    { label: 'stop', args: [[mw({ name: 'guard', do: 'stop' }), mw({ name: 'later', do: 'next' })]], invoke: { args: ctx(), lingerMs: 50 } },
  ]),
);

check({ id: 'compose-order/compose-runs-middleware-in-order-and-unwinds-in-reverse', group: 'compose-contract', title: 'compose runs middleware in order and unwinds in reverse' }, async () => {
  const run = outcomeOf(await report(), 'order');
  const expected = ['a:in', 'b:in', 'c:in', 'c:out', 'b:out', 'a:out'];
  if (run.invoked?.state !== 'resolved' || run.trace.join() !== expected.join()) {
    fail({
      sent: 'compose([a, b, c])(ctx), each: pause 5 ms, note "in", await next(), pause 5 ms, note "out"',
      expected: `the composed promise resolves after the middleware ran as: ${expected.join(', ')}`,
      got: describeRun(run),
      means: 'next() must return the promise of the rest of the stack (return dispatch(i + 1)), so `await next()` waits until everything after it has finished',
    });
  }
});

check({ id: 'compose-order/calling-next-twice-is-rejected', group: 'compose-contract', title: 'Calling next() twice is rejected' }, async () => {
  const run = outcomeOf(await report(), 'twice');
  const downstream = run.trace.filter((step) => step === 'b:in').length;
  if (run.invoked?.state !== 'rejected' || downstream !== 1) {
    fail({
      sent: 'compose([a, b])(ctx) where a does: await next(); await next();',
      expected: 'the second next() rejects (any Error), so the composed promise rejects, and b has run exactly once',
      got: `${describeRun(run)} (b ran ${downstream} times)`,
      means: 'remember the highest position already started; when next() is asked for it again, return Promise.reject(new Error("next() called twice"))',
    });
  }
});

check({ id: 'compose-order/a-middleware-that-does-not-call-next-stops-the-chain', group: 'compose-contract', title: 'A middleware that does not call next() stops the chain' }, async () => {
  const run = outcomeOf(await report(), 'stop');
  if (run.invoked?.state !== 'resolved' || run.trace.join() !== 'guard:stop') {
    fail({
      sent: 'compose([guard, later])(ctx) where guard returns without calling next()',
      expected: 'the composed promise resolves and later never runs',
      got: describeRun(run),
      means: 'only next() may move the chain forward: a loop over the stack, or a .then() that carries on after a middleware, runs middleware that a guard meant to stop',
    });
  }
});
