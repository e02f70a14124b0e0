/**
 * The per-submission budget stretches with the machine's pace, as the checks' own deadlines
 * do, and still ends within budget × MAX_FACTOR. The pace is fixed through
 * LEARN_NODE_HTTP_PACE, so these timings do not depend on how busy the machine is.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startPacedBudget } from '../../src/grading/paced-budget.ts';

const saved = process.env.LEARN_NODE_HTTP_PACE;
afterEach(() => {
  if (saved === undefined) delete process.env.LEARN_NODE_HTTP_PACE;
  else process.env.LEARN_NODE_HTTP_PACE = saved;
});

function expiry(budgetMs: number): Promise<{ reason: string; afterMs: number }> {
  const started = performance.now();
  return new Promise((resolve) => startPacedBudget(budgetMs, (reason) => resolve({ reason, afterMs: performance.now() - started })));
}

describe('a submission time budget in quiet-machine time', () => {
  test('on a quiet machine it runs out after the budget, and says so in whole seconds', async () => {
    process.env.LEARN_NODE_HTTP_PACE = '1';
    const { reason, afterMs } = await expiry(1000);
    expect(afterMs).toBeGreaterThanOrEqual(990);
    expect(afterMs).toBeLessThan(1000 + 500);
    expect(reason).toBe('its time budget of 1 s ran out');
  });

  test('at pace ×3 it lasts three times as long, and the reason names the stretch', async () => {
    process.env.LEARN_NODE_HTTP_PACE = '3';
    const { reason, afterMs } = await expiry(1000);
    expect(afterMs).toBeGreaterThanOrEqual(2990);
    expect(afterMs).toBeLessThan(3000 + 500);
    expect(reason).toBe('its time budget of 1 s ran out (stretched to 3 s because this machine is busy)');
  });

  test('the stop function ends it without a call', async () => {
    process.env.LEARN_NODE_HTTP_PACE = '1';
    let called = false;
    const stop = startPacedBudget(200, () => (called = true));
    stop();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(called).toBe(false);
  });
});
