// The five routes of the table, driven over HTTP: create, list, read one, delete.
// Texts and unknown ids are random each run, so only a working store and router pass.
import { randomUUID } from 'node:crypto';
import { parseJson, send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { expectResponse } from '../_harness/expect-response.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, createShape, messageOf, randomText } from './_messages.ts';

const start = useServers();
const server = once(() => start());

check({ id: 'messages-crud/post-messages-answers-201-with-the-message-and-its-location', group: 'route-table', title: 'POST /messages answers 201 with the message and its Location' }, async () => {
  const text = randomText();
  const answer = await send(await server(), createShape(text), 'status 201 with the new message');
  const message = messageOf(answer);
  if (answer.status !== 201 || typeof message?.id !== 'string' || message.text !== text) {
    fail({
      sent: answer.curl,
      expected: `status 201 and a JSON object with a string "id" and "text": "${text}"`,
      got: summarize(answer),
      means: 'POST /messages does not reach createMessage: check its row in the table (method "POST", path "/messages") and that createRouter compares both',
    });
  }
  const location = String(answer.headers.location ?? '');
  const wanted = `/messages/${encodeURIComponent(message.id)}`;
  if (!location.endsWith(wanted)) {
    fail({
      sent: answer.curl,
      expected: `a Location header ending in ${wanted}`,
      got: location ? `Location: ${location}` : 'no Location header',
      means: 'a 201 says where the new resource lives: set the location header to its path before sending',
    });
  }
});

check({ id: 'messages-crud/get-messages-lists-the-messages', group: 'route-table', title: 'GET /messages lists the messages' }, async () => {
  const target = await server();
  const first = await createMessage(target);
  const second = await createMessage(target);
  const list = await send(target, { path: '/messages' }, 'status 200 with a JSON array of messages');
  const json = parseJson(list.text);
  const ids = json.ok && Array.isArray(json.value) ? json.value.map((item) => (item as { id?: unknown } | null)?.id) : undefined;
  expectResponse(list, {
    status: 200,
    body: () => ids !== undefined && ids.includes(first.id) && ids.includes(second.id),
    sent: [first.answer.curl, second.answer.curl, list.curl],
    expected: `status 200 and a JSON array holding the messages with ids ${first.id} and ${second.id}`,
    means: ids ? 'the list misses messages that were just created' : 'GET /messages must answer an array ([...messages.values()]), not an object or another route\'s answer',
  });
});

check({ id: 'messages-crud/get-messages-id-returns-that-message-and-404-for-an-unknown-', group: 'route-table', title: 'GET /messages/:id returns that message, and 404 for an unknown id' }, async () => {
  const target = await server();
  const created = await createMessage(target);
  const read = await send(target, { path: `/messages/${encodeURIComponent(created.id)}` }, 'status 200 with the message');
  const message = messageOf(read);
  expectResponse(read, {
    status: 200,
    body: () => message?.id === created.id && message.text === created.text,
    sent: [created.answer.curl, read.curl],
    expected: `status 200 and the message {"id":"${created.id}","text":"${created.text}",...}`,
    means: 'the ":id" segment is not matched or not handed to the handler as params.id',
  });
  const unknown = await send(target, { path: `/messages/${randomUUID()}` }, 'status 404');
  expectResponse(unknown, {
    status: 404,
    expected: 'status 404: no message has this id',
    means: 'the handler answers even when the store has no such message: look it up and throw a 404 when it is missing',
  });
});

check({ id: 'messages-crud/delete-messages-id-answers-204-and-the-message-is-gone', group: 'route-table', title: 'DELETE /messages/:id answers 204, and the message is gone' }, async () => {
  const target = await server();
  const created = await createMessage(target);
  const path = `/messages/${encodeURIComponent(created.id)}`;
  const removed = await send(target, { method: 'DELETE', path }, 'status 204 with no body');
  expectResponse(removed, {
    status: 204,
    body: '',
    sent: [created.answer.curl, removed.curl],
    expected: 'status 204 and not a single body byte',
    means: 'a successful DELETE has nothing to say: 204 No Content, with an empty body',
  });
  for (const shape of [{ path }, { method: 'DELETE', path }]) {
    const after = await send(target, shape, 'status 404: the message was deleted');
    expectResponse(after, {
      status: 404,
      sent: [removed.curl, after.curl],
      expected: 'status 404 once the message is deleted',
      means: 'the message is still in the store, or the handler does not answer 404 for a missing id',
    });
  }
});
