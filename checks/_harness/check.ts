/**
 * The one way to declare a check:
 *
 *   check({ id: 'content-type', group: 'content-length', title: 'every response says …' }, async () => { … });
 *
 * - `id` is the check's name in every report (results.json, CSV, JUnit, Classroom) and in
 *   the canary's map. It is written down, never derived, so rewording a title changes no
 *   grade key. Unique across the course (test/course-lint.test.ts).
 * - `group` is a group id of the phase's phase.json: the lesson section, the score line.
 * - `title` is what the learner reads next to ✓ or ✗.
 *
 * The body gets vitest's test context (for `ctx.skip(reason)` where a check cannot apply).
 * The runner reads the id from the test's meta (src/runner/collect.ts); the static list of
 * checks for a phase nobody ran reads the same three literals (src/report/check-list.ts).
 */
import { describe, test, type TestContext } from 'vitest';

export interface CheckInfo {
  readonly id: string;
  readonly group: string;
  readonly title: string;
}

declare module '@vitest/runner' {
  interface TaskMeta {
    /** The check's stable id (check.ts). */
    checkId?: string;
  }
}

export function check(info: CheckInfo, body: (ctx: TestContext) => Promise<void> | void): void {
  describe(info.group, () => {
    // Set when the file is collected, so even a check that never ran (a hook failed) carries its id.
    test(info.title, { meta: { checkId: info.id } }, async (ctx) => {
      await body(ctx);
    });
  });
}
