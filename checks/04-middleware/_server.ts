/** Shared by the phase-04 server checks: random names, and the access-log line format. */
import { randomBytes } from 'node:crypto';

export function rand(bytes = 4): string {
  return randomBytes(bytes).toString('hex');
}

/** `<id> <METHOD> <pathname> <status> <duration>ms`, pinned in the lesson's contract. */
export const LOG_LINE = /^(\S+) ([A-Z]+) (\/\S*) (\d{3}) (\d+(?:\.\d+)?)ms$/;

export function jsonShape(method: string, path: string, body: string, type = 'application/json') {
  return { method, path, headers: { 'content-type': type }, body };
}

/** jsonShape with the content-length a raw request must carry (rawRequest adds none). */
export function withLength<T extends { headers?: Record<string, string>; body?: string }>(shape: T): T {
  if (shape.body === undefined) return shape;
  return { ...shape, headers: { ...shape.headers, 'content-length': String(Buffer.byteLength(shape.body)) } };
}
