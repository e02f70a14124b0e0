// The limit is 64 KiB = 65 536 bytes, and a body of exactly that size is allowed.
// 64 * 1000, or ">=" instead of ">", refuses it.
import { parseJson, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { LIMIT, postEcho } from './_bodies.ts';

const start = useServers();

check({ id: 'limit-exact', group: 'body-limit', title: 'a body of exactly 64 KiB (65 536 bytes) is accepted' }, async () => {
  const server = await start();
  const padLength = LIMIT - Buffer.byteLength('{"pad":""}');
  const pad = 'a'.repeat(padLength);
  const body = JSON.stringify({ pad });
  const answer = await postEcho(server, body);
  const echoed = answer.complete ? parseJson(answer.body.toString('utf8')) : { ok: false as const };
  if (answer.complete && answer.status === 200 && echoed.ok && (echoed.value as { pad?: unknown }).pad === pad) return;
  const shown = answer.curl.replace(pad, `<${padLength} times a>`);
  fail({
    sent: shown,
    expected: `status 200 and the object back: ${Buffer.byteLength(body)} bytes is exactly the limit, not over it`,
    got: answer.complete ? summarize(answer).replace(pad, '…') : answer.problem!.got,
    means:
      answer.complete && answer.status === 413
        ? 'the limit is off: 64 KiB is 64 * 1024 = 65536 bytes (not 64 * 1000), and only MORE than that is too much (>, not >=)'
        : 'a body at the limit must be read and answered like any other',
    serverOutput: answer.complete ? undefined : server.tail(),
  });
});
