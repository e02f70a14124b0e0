// One message through its whole life: create, read, update, list, delete, and gone.
// Each step only makes sense if the one before it worked, so the first wrong answer
// is the one reported.
import { attempt, send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, listMessages, messageOf, patchShape, patient, randomTag } from './_api.ts';

const start = useServers();
const MEANS = 'see "Resources and operations": every operation works on the same stored message';

check({ id: 'lifecycle', group: 'crud-lifecycle', title: 'A message can be created, read, updated, listed and deleted' }, async () => {
  const server = await start();
  const { message, answer: created } = await createMessage(server, `first ${randomTag()}`);
  const path = `/messages/${message.id}`;

  const read = await send(server, { path }, 'status 200 with the message just created', patient());
  expectResponse(read, {
    status: 200,
    body: () => messageOf(read)?.text === message.text,
    sent: [created.curl, read.curl],
    expected: `status 200 and the message with text "${message.text}"`,
    means: 'GET /messages/<id> must find the message POST stored under that id',
  });

  const newText = `edited ${randomTag()}`;
  const patched = await send(server, patchShape(message.id, { text: newText }), 'status 200 with the updated message', patient());
  const after = messageOf(patched);
  if (patched.status !== 200 || after?.id !== message.id || after.text !== newText || after.createdAt !== message.createdAt) {
    fail({
      sent: patched.curl,
      expected: `status 200 and {"id":"${message.id}","text":"${newText}","createdAt":${JSON.stringify(message.createdAt)}}`,
      got: summarize(patched),
      means: 'PATCH /messages/<id> replaces the text and keeps id and createdAt; a 404 or 405 means the route is missing from the table',
    });
  }

  const reread = await send(server, { path }, 'status 200 with the updated message', patient());
  expectResponse(reread, {
    status: 200,
    body: () => messageOf(reread)?.text === newText,
    sent: [patched.curl, reread.curl],
    expected: `status 200 and text "${newText}"`,
    means: `PATCH answered the new text but did not store it: ${MEANS}`,
  });

  const { list, answer: listed } = await listMessages(server);
  if (!list.some((m) => m.id === message.id && m.text === newText)) {
    fail({ sent: [patched.curl, listed.curl], expected: `the list to hold ${message.id} with text "${newText}"`, got: summarize(listed), means: MEANS });
  }

  // Only the status matters here: what a 204 must not carry is the "status-codes" group's business.
  const deleted = await attempt(server, { method: 'DELETE', path }, patient());
  expectResponse(deleted, {
    status: 204,
    expected: 'status 204 (deleted, nothing to say)',
    means: 'DELETE /messages/<id> removes the message and answers 204',
    serverOutput: server.tail(),
  });

  const gone = await send(server, { path }, 'status 404 for the deleted message', patient());
  expectResponse(gone, { status: 404, sent: [deleted.curl, gone.curl], expected: 'status 404: the message was deleted', means: 'DELETE answered 204 but the message is still in the store' });
  const { list: finalList, answer: finalListed } = await listMessages(server);
  if (finalList.some((m) => m.id === message.id)) {
    fail({ sent: [deleted.curl, finalListed.curl], expected: `a list without ${message.id}`, got: summarize(finalListed), means: 'the list and the single reads must come from the same store' });
  }
});
