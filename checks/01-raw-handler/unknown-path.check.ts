// A ServerResponse starts as 200 OK. A path the server does not serve must be answered
// 404 on purpose, or every typo in a URL looks like a success.
import { send } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { useServers } from '../_harness/start-server.ts';
import { token } from './_random.ts';

const start = useServers();

check({ id: 'unknown-path', group: 'explicit-status', title: 'a path the server does not serve answers 404, not the default 200' }, async () => {
  const server = await start();
  const path = `/nope-${token()}/${token(4)}`;
  const answer = await send(server, { path }, 'status 404');
  expectResponse(answer, {
    status: 404,
    expected: 'status 404 (a body such as "Not Found\\n")',
    means: () =>
      answer.status === 200
        ? 'the fallback branch never sets a status, so Node sends its default 200: answer 404 explicitly when no path matched'
        : 'only "/", "/inspect..." and "/hello" are served; everything else is 404 Not Found',
  });
});
