/**
 * Shared by the phase-05 checks: the requests of the messages API as data, and the one
 * step almost every check needs first (create a message and read back what the server
 * stored). Texts are random on every run, so a server cannot pass by echoing a fixed
 * answer; a plain `_` file name keeps the runner from treating this as a check.
 */
import { randomBytes } from 'node:crypto';
import type { RequestShape } from '../_client/curl.ts';
import { parseJson, send, summarize, type Answer, type AttemptOptions, type Target } from '../_client/http.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';

/**
 * Nothing here measures speed: the deadline only has to tell a hang from a slow answer
 * on a busy machine (four check files start servers at once on two cores).
 */
export const patient = (): AttemptOptions => ({ headersWithinMs: scaled(5000), bodyWithinMs: scaled(5000) });

export const JSON_TYPE = { 'content-type': 'application/json' } as const;

export interface Message {
  readonly id: string;
  readonly text: string;
  readonly createdAt?: unknown;
}

/** Lowercase hex, e.g. "3fa9c2d1": random enough that no server can know it in advance. */
export function randomTag(bytes = 4): string {
  return randomBytes(bytes).toString('hex');
}

export function postShape(body: unknown): RequestShape {
  return { method: 'POST', path: '/messages', headers: JSON_TYPE, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

export function patchShape(id: string, body: unknown): RequestShape {
  return { method: 'PATCH', path: `/messages/${id}`, headers: JSON_TYPE, body: JSON.stringify(body) };
}

/** The body as a message ({ id: string, text: string, ... }), or undefined. */
export function messageOf(answer: Answer): Message | undefined {
  const json = parseJson(answer.text);
  if (!json.ok || typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) return undefined;
  const { id, text } = json.value as { id?: unknown; text?: unknown };
  return typeof id === 'string' && id !== '' && typeof text === 'string' ? (json.value as Message) : undefined;
}

/** The body as a list of messages, or undefined when it is not a JSON array of them. */
export function listOf(answer: Answer): Message[] | undefined {
  const json = parseJson(answer.text);
  if (!json.ok || !Array.isArray(json.value)) return undefined;
  const items = json.value as unknown[];
  const ok = items.every((m) => typeof m === 'object' && m !== null && typeof (m as Message).id === 'string');
  return ok ? (items as Message[]) : undefined;
}

/** Did the server answer 201 with an id that is present but not a string (a counter, say)? */
function nonStringId(answer: Answer): boolean {
  const json = parseJson(answer.text);
  if (answer.status !== 201 || !json.ok || typeof json.value !== 'object' || json.value === null) return false;
  const id = (json.value as { id?: unknown }).id;
  return id !== undefined && typeof id !== 'string';
}

/** POST /messages with `text`; fails (teaching) unless the answer is 201 with the stored message. */
export async function createMessage(server: Target, text: string): Promise<{ message: Message; answer: Answer }> {
  const answer = await send(server, postShape({ text }), 'status 201 with the new message as JSON', patient());
  const message = messageOf(answer);
  if (answer.status !== 201 || !message || message.text !== text) {
    fail({
      sent: answer.curl,
      expected: `status 201 and a body like {"id":"…","text":${JSON.stringify(text)},"createdAt":"…"}`,
      got: summarize(answer),
      means: nonStringId(answer)
        ? 'the id came back as a number (or another non-string): the contract (LESSON.md, "Resources and operations") fixes it as a string, a UUID from crypto.randomUUID() as the starter makes it; keep it a string'
        : 'creating a message is the first step of this check: POST /messages must store the text and answer 201 with the stored message (its id included)',
      serverOutput: server.tail(),
    });
  }
  return { message, answer };
}

/** GET /messages; fails unless the answer is 200 with a JSON array of messages. */
export async function listMessages(server: Target, query = ''): Promise<{ list: Message[]; answer: Answer }> {
  const answer = await send(server, { path: `/messages${query}` }, 'status 200 with a JSON array of messages', patient());
  const list = listOf(answer);
  if (answer.status !== 200 || !list) {
    fail({
      sent: answer.curl,
      expected: 'status 200 and a JSON array of messages ({ id, text, createdAt })',
      got: summarize(answer),
      means: 'GET /messages answers the whole collection as a JSON array, oldest first',
    });
  }
  return { list, answer };
}

/** "[a1b2…, c3d4…]": ids shortened so a list of them fits on a line. */
export function shortIds(messages: readonly Message[]): string {
  return `[${messages.map((m) => `${m.id.slice(0, 8)}…`).join(', ')}]`;
}

export interface Seen {
  readonly status?: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** What breaks the error contract ({"error": "…"} as honest JSON, a 4xx) in one answer, or undefined when it holds. */
export function errorShapeProblem(seen: Seen): string | undefined {
  const shown = `status ${seen.status}, ${seen.headers['content-type'] ?? 'no content-type'}: ${seen.body.toString('utf8').slice(0, 80)}`;
  if (seen.status === undefined || seen.status < 400 || seen.status > 499) return `${shown} (expected a 4xx error)`;
  if (!/^application\/json\s*(;|$)/i.test(String(seen.headers['content-type'] ?? ''))) return `${shown} (expected content-type application/json)`;
  if (Number(seen.headers['content-length']) !== seen.body.length) return `${shown} (content-length ${seen.headers['content-length'] ?? 'missing'}, body ${seen.body.length} bytes)`;
  const json = parseJson(seen.body.toString('utf8'));
  const error = json.ok && typeof json.value === 'object' && json.value !== null ? (json.value as { error?: unknown }).error : undefined;
  if (typeof error !== 'string' || error === '') return `${shown} (expected a JSON object with a non-empty string "error")`;
  return undefined;
}
