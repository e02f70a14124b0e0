// The happy path: a JSON object in, the same object back, labelled as JSON, with a
// content-length that counts bytes (the object holds non-ASCII text).
import { summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { echoes, mediaType, postEcho, randomObject } from './_bodies.ts';

const start = useServers();

check({ id: 'echo', group: 'json-body', title: 'POST /echo answers the same JSON object back, as application/json' }, async () => {
  const server = await start();
  const sent = randomObject();
  const answer = await postEcho(server, JSON.stringify(sent));
  if (!answer.complete) {
    fail({ sent: answer.curl, expected: 'status 200 and the same object back', got: answer.problem!.got, means: answer.problem!.means, serverOutput: server.tail() });
  }
  if (answer.status !== 200 || !echoes(answer, sent)) {
    fail({
      sent: answer.curl,
      expected: `status 200 and a body equal to ${JSON.stringify(sent)} (key order may differ)`,
      got: summarize(answer, 300),
      means: 'read the whole body, decode it, JSON.parse it, and answer JSON.stringify of the result',
    });
  }
  const type = answer.headers?.['content-type'];
  if (mediaType(type) !== 'application/json') {
    fail({
      sent: answer.curl,
      expected: 'content-type: application/json (a charset parameter is fine)',
      got: type === undefined ? 'no content-type' : `content-type: ${String(type)}`,
      means: 'a JSON answer must say so, or clients treat it as text: use one sendJson() helper that sets the type',
    });
  }
});
