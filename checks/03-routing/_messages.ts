/**
 * Shared by the phase-03 checks: create a message with a random text and hand back
 * its id, so every other check can talk about a message that really exists.
 */
import { randomBytes } from 'node:crypto';
import { parseJson, send, summarize, type Answer, type Target } from '../_client/http.ts';
import { fail } from '../_harness/failures.ts';

export interface Created {
  readonly id: string;
  readonly text: string;
  readonly answer: Answer;
}

/** Eight random lowercase letters and digits: paths and texts no solution can know in advance. */
export function rand(bytes = 4): string {
  return randomBytes(bytes).toString('hex');
}

/** A text with a non-ASCII letter, so byte counts and character counts differ. */
export function randomText(): string {
  return `note ${rand()} Zoë`;
}

export function createShape(text: string) {
  return { method: 'POST', path: '/messages', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) };
}

/** POST /messages; fails the check (pointing at the create route) unless it answers 201 with an id. */
export async function createMessage(server: Target, text = randomText()): Promise<Created> {
  const answer = await send(server, createShape(text), 'status 201 with the new message as JSON');
  const json = parseJson(answer.text);
  const id = json.ok && typeof json.value === 'object' && json.value !== null ? (json.value as { id?: unknown }).id : undefined;
  if (answer.status !== 201 || typeof id !== 'string' || id === '') {
    fail({
      sent: answer.curl,
      expected: 'status 201 and a JSON body with a string "id" (the other checks need a message to exist)',
      got: summarize(answer),
      means:
        answer.status === 201 && id !== undefined
          ? 'the id must be a non-empty string, as the starter\'s createMessage makes it (randomUUID()): keep the store\'s string ids'
          : 'POST /messages is not routed to createMessage: check its row in the table and that createRouter finds it',
    });
  }
  return { id, text, answer };
}

/** The JSON body as an object with an id, or undefined. */
export function messageOf(answer: Answer): { id?: unknown; text?: unknown } | undefined {
  const json = parseJson(answer.text);
  return json.ok && typeof json.value === 'object' && json.value !== null && !Array.isArray(json.value)
    ? (json.value as { id?: unknown; text?: unknown })
    : undefined;
}
