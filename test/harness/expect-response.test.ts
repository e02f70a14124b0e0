/**
 * expectResponse: each part of an expectation (status, a header, the body; as a string, a
 * RegExp or a function) fails on its own wrong answer and passes the right one, and the
 * failure states the usual facts, with an unanswered request reported as its own problem.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Attempt } from '../../checks/_client/http.ts';
import { expectResponse, type ResponseExpectation } from '../../checks/_harness/expect-response.ts';

function answer(status: number | undefined, body = '', headers: Record<string, string> = {}): Attempt {
  const bytes = Buffer.from(body);
  return {
    request: { path: '/x' },
    curl: "curl -i 'http://localhost:3000/x'",
    complete: status !== undefined,
    ...(status === undefined
      ? { problem: { stage: 'headers' as const, timedOut: true, got: 'no response headers within 2000 ms', means: 'the handler never answered' } }
      : { status, headers: { 'content-type': 'text/plain', ...headers } }),
    body: bytes,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    totalMs: 1,
  };
}

function failure(got: Attempt, expectation: ResponseExpectation): string | undefined {
  try {
    expectResponse(got, expectation);
    return undefined;
  } catch (error) {
    expect((error as Error).name).toBe('CheckFailure');
    return (error as Error).message;
  }
}

describe('expectResponse', () => {
  test('the status', () => {
    expect(failure(answer(404), { status: 404, means: 'm' })).toBeUndefined();
    expect(failure(answer(200, 'ok'), { status: 404, means: 'answer 404' })).toBe(
      ["Sent:     curl -i 'http://localhost:3000/x'", 'Expected: status 404', 'Got:      status 200, text/plain, 2 bytes: ok', 'Usually:  answer 404'].join('\n'),
    );
  });

  test('the body, as a string, a RegExp or a function', () => {
    for (const body of ['Hello\n', /^Hel/, (text: string) => text.startsWith('Hel')]) {
      expect(failure(answer(200, 'Hello\n'), { status: 200, body, means: 'm' })).toBeUndefined();
      expect(failure(answer(200, 'Bye\n'), { status: 200, body, means: 'm' })).toContain('Got:      status 200, text/plain, 4 bytes: Bye\\n');
    }
  });

  test('a header; an absent one is undefined', () => {
    const headers = { 'content-type': /charset=utf-8/ };
    expect(failure(answer(200, '', { 'content-type': 'text/plain; charset=utf-8' }), { status: 200, headers, means: 'm' })).toBeUndefined();
    expect(failure(answer(200), { status: 200, headers, means: 'no charset' })).toContain('Usually:  no charset');
    expect(failure(answer(200), { status: 200, headers: { allow: (value) => value === undefined }, means: 'm' })).toBeUndefined();
  });

  test('means chosen from the answer, and the sent lines and expected words given', () => {
    const message = failure(answer(500), {
      status: 400,
      sent: ['curl one', 'curl two'],
      expected: 'status 400 Bad Request',
      means: (got) => (got.status === 500 ? 'it reached the catch-all' : 'other'),
      serverOutput: 'URIError: URI malformed',
    });
    expect(message).toBe(
      [
        'Sent:     curl one',
        '          curl two',
        'Expected: status 400 Bad Request',
        'Got:      status 500, text/plain, 0 bytes',
        'Usually:  it reached the catch-all',
        'Server output (last lines):',
        '  | URIError: URI malformed',
      ].join('\n'),
    );
  });

  test('a request that got no answer reports its own problem', () => {
    expect(failure(answer(undefined), { status: 200, means: 'not this' })).toBe(
      ["Sent:     curl -i 'http://localhost:3000/x'", 'Expected: status 200', 'Got:      no response headers within 2000 ms', 'Usually:  the handler never answered'].join('\n'),
    );
  });
});
