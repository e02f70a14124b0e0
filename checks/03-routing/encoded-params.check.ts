// Params arrive percent-encoded and are decoded on purpose, once, for the row that was
// picked. Decoding can fail ("%E0%A4%A" is cut short, "%zz" is not hex): that is the
// client's mistake, a 400, and the server carries on.
import { attempt, send } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, messageOf, rand } from './_messages.ts';

const start = useServers();
const server = once(() => start());

/** Every character as %XX, letters and digits too: "ab-1" → "%61%62%2D%31". */
function encodeEveryByte(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

check({ id: 'encoded-params/percent-encoded-ids-are-decoded-before-lookup', group: 'path-params', title: 'Percent-encoded ids are decoded before lookup' }, async () => {
  const target = await server();
  const created = await createMessage(target);
  const read = await send(target, { path: `/messages/${encodeEveryByte(created.id)}` }, 'status 200 with the message');
  expectResponse(read, {
    status: 200,
    body: () => messageOf(read)?.id === created.id,
    sent: [created.answer.curl, read.curl],
    expected: `status 200 and the message with id ${created.id}: the path names it, percent-encoded`,
    means: 'params are handed to the handler still encoded: run decodeURIComponent on each param of the row you picked',
  });
});

check({ id: 'encoded-params/malformed-percent-encoding-answers-400-and-the-server-keeps-', group: 'path-params', title: 'Malformed percent-encoding answers 400 and the server keeps serving' }, async () => {
  const target = await server();
  for (const path of ['/messages/%E0%A4%A', `/messages/%zz${rand(2)}`]) {
    const answer = await attempt(target, { path });
    if (!answer.complete) {
      fail({
        sent: answer.curl,
        expected: 'status 400 Bad Request',
        got: answer.problem!.got,
        means: 'decodeURIComponent threw a URIError that nothing caught, and it took the server (or the request) down: catch it and answer 400',
        serverOutput: target.tail(),
      });
    }
    expectResponse(answer, {
      status: 400,
      expected: 'status 400 Bad Request: the path is not valid percent-encoding',
      means: () =>
        answer.status === 500
          ? 'the URIError from decodeURIComponent reached the catch-all: catch it where you decode and answer 400 (a "bad-path" outcome)'
          : 'the param was never decoded (so nothing failed) or the failure became a 404: decode it, and treat a URIError as the client\'s mistake',
    });
  }
  const after = await send(target, { path: '/messages' }, 'status 200 from GET /messages after the bad paths');
  expectResponse(after, { status: 200, means: 'a malformed path left the server broken for the requests after it', serverOutput: target.tail() });
});
