// Errors thrown anywhere in the stack travel back up to withErrorResponses, which
// answers once and does not rethrow. Three requests pipelined on one connection show
// it: each gets exactly one answer, in order, and the connection survives.
import { curlLine } from '../_client/curl.ts';
import { send } from '../_client/http.ts';
import { rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { jsonShape, rand, withLength } from './_server.ts';

const start = useServers();

check({ id: 'error-flow', group: 'error-flow', title: 'An error gets exactly one response and the server keeps serving' }, async () => {
  const server = await start();
  const shapes = [{ path: `/messages/%zz${rand(2)}` }, jsonShape('POST', '/messages', '{"text":'), { path: '/messages', headers: { Connection: 'close' } }];
  const sent = [...shapes.map((shape) => curlLine(shape)), '(all three on one connection)'];
  const outcome = await withRaw(server, async (conn) => {
    await conn.write(Buffer.concat(shapes.map((shape) => rawRequest(withLength(shape)))));
    await conn.response(2, scaled(3000));
    await conn.closed(1000);
    return { statuses: conn.responses.filter((r) => r.complete).map((r) => r.status), protocolError: conn.protocolError, received: conn.describeReceived() };
  });
  if (outcome.statuses.join() !== '400,400,200' || outcome.protocolError) {
    fail({
      sent,
      expected: 'exactly three complete answers, in order: 400, 400, 200',
      got: outcome.protocolError ? `${outcome.received}; then ${outcome.protocolError}` : outcome.received,
      means: 'withErrorResponses must answer the error and stop there: rethrowing it (or answering again further out) cuts the connection or sends a second response',
      serverOutput: server.tail(),
    });
  }
  const twice = server.lateWrites.find((write) => shapes.some((shape) => write.url === shape.path));
  if (twice) {
    fail({
      sent,
      expected: 'one response per request, written once',
      got: `${twice.call}() on ${twice.method} ${twice.url} ${twice.state}, at ${twice.where}`,
      means: 'two places answer the same error: only the error middleware sends error responses',
    });
  }
  const after = await send(server, { path: '/messages' }, 'status 200 on a fresh connection');
  expectResponse(after, { status: 200, means: 'the errors left the server broken', serverOutput: server.tail() });
});
