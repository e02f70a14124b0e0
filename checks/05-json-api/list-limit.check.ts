// GET /messages lists oldest first, and ?limit=N keeps the first N of that order.
// A fresh server, so the store holds exactly the three messages this check creates.
import { summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, listMessages, randomTag, shortIds } from './_api.ts';

const start = useServers();

check({ id: 'list-limit', group: 'crud-lifecycle', title: 'GET /messages lists oldest first, and ?limit keeps the first N' }, async () => {
  const server = await start();
  const created = [];
  // One after the other: the creation order is the order the list must show.
  for (const label of ['a', 'b', 'c']) created.push((await createMessage(server, `${label} ${randomTag()}`)).message);
  const expectedIds = created.map((m) => m.id);

  const { list, answer } = await listMessages(server);
  if (list.map((m) => m.id).join() !== expectedIds.join()) {
    fail({
      sent: answer.curl,
      expected: `exactly the 3 messages created, oldest first: ${shortIds(created)}`,
      got: `${shortIds(list)} (${summarize(answer, 120)})`,
      means: 'a Map keeps insertion order, so [...messages.values()] is already oldest first; sorting or reversing it breaks that',
    });
  }

  const { list: limited, answer: limitedAnswer } = await listMessages(server, '?limit=2');
  if (limited.map((m) => m.id).join() !== expectedIds.slice(0, 2).join()) {
    fail({
      sent: limitedAnswer.curl,
      expected: `the first 2 messages: ${shortIds(created.slice(0, 2))}`,
      got: `${shortIds(limited)} (${summarize(limitedAnswer, 120)})`,
      means: limited.length === 3 ? '?limit is read but never applied (or not read at all)' : '?limit=N keeps the first N of the list: all.slice(0, limit)',
    });
  }
});
