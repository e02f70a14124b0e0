/**
 * The starter rule: a phase scores by what the learner did, so a phase folder whose starter
 * files are exactly as the course handed them out scores 0, whatever the starter already
 * does (some starters answer a few routes, so a few checks pass on them unchanged).
 *
 * "Exactly as handed out": every file the phase's starter lists is present and has the
 * starter's bytes, line ends aside (a Windows checkout turns LF into CRLF). Other files in
 * the folder (LESSON.md, .solution/, notes) do not matter: with the starter files unchanged,
 * the server runs the starter's code. Changing any starter file, even by one character,
 * makes the phase graded check by check as usual.
 *
 * The checks still run (the learner still sees what fails and why); checks that passed are
 * reported as failed with a sentence saying why they earn nothing, so every report (and
 * every consumer that counts passes, like GitHub Classroom's reporter) shows the same 0.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Phase } from '../course/types.ts';
import type { CheckResult, PhaseRun } from '../runner/types.ts';

export function isUntouchedStarter(phase: Phase, folder: string): boolean {
  if (phase.starter.length === 0) return false;
  return phase.starter.every((name) => {
    try {
      return same(readFileSync(path.join(phase.paths.starterDir, name)), readFileSync(path.join(folder, name)));
    } catch {
      return false;
    }
  });
}

function same(a: Buffer, b: Buffer): boolean {
  if (a.equals(b)) return true;
  const lf = (buffer: Buffer): string => buffer.toString('latin1').replace(/\r\n/g, '\n');
  return lf(a) === lf(b);
}

export function untouchedStarterMessage(phase: Phase): string {
  return (
    `Not credited: the starter files of ${phase.id}/ (${phase.starter.join(', ')}) are exactly as the course handed them out, ` +
    'so this phase scores 0; this check passes on the starter alone. Write the phase, then grade again.'
  );
}

/** The run as it counts: unchanged when the learner changed the starter, every pass turned into a failure otherwise. */
export function applyStarterRule(run: PhaseRun, phase: Phase): PhaseRun {
  if (run.notSubmitted || !isUntouchedStarter(phase, run.targetDir)) return run;
  const message = untouchedStarterMessage(phase);
  const results = run.results.map((r): CheckResult => (r.status === 'pass' ? { ...r, status: 'fail', message } : r));
  return { ...run, results, untouchedStarter: true };
}
