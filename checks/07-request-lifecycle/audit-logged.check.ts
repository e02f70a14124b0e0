// A catch that keeps the process alive is half the policy; the other half is that
// somebody hears about the failure. Random paths make sure each log line carries the
// values of its own request (copied when it ended), not a fixed text.
import { randomBytes } from 'node:crypto';
import { describeExit, send } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { delay } from './_lifecycle.ts';

const start = useServers();

check({ id: 'audit-logged', group: 'background-work', title: 'every rejected audit is logged with the url of the request it was for' }, async () => {
  const server = await start({ env: { AUDIT_FAIL: '1' } });
  const paths = [0, 1, 2].map(() => `/messages/missing-${randomBytes(4).toString('hex')}`);
  const curls: string[] = ['cd 07-request-lifecycle && AUDIT_FAIL=1 npx tsx main.ts'];
  for (const path of paths) {
    const answer = await send(server, { path }, `status 404 for GET ${path}`, { headersWithinMs: scaled(1000) });
    curls.push(answer.curl);
    expectResponse(answer, { status: 404, sent: curls, expected: 'status 404 for an unknown message id', means: 'the messages routes of phase 06 must keep working' });
  }
  // Each audit rejects ~20 ms after its response; wait for the last one's line, bounded.
  await server.proc.waitForOutput(new RegExp(`audit failed[^\\n]*${paths[2]}`, 'i'), scaled(1000));
  await delay(50);
  const lines = server.proc.output.split('\n').filter((line) => /audit failed/i.test(line));
  const missing = paths.filter((path) => !lines.some((line) => line.includes(path)));
  // A crash is the cause to name, not the missing lines it left behind (one cause, one message).
  if (server.exit) {
    fail({
      sent: curls,
      expected: 'for each request, a log line containing "audit failed" and its url, and the server still running',
      got: `the server process ${describeExit(server.exit)} ${server.exit.afterMs} ms after it started${lines.length === 0 ? ', with no "audit failed" line' : ''}`,
      means: 'an audit rejection escaped its catch, and an unhandled rejection ends the process: give store.recordAudit(...) its own .catch that logs',
      serverOutput: server.tail(),
    });
  }
  if (missing.length > 0) {
    fail({
      sent: curls,
      expected: `for each request, a log line containing "audit failed" and its url, e.g. "audit failed for GET ${paths[0]}: audit store unavailable (simulated outage)"`,
      got: lines.length === 0 ? 'no "audit failed" line at all' : `no line naming ${missing.join(', ')}; the audit lines were:\n${lines.slice(-5).join('\n')}`,
      means:
        lines.length === 0
          ? 'the audit catch swallows the error: the process survives, but nobody ever learns the audit store is down. Log it with console.error'
          : 'the log line must name the request the audit was for: copy method and url into the audit event when the request ends, and log those',
      serverOutput: server.tail(),
    });
  }
});
