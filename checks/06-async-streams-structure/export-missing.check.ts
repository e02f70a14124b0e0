// When the file behind GET /export does not exist, the server must notice before it
// commits a 200: open or stat the file first, then answer a clean JSON error.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { attempt, jsonErrorOf, send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { useServers } from '../_harness/start-server.ts';

const start = useServers();
const missing = once(async () => {
  const server = await start({ env: { BIG_JSON: path.join(os.tmpdir(), `no-such-export-${randomUUID()}.json`) } });
  return { server, answer: await attempt(server, { path: '/export' }) };
});

check({ id: 'export-missing/a-missing-export-file-gives-a-404-or-500-json-error-not-a-cr', group: 'piping-big-json', title: 'a missing export file gives a 404 or 500 JSON error, not a crash or a cut' }, async () => {
  const { server, answer } = await missing();
  const expected = 'status 404 (or 500) with a JSON body like {"error":"export file not found"}';
  if (!answer.complete) {
    fail({ sent: `BIG_JSON=/no/such/file.json, then ${answer.curl}`, expected, got: answer.problem!.got, means: answer.problem!.means, serverOutput: server.tail() });
  }
  if (![404, 500].includes(answer.status!) || jsonErrorOf(answer) === undefined) {
    fail({
      sent: `BIG_JSON=/no/such/file.json, then ${answer.curl}`,
      expected,
      got: summarize(answer),
      means: 'the status was committed before the file was known to exist: stat (or open) the file first, and only then write the 200 headers and pipe',
    });
  }
});

check({ id: 'export-missing/the-server-keeps-serving-after-a-missing-export-file', group: 'piping-big-json', title: 'the server keeps serving after a missing export file' }, async () => {
  const { server, answer } = await missing();
  const next = await send(server, { path: '/messages' }, 'status 200 from GET /messages after the failed export');
  expectResponse(next, { status: 200, sent: [answer.curl, next.curl], means: 'the failed export left the server broken' });
});
