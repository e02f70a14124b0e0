// /hello reads its name from the query string. URLSearchParams decodes percent-escapes
// (and "+" as a space); slicing req.url by hand does not.
import { send } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { useServers } from '../_harness/start-server.ts';
import { token } from './_random.ts';

const start = useServers({ reuseAfterPass: true });

check({ id: 'hello-query/get-hello-name-greets-the-percent-decoded-name', group: 'request-target', title: 'GET /hello?name=... greets the percent-decoded name' }, async () => {
  const server = await start();
  // ASCII on purpose (a space, a comma, an ampersand): this check is about decoding, not bytes.
  const name = `Ada ${token(4)}, & co`;
  const wanted = `Hello, ${name}!\n`;
  const answer = await send(server, { path: `/hello?name=${encodeURIComponent(name)}` }, `status 200 with the body ${JSON.stringify(wanted)}`);
  expectResponse(answer, {
    status: 200,
    body: wanted,
    expected: `status 200 with the body exactly ${JSON.stringify(wanted)}`,
    means: () =>
      /%2C|%20|%26/.test(answer.text)
      ? 'the name was cut out of req.url by hand and never decoded: url.searchParams.get("name") decodes it for you'
      : 'read the name from the URL you parsed once (requestUrl in the lesson): url.searchParams.get("name"), then answer `Hello, ${name}!\\n`',
  });
});

check({ id: 'hello-query/get-hello-without-a-name-greets-the-world', group: 'request-target', title: 'GET /hello without a name greets the world' }, async () => {
  const server = await start();
  const answer = await send(server, { path: '/hello' }, 'status 200 with the body "Hello, world!\\n"');
  expectResponse(answer, {
    status: 200,
    body: 'Hello, world!\n',
    expected: 'status 200 with the body exactly "Hello, world!\\n"',
    means: () =>
      /null|undefined/.test(answer.text)
      ? 'searchParams.get("name") returns null when there is no name: fall back to "world" (|| covers the empty name too)'
      : 'without a name parameter, greet "world"',
  });
});
