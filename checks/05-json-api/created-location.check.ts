// 201 Created says a new resource exists; Location says where. Following the Location
// must lead to that very message.
import { send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { messageOf, patient, postShape, randomTag } from './_api.ts';

const start = useServers();

/** The path of a Location header: "/messages/<id>", or an absolute URL with that path. */
function locationPath(location: string): string | undefined {
  if (location.startsWith('/')) return location;
  try {
    return new URL(location).pathname;
  } catch {
    return undefined;
  }
}

check({ id: 'created-location', group: 'status-codes', title: 'POST answers 201 with a Location that leads to the message' }, async () => {
  const server = await start();
  const text = `located ${randomTag()}`;
  const created = await send(server, postShape({ text }), 'status 201 with a Location header', patient());
  const message = messageOf(created);
  const location = created.headers.location;
  if (created.status !== 201 || !message) {
    fail({ sent: created.curl, expected: `status 201 and the stored message {"id":"…","text":"${text}",…}`, got: summarize(created), means: '201 Created (not 200) tells the client a new resource now exists; send the stored message with it' });
  }
  const path = typeof location === 'string' ? locationPath(location) : undefined;
  if (!path) {
    fail({
      sent: created.curl,
      expected: `a Location header such as /messages/${message.id}`,
      got: location === undefined ? 'no Location header' : `Location: ${String(location)}`,
      means: "set it before sending the 201: res.setHeader('location', `/messages/${message.id}`)",
    });
  }
  const followed = await send(server, { path }, 'status 200 with the message just created', patient());
  if (followed.status !== 200 || messageOf(followed)?.id !== message.id) {
    fail({
      sent: [created.curl, followed.curl],
      expected: `status 200 and the message ${message.id}`,
      got: `Location: ${String(location)} led to ${summarize(followed)}`,
      means: 'the Location must be the path where GET finds the message: /messages/<the id in the body>',
    });
  }
});
