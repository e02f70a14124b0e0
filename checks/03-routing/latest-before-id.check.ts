// "/messages/latest" and "/messages/:id" both fit the path /messages/latest. Rows are
// tried in order, so the specific row must come first or "latest" becomes an id.
import { send } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, messageOf } from './_messages.ts';

const start = useServers();

check({ id: 'latest-before-id', group: 'route-table', title: '/messages/latest is not swallowed by /messages/:id' }, async () => {
  const server = await start();
  const first = await createMessage(server);
  const second = await createMessage(server);
  const latest = await send(server, { path: '/messages/latest' }, 'status 200 with the newest message');
  const message = messageOf(latest);
  expectResponse(latest, {
    status: 200,
    body: () => message?.id === second.id,
    sent: [first.answer.curl, second.answer.curl, latest.curl],
    expected: `status 200 and the message created last (id ${second.id})`,
    means: () =>
      latest.status === 404
        ? 'the ":id" row answered first and looked for a message whose id is "latest": put the /messages/latest row above /messages/:id'
        : 'GET /messages/latest must answer the newest message (a Map keeps insertion order: the last value)',
  });
});
