/**
 * A phase's history in the progress file: every pass `next` (or `verify`, for the current
 * phase) saw and every `reset`, oldest first. It answers "does this phase count as passed
 * *now*?": after a reset the folder holds the starter again, so the phase must not show as
 * passed, yet the date it first passed is the learner's record and is never erased. The order of the list decides, not the dates:
 * a pass and a reset in the same second (or a clock that went back) stay unambiguous.
 *
 * Files written before the history existed have none; for them `passedAt` alone tells, and
 * the first event recorded starts the list with that earlier pass, so nothing is lost.
 */

/** One line of a phase's history. `backup`: where reset moved the folder (null: there was none). */
export type PhaseEvent = { event: 'passed'; at: string } | { event: 'reset'; at: string; backup: string | null };

export type ResetEvent = Extract<PhaseEvent, { event: 'reset' }>;

/**
 * The part of a phase's progress (PhaseProgress in progress.ts) this module reads and writes.
 * Named here rather than imported, so progress.ts can use this module without a cycle.
 */
export interface PhaseRecord {
  passedAt: string | null;
  history?: PhaseEvent[];
}

/** The recorded history, or what an older file implies: one pass at `passedAt`, if any. */
export function historyOf(entry: PhaseRecord): readonly PhaseEvent[] {
  if (entry.history !== undefined) return entry.history;
  return entry.passedAt === null ? [] : [{ event: 'passed', at: entry.passedAt }];
}

/** `next` (or `verify`, of the current phase) saw every check pass. `passedAt` keeps the first pass; the history gets every one. */
export function recordPass(entry: PhaseRecord, at: string): void {
  entry.history = [...historyOf(entry), { event: 'passed', at }];
  entry.passedAt ??= at;
}

/** `reset` moved the phase folder to `backup` (null: there was no folder) and restored the starter. */
export function recordReset(entry: PhaseRecord, at: string, backup: string | null): void {
  entry.history = [...historyOf(entry), { event: 'reset', at, backup }];
}

/** Passed, and not reset since. */
export function isPassed(entry: PhaseRecord): boolean {
  return historyOf(entry).at(-1)?.event === 'passed';
}

/** The reset that put the phase back to its starter, when it has not passed since; else null. */
export function pendingReset(entry: PhaseRecord): ResetEvent | null {
  const last = historyOf(entry).at(-1);
  return last?.event === 'reset' ? last : null;
}

/** When the phase last passed (a re-pass after a reset is newer than `passedAt`), or null. */
export function lastPassedAt(entry: PhaseRecord): string | null {
  const passes = historyOf(entry).filter((e) => e.event === 'passed');
  return passes.at(-1)?.at ?? entry.passedAt;
}

/** Validates the optional `history` list of one phase; `problem` throws the repair sentence. */
export function validateHistory(history: unknown, at: string, problem: (path: string, want: string, found: unknown) => never): void {
  if (!Array.isArray(history)) problem(at, 'an array of { "event": "passed" or "reset", "at": date-time } (or absent)', history);
  (history as unknown[]).forEach((item, i) => {
    const here = `${at}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) problem(here, 'an object { "event", "at" }', item);
    const e = item as Record<string, unknown>;
    if (e['event'] !== 'passed' && e['event'] !== 'reset') problem(`${here}.event`, '"passed" or "reset"', e['event']);
    if (typeof e['at'] !== 'string' || Number.isNaN(Date.parse(e['at']))) problem(`${here}.at`, 'an ISO date-time string', e['at']);
    if (e['event'] === 'reset' && e['backup'] !== null && typeof e['backup'] !== 'string') {
      problem(`${here}.backup`, 'null or the backup folder, like "backups/01-raw-handler/2026-11-23T10-00-00"', e['backup']);
    }
  });
}
