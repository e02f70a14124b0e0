// Shared pieces for the phase-02 checks: the limit, random JSON bodies, and one way to
// POST to /echo, so every check sends the same shape of request.
import { randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { RequestShape } from '../_client/curl.ts';
import { attempt, parseJson, type Attempt, type Target } from '../_client/http.ts';

/** 64 KiB, as the lesson says: 65 536 bytes, not 64 000. */
export const LIMIT = 64 * 1024;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function token(length = 8): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[randomInt(ALPHABET.length)];
  return text;
}

/** A new object every run, with non-ASCII text in it: an echo cannot be hard-coded. */
export function randomObject(): Record<string, unknown> {
  return {
    id: token(),
    note: `Zoë ${token(4)} 日本`,
    n: randomInt(1000),
    nested: { ok: randomInt(2) === 1, list: [randomInt(100), token(3), null] },
  };
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

export function echoRequest(body: string, headers: Readonly<Record<string, string>> = JSON_HEADERS): RequestShape {
  return { method: 'POST', path: '/echo', headers, body };
}

export function postEcho(server: Target, body: string, headers?: Readonly<Record<string, string>>): Promise<Attempt> {
  return attempt(server, echoRequest(body, headers));
}

/** True when the response body is JSON equal (by value, any key order) to `sent`. */
export function echoes(answer: Attempt, sent: unknown): boolean {
  const parsed = parseJson(answer.body.toString('utf8'));
  return parsed.ok && isDeepStrictEqual(parsed.value, sent);
}

/** The media type of a content-type header, lower-cased, without parameters. */
export function mediaType(value: string | string[] | undefined): string {
  return String(value ?? '').split(';')[0]!.trim().toLowerCase();
}
