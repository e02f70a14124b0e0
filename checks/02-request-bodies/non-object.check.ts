// [1,2], 42, null, "text" and true are valid JSON, but not the object /echo needs.
// JSON syntax and JSON shape are two separate checks.
import { randomInt } from 'node:crypto';
import { summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { postEcho, token } from './_bodies.ts';

const start = useServers();

check({ id: 'non-object', group: 'json-body', title: 'JSON that is not an object (array, number, null, string, boolean) answers 400' }, async () => {
  const server = await start();
  const bodies = [`[${randomInt(100)},"${token(3)}"]`, String(randomInt(1, 100_000)), 'null', `"${token()}"`, 'true'];
  for (const body of bodies) {
    const answer = await postEcho(server, body);
    if (answer.complete && answer.status === 400) continue;
    const kind = body.startsWith('[') ? 'an array' : body === 'null' ? 'null' : body.startsWith('"') ? 'a string' : body === 'true' ? 'a boolean' : 'a number';
    fail({
      sent: answer.curl,
      expected: `status 400: ${kind} is valid JSON but not an object`,
      got: answer.complete ? summarize(answer) : answer.problem!.got,
      means:
        kind === 'an array'
          ? 'typeof [] is "object" too: also require !Array.isArray(value)'
          : kind === 'null'
            ? 'typeof null is "object": also require value !== null'
            : 'after JSON.parse, require a plain object: typeof value === "object" && value !== null && !Array.isArray(value)',
      serverOutput: answer.complete ? undefined : server.tail(),
    });
  }
});
