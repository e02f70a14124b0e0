// A duplicate row can never be reached: the first one always wins. createRouter finds
// out while the table is built, so the mistake stops the server at start-up instead of
// hiding in production. The check calls the learner's createRouter itself, in a child
// process (see learner-module.ts), with a random path.
import { check } from '../_harness/check.ts';
import { submission } from '../_harness/context.ts';
import { fail } from '../_harness/failures.ts';
import { noop, useLearnerModule } from '../_harness/learner-module.ts';
import { rand } from './_messages.ts';

const callExport = useLearnerModule(() => submission().dir);
const SIGNATURE = 'function createRouter(routes: { method: string; path: string; handler: Function }[])';

check({ id: 'duplicate-routes', group: 'duplicate-routes', title: 'createRouter rejects a duplicate route when the table is built' }, async () => {
  const base = `/things-${rand()}`;
  const distinct = [
    { method: 'GET', path: base, handler: noop },
    { method: 'POST', path: base, handler: noop },
    { method: 'GET', path: `${base}/:id`, handler: noop },
    { method: 'DELETE', path: `${base}/:id`, handler: noop },
  ];
  const duplicated = [...distinct, { method: 'GET', path: `${base}/:id`, handler: noop }];
  const show = (rows: typeof distinct) => `createRouter([${rows.map((r) => `{ method: '${r.method}', path: '${r.path}', handler }`).join(', ')}])`;
  const report = await callExport({
    file: 'router.ts',
    exportName: 'createRouter',
    signature: SIGNATURE,
    calls: [
      { label: 'distinct', args: [distinct] },
      { label: 'duplicated', args: [duplicated] },
    ],
  });
  const [ok, dup] = report.calls;
  if (ok?.threw) {
    fail({
      sent: show(distinct),
      expected: 'no error: the same path with different methods is not a duplicate',
      got: `it threw ${ok.threw.name}: ${ok.threw.message}`,
      means: 'a duplicate is the same method AND the same path: build the key from both, e.g. `${method} ${path}`',
    });
  }
  if (!dup?.threw) {
    fail({
      sent: show(duplicated),
      expected: `createRouter to throw an Error: "GET ${base}/:id" appears twice`,
      got: `it returned ${dup?.returned ?? 'nothing'} without complaint`,
      means: 'the second row could never answer (the first always wins). Keep a Set of `${method} ${path}` while building and throw when a key is already in it',
    });
  }
});
