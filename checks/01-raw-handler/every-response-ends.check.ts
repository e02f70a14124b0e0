// A response whose body has reached its content-length looks complete to the client, but
// Node holds back every later answer on that connection until the response has ended
// (fact: unended-response-holds-back-next-response). A branch that writes its body and never
// calls end() therefore passes a one-request check and leaves every kept-alive client
// (browsers, undici, curl given two URLs) waiting. One connection carries a request to each
// branch in turn, so the branch that does not end is the one whose follow-up goes unanswered.
import { curlLine } from '../_client/curl.ts';
import { describeExit } from '../_client/http.ts';
import type { RawConnection } from '../_client/raw-connection.ts';
import { openRaw, rawRequest } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { describeMs, scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { token } from './_random.ts';

const start = useServers();
const ANSWER_WITHIN_MS = 2000;

check({ id: 'every-response-ends', group: 'content-length', title: 'every response ends: one kept-alive connection gets an answer to each request in turn' }, async () => {
  const server = await start();
  const paths = ['/', `/hello?name=${token(5)}`, `/inspect/${token(4)}`, `/nope-${token()}`, '/'];
  let current: RawConnection | undefined;
  let index = 0;
  let reopen = true;
  /**
   * Sends GET `path` on the open connection and waits for its answer. A new connection is
   * opened first when the server said it would close, and once more when it closed the
   * connection after an answer without saying so.
   */
  const ask = async (path: string) => {
    for (let attempt = 1; ; attempt++) {
      if (reopen || !current || current.isClosed) {
        current?.destroy();
        current = await openRaw(server);
        index = 0;
        reopen = false;
      }
      const conn = current;
      await conn.write(rawRequest({ path, headers: { Host: 'localhost' } }));
      const waitMs = scaled(ANSWER_WITHIN_MS);
      const answer = await conn.response(index++, waitMs);
      if (attempt === 2 || answer.ok || !conn.isClosed || conn.responses[index - 1] !== undefined) return { conn, answer, waitMs };
    }
  };
  try {
    for (const [step, path] of paths.entries()) {
      const { conn, answer, waitMs } = await ask(path);
      // "connection: close" is a server's right: the next request goes on a new connection.
      if (answer.ok && /\bclose\b/i.test(answer.value.headers.connection ?? '')) reopen = true;
      if (answer.ok && answer.value.complete) continue;
      const previous = step > 0 && index > 1 ? conn.responses[index - 2] : undefined;
      if (previous?.complete && conn.responses[index - 1] === undefined && !conn.isClosed && !server.exit) {
        const before = paths[step - 1]!;
        fail({
          sent: `${curlLine({ path: before })} ${curlLine({ path }).split(' ').at(-1)}   (curl sends both on one connection)`,
          expected: `an answer to GET ${before}, then one to GET ${path} on the same kept-alive connection`,
          got: `the answer to GET ${before} came whole (status ${previous.status}, ${previous.body.length} body bytes), then no answer to GET ${path} within ${describeMs(waitMs)}, the connection still open`,
          means: `the branch that answers GET ${before} never calls res.end(): its body is all there, but Node sends nothing more on that connection until the response has ended, so the next answer waits forever. Finish every response with end() (the send helper's last line)`,
          serverOutput: server.tail(),
        });
      }
      const exit = server.exit ?? (await server.proc.waitForExit(scaled(300)));
      fail({
        sent: curlLine({ path }),
        expected: `a complete answer to GET ${path}`,
        got: `${answer.ok ? `the response was cut short: ${conn.describeReceived()}` : answer.got}${exit ? `; the server process ${describeExit(exit)}` : ''}`,
        means: exit
          ? `the server died while answering GET ${path}: the stack below names the line`
          : 'the response was started but never ended: every branch must write its whole body and call end() once',
        serverOutput: server.tail(),
      });
    }
  } finally {
    current?.destroy();
  }
});
