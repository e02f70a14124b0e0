/**
 * Hand-made grading data for the reporter tests: two phases, results of every status,
 * and DirReports with the batch fields (attempts, stoppedReason). No course on disk, no
 * runner, no servers.
 */
import type { Phase } from '../../src/course/types.ts';
import { notSubmittedRun, type DirReport } from '../../src/report/model.ts';
import type { CheckResult, PhaseRun } from '../../src/runner/types.ts';

export const P1 = '01-raw-handler';
export const P2 = '02-request-bodies';

function phase(id: string, title: string): Phase {
  const dir = `/pkg/phases/${id}`;
  return {
    id,
    number: id.slice(0, 2),
    title,
    summary: `${title}.`,
    entry: ['server.ts'],
    starter: ['server.ts'],
    edit: ['server.ts'],
    create: [],
    hints: ['a hint'],
    groups: [
      { id: 'alpha', title: 'Alpha works', lessonSection: 'Alpha' },
      { id: 'beta', title: 'Beta works', lessonSection: 'Beta' },
    ],
    estimateMinutes: 30,
    quiz: [],
    paths: { phaseDir: dir, starterDir: `${dir}/starter`, lesson: `${dir}/LESSON.md`, solutionDir: `/pkg/solutions/${id}`, checksDir: `/pkg/checks/${id}` },
  };
}

export const phases: readonly Phase[] = [phase(P1, 'Raw handler'), phase(P2, 'Request bodies')];

export function check(phaseId: string, id: string, status: CheckResult['status'], message = ''): CheckResult {
  return {
    phase: phaseId,
    id,
    group: id.startsWith('b') ? 'beta' : 'alpha',
    title: `The ${id} check`,
    status,
    message: message || (status === 'fail' ? `Sent:     curl -sS http://127.0.0.1:4000/${id}\nExpected: 200\nGot:      404` : ''),
    durationMs: 120,
    file: `checks/${phaseId}/${id}.check.ts`,
  };
}

/** A run of `statuses`, one check each, named a1, a2, … */
export function run(phaseId: string, statuses: ReadonlyArray<CheckResult['status']>, dir = '/grading/x'): PhaseRun {
  return { phase: phaseId, targetDir: `${dir}/${phaseId}`, durationMs: 900, results: statuses.map((s, i) => check(phaseId, `a${i + 1}`, s)) };
}

/** A phase folder that is missing; its checks (by default two, a1 and a2) are known, as the canary or the check files tell them. */
export function missing(phaseId: string, dir = '/grading/x', checks: readonly string[] = ['a1', 'a2']): PhaseRun {
  return notSubmittedRun(phases.find((p) => p.id === phaseId)!, `${dir}/${phaseId}`, checks.map((id) => check(phaseId, id, 'fail')));
}

export function report(label: string, runs: readonly PhaseRun[], extra: Partial<Pick<DirReport, 'attempts' | 'stoppedReason' | 'durationMs'>> = {}): DirReport {
  return { dir: `/grading/${label}`, label, runs, ...extra };
}

export const suite = { name: 'learn-node-http', version: '9.9.9', checksSha256: 'ab'.repeat(32) } as const;
