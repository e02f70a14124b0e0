// Phase 05 set the rule: a message text may have at most 280 characters, counted as code
// points. An emoji is one character but two UTF-16 units, so `text.length` counts it
// twice and refuses a 141-emoji message. Phases 06 and 07 build on the same service, so
// the rule still holds here: 280 emoji get in, 281 do not.
import { jsonErrorOf, send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';

const start = useServers();
/** U+1F600, outside the Basic Multilingual Plane: one code point, two UTF-16 units, four bytes. */
const EMOJI = '\u{1F600}';

/** A pasteable curl line: 280 emoji would make a line of over a thousand bytes. */
function curlFor(count: number): string {
  return `curl -i localhost:3000/messages -H 'content-type: application/json' --data-binary "{\\"text\\":\\"$(printf '${EMOJI}%.0s' {1..${count}})\\"}"`;
}

check({ id: 'kept-code-points', group: 'kept-rules', title: 'a message text is counted in code points, as in phase 05: 280 emoji are accepted, 281 are refused' }, async () => {
  const server = await start();
  const post = (count: number) =>
    send(
      server,
      { method: 'POST', path: '/messages', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: EMOJI.repeat(count) }) },
      count <= 280 ? 'status 201' : 'status 400',
      { headersWithinMs: scaled(2000) },
    );
  const accepted = await post(280);
  if (accepted.status !== 201) {
    fail({
      sent: curlFor(280),
      expected: 'status 201: 280 emoji are 280 characters, exactly the limit',
      got: summarize(accepted, 100),
      means:
        'the length is counted in UTF-16 units (text.length counts each emoji twice) or in bytes: count code points, [...text].length, as phase 05 taught ("Validation at the edge" in its lesson; "What the earlier phases still require" in this one)',
      serverOutput: server.tail(),
    });
  }
  const refused = await post(281);
  if (refused.status !== 400 || jsonErrorOf(refused) === undefined) {
    fail({
      sent: curlFor(281),
      expected: 'status 400 with a JSON error: 281 characters is one over the limit',
      got: summarize(refused, 100),
      means: 'the 280-character limit is not enforced on code points: compare [...text].length with 280',
      serverOutput: server.tail(),
    });
  }
});
