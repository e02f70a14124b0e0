// Random pieces for phase-01 requests: a path, a name or a query that differs on every
// run, so an answer hard-coded from the lesson's examples cannot pass.
import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function token(length = 8): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[randomInt(ALPHABET.length)];
  return text;
}

export function pick<T>(items: readonly T[]): T {
  return items[randomInt(items.length)]!;
}

/** Names whose UTF-8 byte length differs from their string length. */
export const NON_ASCII_NAMES = ['Zoë', 'José María', 'Łukasz', '日本', 'Chloé + Renée', 'Åsa', 'Ñandú'] as const;
