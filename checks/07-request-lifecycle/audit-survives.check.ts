// Every request ends by starting an audit write that nobody awaits. With AUDIT_FAIL=1
// each of those promises rejects about 20 ms after the response: without a catch of
// its own, that rejection is unhandled and Node ends the process.
import { describeExit, send } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { delay } from './_lifecycle.ts';

const start = useServers();
const SENT = ['cd 07-request-lifecycle && AUDIT_FAIL=1 npx tsx main.ts', 'curl -i http://localhost:3000/messages   (twice, a moment apart)'];

check({ id: 'audit-survives', group: 'background-work', title: 'a rejected audit does not end the process: it keeps serving' }, async () => {
  const server = await start({ env: { AUDIT_FAIL: '1' } });
  const first = await send(server, { path: '/messages' }, 'status 200 from GET /messages', { headersWithinMs: scaled(1000) });
  expectResponse(first, { status: 200, sent: SENT, expected: 'status 200 from GET /messages', means: 'the messages routes of phase 06 must keep working' });
  // The simulated audit store answers after 20 ms; this leaves the rejection time to land.
  await delay(300);
  const exit = server.exit ?? (await server.proc.waitForExit(scaled(50)));
  if (exit) {
    fail({
      sent: SENT,
      expected: 'the server still running after the audit of that request failed',
      got: `the server process ${describeExit(exit)} ${exit.afterMs} ms after it started, shortly after answering`,
      means: 'the audit promise nobody awaits rejected with no catch of its own: an unhandled rejection ends the process. Give store.recordAudit(...) its own .catch that logs',
      serverOutput: server.tail(),
    });
  }
  const second = await send(server, { path: '/messages' }, 'status 200 from a second GET /messages', { headersWithinMs: scaled(1000) });
  expectResponse(second, { status: 200, sent: SENT, expected: 'status 200 from the second GET /messages', means: 'a failed audit must not change how later requests are answered' });
});
