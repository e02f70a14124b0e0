// The listener reads req.method and the pathname of one parsed URL. The query string is
// part of req.url but never part of the path: answering req.url leaks it.
import { send } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { useServers } from '../_harness/start-server.ts';
import { pick, token } from './_random.ts';

const start = useServers({ reuseAfterPass: true });

check({ id: 'method-and-path/get-answers-get', group: 'request-target', title: 'GET / answers "GET /"' }, async () => {
  const server = await start();
  const answer = await send(server, { path: '/' }, 'status 200 with the body "GET /\\n"');
  expectResponse(answer, {
    status: 200,
    body: 'GET /\n',
    expected: 'status 200 with the body exactly "GET /\\n" (the method, a space, the pathname, a newline)',
    means: 'the root path "/" is not answered like the /inspect paths: it must reply with the method and the pathname',
  });
});

check({ id: 'method-and-path/any-method-on-inspect-answers-the-method-and-the-pathname-ne', group: 'request-target', title: 'any method on /inspect/... answers the method and the pathname, never the query string' }, async () => {
  const server = await start();
  // Never GET: an answer that hard-codes the method cannot pass.
  const method = pick(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
  const pathname = `/inspect/${token()}/${token(4)}`;
  const query = `?${token(3)}=${token(5)}&x=1`;
  const answer = await send(server, { method, path: `${pathname}${query}` }, `status 200 with the body "${method} ${pathname}\\n"`);
  const wanted = `${method} ${pathname}\n`;
  expectResponse(answer, {
    status: 200,
    body: wanted,
    expected: `status 200 with the body exactly ${JSON.stringify(wanted)}`,
    means: () =>
      answer.text.includes(query.slice(1, 4))
        ? 'the answer was built from req.url, which still holds the query string: build it from new URL(req.url, base).pathname'
        : answer.text.startsWith('GET ')
          ? 'the method is hard-coded: read it from req.method'
          : 'every path under /inspect (and /inspect itself) must answer `${req.method} ${url.pathname}\\n`, for every method',
  });
});
