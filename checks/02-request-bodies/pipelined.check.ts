// Two requests in one write on one connection (pipelining): each must get its own body
// back. A body collected into anything shared (a module-level array) mixes them up.
import { parseJson } from '../_client/http.ts';
import { ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { isDeepStrictEqual } from 'node:util';
import { randomObject } from './_bodies.ts';

const start = useServers();

check({ id: 'pipelined', group: 'json-body', title: 'two pipelined POST /echo requests each get their own body back' }, async () => {
  const server = await start();
  const sent = [randomObject(), randomObject()];
  const requests = sent.map((value) => {
    const body = JSON.stringify(value);
    return rawRequest({ method: 'POST', path: '/echo', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, body });
  });
  const bytes = Buffer.concat(requests);
  const outcome = await withRaw(server, async (conn) => {
    await conn.write(bytes);
    const second = await conn.response(1, scaled(3000));
    return { second, responses: conn.responses };
  });
  const shown = ncLine(bytes, 'two requests, one write');
  if (!outcome.second.ok) {
    fail({ sent: shown, expected: 'two complete responses, in order', got: outcome.second.got, means: 'the second request on the connection was never answered', serverOutput: server.tail() });
  }
  for (const [index, response] of outcome.responses.slice(0, 2).entries()) {
    const echoed = parseJson(response.body.toString('utf8'));
    if (response.status === 200 && echoed.ok && isDeepStrictEqual(echoed.value, sent[index])) continue;
    fail({
      sent: shown,
      expected: `response ${index + 1}: status 200 with ${JSON.stringify(sent[index])}`,
      got: `status ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`,
      means: 'the bytes of one request leaked into another: collect each body in variables local to that request (inside the function that reads it), never at module level',
    });
  }
});
