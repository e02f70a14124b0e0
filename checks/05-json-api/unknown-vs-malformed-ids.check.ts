// "/messages/<random uuid>" is a well-formed id that is not there: 404. "/messages/<junk>"
// can never name a message: 400. For GET, PATCH and DELETE alike, with random values
// each run so neither answer can be hard-coded.
import { randomUUID } from 'node:crypto';
import { send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { patchShape, patient, randomTag } from './_api.ts';

const start = useServers();

check({ id: 'unknown-vs-malformed-ids', group: 'status-codes', title: 'Unknown ids answer 404, malformed ids 400' }, async () => {
  const server = await start();
  const unknown = randomUUID();
  const malformed = `${randomTag(3)}-not-an-id`;
  const wrong: string[] = [];
  const sent: string[] = [];
  for (const method of ['GET', 'PATCH', 'DELETE']) {
    for (const [id, status, kind] of [[unknown, 404, 'unknown'], [malformed, 400, 'malformed']] as const) {
      const shape = method === 'PATCH' ? patchShape(id, { text: `x ${randomTag(2)}` }) : { method, path: `/messages/${id}` };
      const answer = await send(server, shape, `status ${status}`, patient());
      if (answer.status !== status) {
        wrong.push(`${method} ${kind} id ${id}: ${summarize(answer, 70)} (expected ${status})`);
        sent.push(answer.curl);
      }
    }
  }
  if (wrong.length > 0) {
    const onlyMalformed = wrong.every((line) => line.includes('malformed'));
    fail({
      sent: sent.slice(0, 3),
      expected: `404 for the well-formed but unknown id ${unknown}; 400 for "${malformed}", which can never be an id`,
      got: wrong.join('\n          '),
      means: onlyMalformed
        ? 'the id is looked up without checking its shape first: test it against the UUID pattern and throw HttpError(400) before asking the store'
        : 'check the shape first (400), then look the id up (404) — in every handler that takes an id, PATCH included',
    });
  }
});
