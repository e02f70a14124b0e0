/**
 * The declarative response assertion: what a check expects of one answer, written as data,
 * in the spirit of codecrafters' HTTP assertions.
 *
 *   expectResponse(answer, { status: 404, expected: 'status 404', means: 'answer 404 when no path matched' });
 *   expectResponse(answer, { status: 200, body: 'Hello, world!\n', means: (got) => got.status === 404 ? '…' : '…' });
 *
 * It passes silently or fails the check with the usual facts: what was sent (the answer's
 * curl line, unless `sent` says more), what was expected (`expected`, or "status N"), what
 * came back (the answer in one line: summarize()) and what that usually means. An answer
 * that never completed reports the request's own problem (a hang, a reset) instead.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { summarize, type Attempt } from '../_client/http.ts';
import { fail } from './failures.ts';

/** A string must be equal, a RegExp must match, a function decides. */
type Matcher<T> = string | RegExp | ((value: T) => boolean);

export interface ResponseExpectation {
  readonly status: number;
  /** Header names in lower case; an absent header is matched as undefined. */
  readonly headers?: Readonly<Record<string, Matcher<string | undefined>>>;
  /** The body as UTF-8 text. */
  readonly body?: Matcher<string>;
  /** In words, for the "Expected:" line; default "status N". */
  readonly expected?: string;
  /** The usual cause of a wrong answer; a function to choose it from what came back. */
  readonly means: string | ((answer: Attempt) => string);
  /** The request(s) to show; default the answer's own curl line. */
  readonly sent?: string | readonly string[];
  /** Server output to quote with the failure. */
  readonly serverOutput?: string;
}

export function expectResponse(answer: Attempt, expectation: ResponseExpectation): void {
  const sent = expectation.sent ?? answer.curl;
  const expected = expectation.expected ?? `status ${expectation.status}`;
  const serverOutput = expectation.serverOutput === undefined ? {} : { serverOutput: expectation.serverOutput };
  if (answer.status === undefined) {
    // No answer to judge: the request's own failure (a hang, a reset, a dead server) is the news.
    fail({ sent, expected, got: answer.problem?.got ?? 'no response', means: answer.problem?.means ?? 'the server did not answer', ...serverOutput });
  }
  if (matchesResponse(answer, expectation)) return;
  const means = typeof expectation.means === 'function' ? expectation.means(answer) : expectation.means;
  fail({ sent, expected, got: summarize(answer), means, ...serverOutput });
}

/** Whether `answer` has the status, headers and body `expectation` asks for. */
export function matchesResponse(answer: Attempt, expectation: Pick<ResponseExpectation, 'status' | 'headers' | 'body'>): boolean {
  if (answer.status !== expectation.status) return false;
  for (const [name, matcher] of Object.entries(expectation.headers ?? {})) {
    if (!matches(matcher, headerValue(answer.headers, name))) return false;
  }
  return expectation.body === undefined || matches(expectation.body, answer.body.toString('utf8'));
}

function headerValue(headers: IncomingHttpHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function matches<T extends string | undefined>(matcher: Matcher<T>, value: T): boolean {
  if (typeof matcher === 'string') return value === matcher;
  if (matcher instanceof RegExp) return value !== undefined && matcher.test(value);
  return matcher(value);
}
