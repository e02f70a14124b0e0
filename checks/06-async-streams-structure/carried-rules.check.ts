// The body rules of phases 02 and 05 still hold after the split: text is counted in
// characters (code points), an upload the client abandons is its mistake (nothing stored,
// no server error logged), and a 204 has nothing to describe.
import { setTimeout as delay } from 'node:timers/promises';
import { attempt, parseJson, send, summarize } from '../_client/http.ts';
import { ncLine, rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';

const start = useServers();
const server = once(() => start());
const JSON_HEADERS = { 'content-type': 'application/json' };

check({ id: 'carried-rules/a-text-of-280-emoji-280-characters-560-utf-16-units-is-accep', group: 'earlier-rules', title: 'a text of 280 emoji (280 characters, 560 UTF-16 units) is accepted: characters are code points' }, async () => {
  const target = await server();
  const create = { method: 'POST', path: '/messages', headers: JSON_HEADERS, body: JSON.stringify({ text: '😀'.repeat(280) }) };
  const created = await attempt(target, create);
  if (!created.complete || created.status !== 201) {
    fail({
      sent: created.curl.length > 300 ? `${created.curl.slice(0, 200)}…  (the text is "😀" 280 times)` : created.curl,
      expected: 'status 201: 280 characters is the limit, not over it',
      got: created.complete ? summarize(created, 120) : created.problem!.got,
      means: 'text.length counts UTF-16 units, and "😀" is two of them: count characters as code points, [...text].length, as in phase 05',
    });
  }
  const over = await send(target, { ...create, body: JSON.stringify({ text: 'a'.repeat(281) }) }, 'status 400 for 281 characters');
  if (over.status !== 400) {
    fail({ sent: over.curl, expected: 'status 400: 281 characters is over the limit', got: summarize(over, 120), means: 'the 280-character limit is not enforced' });
  }
});

check({ id: 'carried-rules/an-upload-that-stops-mid-body-gets-a-4xx-the-client-s-mistak', group: 'earlier-rules', title: 'an upload that stops mid-body is the client\'s mistake: nothing is stored and no server error is logged' }, async () => {
  const target = await server();
  // Announces 1000 bytes, sends a complete-looking JSON object, then closes its side. Node
  // answers that client "400 Bad Request" itself and closes the connection, whatever the code
  // does (fact half-closed-upload-errors-body-stream-06), so the status shows nothing about
  // the learner's code. What the code decides shows elsewhere: whether the cut-off body was
  // stored, and whether the body stream's "aborted" error escaped to the boundary's log.
  const bytes = rawRequest({ method: 'POST', path: '/messages', headers: { ...JSON_HEADERS, 'content-length': '1000' }, body: '{"text":"cut off"}' });
  const sent = ncLine(bytes, 'then the client closes its side (shutdown SHUT_WR) before the 1000 bytes it announced');
  const outputBefore = target.proc.outputBytes;
  const waited = await withRaw(target, async (conn) => {
    await conn.write(bytes);
    await delay(100);
    conn.halfClose();
    return conn.response(0, scaled(2000));
  });
  if (!waited.ok) {
    fail({ sent, expected: 'Node\'s own 400 Bad Request, then the connection closed', got: waited.got, means: 'the server stopped answering: the failed body read crashed it or left it stuck. Catch the read loop\'s error as in phase 02', serverOutput: target.tail() });
  }
  const escaped = await rawAbortLogged(target, outputBefore);
  if (escaped) {
    fail({
      sent,
      expected: 'no error in the server\'s log: a client leaving mid-upload is its own mistake',
      got: `the raw "aborted" error of the body stream reached the log:\n${escaped}`,
      means: 'readJson lets the body stream\'s "aborted" error escape, so the boundary logs a server failure with a stack trace for what the client did: catch errors from the read loop and throw HttpError(400), as phase 02 taught',
      serverOutput: target.tail(),
    });
  }
  const list = await send(target, { path: '/messages' }, 'status 200 with the list of messages');
  const parsed = parseJson(list.text);
  if (parsed.ok && Array.isArray(parsed.value) && parsed.value.some((m) => (m as { text?: unknown }).text === 'cut off')) {
    fail({ sent: [sent, list.curl], expected: 'no message "cut off": its upload never finished', got: summarize(list, 200), means: 'a body cut short was used as if it were whole' });
  }
});

/**
 * The first lines of an "Error: aborted" (how Node prints the body stream's error object)
 * that the server printed after `fromByte`, waiting a moment for the boundary to log it;
 * undefined when none came.
 */
async function rawAbortLogged(target: Awaited<ReturnType<typeof server>>, fromByte: number): Promise<string | undefined> {
  const deadline = performance.now() + scaled(500);
  for (;;) {
    const fresh = target.proc.output.slice(-Math.max(1, target.proc.outputBytes - fromByte));
    const at = target.proc.outputBytes > fromByte ? fresh.indexOf('Error: aborted') : -1;
    if (at >= 0) return fresh.slice(at).split('\n').slice(0, 3).join('\n');
    if (performance.now() > deadline) return undefined;
    await delay(50);
  }
}

check({ id: 'carried-rules/delete-messages-id-answers-204-with-no-content-type-and-no-c', group: 'earlier-rules', title: 'DELETE /messages/:id answers 204 with no content-type and no content-length' }, async () => {
  const target = await server();
  const created = await send(target, { method: 'POST', path: '/messages', headers: JSON_HEADERS, body: JSON.stringify({ text: 'to delete' }) }, 'status 201 with the new message');
  const parsed = parseJson(created.text);
  const id = parsed.ok ? (parsed.value as { id?: unknown } | null)?.id : undefined;
  if (created.status !== 201 || typeof id !== 'string') {
    fail({ sent: created.curl, expected: 'status 201 and the new message with a string id (the starter\'s store makes one)', got: summarize(created), means: 'POST /messages must still create a message' });
  }
  const removed = await send(target, { method: 'DELETE', path: `/messages/${encodeURIComponent(id)}` }, 'status 204 and no body');
  const described = ['content-type', 'content-length'].filter((name) => removed.headers[name] !== undefined);
  if (removed.status !== 204 || described.length > 0) {
    fail({
      sent: [created.curl, removed.curl],
      expected: 'status 204 with neither content-type nor content-length',
      got: removed.status !== 204 ? summarize(removed) : `status 204 with ${described.map((name) => `${name}: ${removed.headers[name]}`).join(', ')}`,
      means: 'a 204 has no body, so there is nothing to describe (phase 05): res.writeHead(204).end(), without the JSON headers',
    });
  }
});
