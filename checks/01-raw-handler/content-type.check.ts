// Every response says what it is: text/plain with charset=utf-8, or a client may decode
// "Zoë" as "ZoÃ«". One send() helper sets it for every branch, the 404 included.
import { send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { token } from './_random.ts';

const start = useServers();

/** text/plain with a charset=utf-8 parameter; case, spaces and quotes do not matter. */
function isUtf8Text(value: string | string[] | undefined): boolean {
  const [type = '', ...params] = String(value ?? '').toLowerCase().split(';').map((part) => part.trim());
  return type === 'text/plain' && params.some((param) => param.replace(/\s|"/g, '') === 'charset=utf-8');
}

check({ id: 'content-type', group: 'content-length', title: 'every response says content-type: text/plain; charset=utf-8' }, async () => {
  const server = await start();
  for (const path of [`/inspect/${token()}`, `/hello?name=${token(5)}`, `/nope-${token()}`]) {
    const answer = await send(server, { path }, 'a response with content-type text/plain; charset=utf-8');
    const type = answer.headers['content-type'];
    if (isUtf8Text(type)) continue;
    fail({
      sent: answer.curl,
      expected: 'content-type: text/plain; charset=utf-8',
      got: type === undefined ? `no content-type header (${summarize(answer)})` : `content-type: ${String(type)}`,
      means:
        type === undefined
          ? 'this branch sends no content-type: set the type in the one send() helper every branch calls, so no branch can forget it'
          : 'the charset parameter is missing or wrong: without charset=utf-8 a client may decode non-ASCII text wrongly',
    });
  }
});
