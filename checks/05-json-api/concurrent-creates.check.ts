// 200 creates racing each other must give 200 different ids, and all 200 messages must
// be in the list afterwards. They go out in waves of WAVE requests on their own
// connections: enough overlap to land many in the same millisecond, few enough that a
// busy two-core machine answers each wave well inside its deadline.
import { curlLine } from '../_client/curl.ts';
import { send, summarize, type AttemptOptions } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { listMessages, messageOf, postShape, randomTag, type Message } from './_api.ts';

const start = useServers();
const TOTAL = 200;
const WAVE = 25;
/** Per request; a wave of 25 takes ~20-100 ms on an idle machine. */
const within = (): AttemptOptions => ({ headersWithinMs: scaled(8000), bodyWithinMs: scaled(5000) });

check({ id: 'concurrent-creates', group: 'unique-ids', title: '200 concurrent creates get 200 different ids' }, async () => {
  const server = await start();
  const run = randomTag(3);
  const texts = Array.from({ length: TOTAL }, (_, i) => `burst ${run} #${i}`);
  const created: Message[] = [];
  for (let first = 0; first < TOTAL; first += WAVE) {
    const wave = texts.slice(first, first + WAVE);
    const answers = await Promise.all(wave.map((text) => send(server, postShape({ text }), 'status 201 with the new message', within())));
    for (const answer of answers) {
      const message = messageOf(answer);
      if (answer.status !== 201 || !message) {
        fail({ sent: answer.curl, expected: `status 201 (${WAVE} creates at once)`, got: summarize(answer), means: 'creates that overlap must each succeed on their own', serverOutput: server.tail() });
      }
      created.push(message);
    }
  }

  const ids = new Set(created.map((m) => m.id));
  if (ids.size !== TOTAL) {
    const seen = new Map<string, number>();
    for (const m of created) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
    const repeated = [...seen].filter(([, count]) => count > 1);
    fail({
      sent: [curlLine(postShape({ text: `burst ${run} #0` })), `… and ${TOTAL - 1} more like it, ${WAVE} at a time, each on its own connection`],
      expected: `${TOTAL} different ids`,
      got: `${TOTAL - ids.size} duplicate(s), e.g. "${repeated[0]?.[0]}" given to ${repeated[0]?.[1]} messages`,
      means: 'ids made from the clock (Date.now()) or from a counter read before an await collide when requests overlap; the later message overwrites the earlier one. crypto.randomUUID() does not depend on timing',
    });
  }

  const { list, answer } = await listMessages(server);
  const listed = new Set(list.map((m) => m.text));
  const missing = texts.filter((text) => !listed.has(text));
  if (missing.length > 0) {
    fail({ sent: answer.curl, expected: `all ${TOTAL} texts in the list`, got: `${missing.length} missing, e.g. "${missing[0]}"`, means: 'a create answered 201 but its message is not in the store (overwritten, or never stored)' });
  }
});
