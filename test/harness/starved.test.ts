/**
 * Never blame the server for the machine: a request that times out while the machine runs
 * at the pace ceiling (MAX_FACTOR, past what stretching deadlines covers) is an `error`
 * (InfraError, retried by a batch), not a failure. On a machine at normal pace the same
 * silence is the server's fault and fails with teaching text. The pace is fixed through
 * LEARN_NODE_HTTP_PACE; the server is a real process that never answers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { send, type Target } from '../../checks/_client/http.ts';
import { MAX_FACTOR } from '../../checks/_harness/pace.ts';
import { launch, type ChildHandle } from '../../checks/_process/processes.ts';

let proc: ChildHandle;
let target: Target;

beforeAll(async () => {
  const code = "const s = require('node:http').createServer(() => {}); s.listen(0, '127.0.0.1', () => console.log('port=' + s.address().port));";
  proc = launch(['-e', code], { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '' } });
  expect(await proc.waitForOutput(/port=\d+/, 10_000)).toBeTruthy();
  const port = /port=(\d+)/.exec(proc.output)![1];
  target = { origin: `http://127.0.0.1:${port}`, proc, tail: () => proc.tail() };
});
afterAll(() => proc.stop());
afterEach(() => {
  delete process.env.LEARN_NODE_HTTP_PACE;
});

async function outcomeOfSilence(): Promise<Error> {
  return send(target, { path: '/never' }, 'status 200', { headersWithinMs: 300 }).then(
    () => {
      throw new Error('the request was expected not to be answered');
    },
    (error: unknown) => error as Error,
  );
}

describe('a request nobody answers', () => {
  test('at the pace ceiling: an error about the machine, never a failure', async () => {
    process.env.LEARN_NODE_HTTP_PACE = String(MAX_FACTOR);
    const error = await outcomeOfSilence();
    expect(error.name).toBe('InfraError');
    expect(error.message).toMatch(/too busy to judge/);
  });

  test('at a normal pace: a failure that teaches', async () => {
    process.env.LEARN_NODE_HTTP_PACE = '1';
    const error = await outcomeOfSilence();
    expect(error.name).toBe('CheckFailure');
    expect(error.message).toMatch(/no response headers within 300 ms/);
  });
});
