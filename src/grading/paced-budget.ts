/**
 * A submission's time budget, counted in quiet-machine time.
 *
 * Every deadline inside a check stretches with the machine's measured pace
 * (checks/_harness/pace.ts). A budget of fixed wall-clock seconds would not: on a busy
 * machine a submission whose server never listens waits out its (stretched) start deadline
 * once per check file, runs out of a fixed budget first, and gets a different message from
 * the same submission graded on a quiet machine. So the budget is used up at the rate the
 * machine runs: a second of wall time at pace ×3 counts as a third of a second. The pace is
 * clamped to MAX_FACTOR, so the budget still ends within budget × MAX_FACTOR of wall time:
 * a hanging submission cannot hold a class for longer than that.
 */
import { paceFactor } from '../../checks/_harness/pace.ts';

/** Why the budget ran out, in words for the report: "its time budget of 60 s ran out ...". */
export type BudgetExpired = (reason: string) => void;

/** Starts counting; calls `onExpired` once, when the budget is used up. Returns a stop function. */
export function startPacedBudget(budgetMs: number, onExpired: BudgetExpired): () => void {
  const started = performance.now();
  let last = started;
  let usedMs = 0;
  // Fine enough for the short budgets of tests, cheap for real ones (a probe is ~4 ms of CPU).
  const tickMs = Math.min(1000, Math.max(20, Math.round(budgetMs / 20)));
  const timer = setInterval(() => {
    const now = performance.now();
    usedMs += (now - last) / paceFactor();
    last = now;
    if (usedMs < budgetMs) return;
    clearInterval(timer);
    onExpired(describeExpiry(budgetMs, now - started));
  }, tickMs);
  return () => clearInterval(timer);
}

function describeExpiry(budgetMs: number, wallMs: number): string {
  const seconds = Math.round(budgetMs / 1000);
  const wallSeconds = Math.round(wallMs / 1000);
  if (wallSeconds <= seconds) return `its time budget of ${seconds} s ran out`;
  return `its time budget of ${seconds} s ran out (stretched to ${wallSeconds} s because this machine is busy)`;
}
