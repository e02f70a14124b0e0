/**
 * Texts more than one command shows: what to do after a phase folder appears, and the
 * end-of-course summary. Kept here because commands never import each other.
 */
import type { ChalkInstance } from 'chalk';
import { relative } from 'node:path';
import type { Phase } from '../course/types.ts';
import type { Progress } from '../workspace/progress.ts';
import type { WriteReport } from '../workspace/scaffold.ts';

export const NPX = 'npx learn-node-http';

/** "Open these files, then run this": shown when a phase folder has just been created. */
export function phaseStartText(phase: Phase, root: string, cwd: string, c: ChalkInstance, last = false): string {
  const folder = relative(cwd, `${root}/${phase.id}`) || '.';
  return [
    c.bold(`Phase ${phase.number}: ${phase.title}`) + c.dim(` (about ${phase.estimateMinutes} min)`),
    phase.summary,
    '',
    `  1. Read   ${c.cyan(`${folder}/LESSON.md`)}`,
    `  2. Edit   ${editTargets(phase, folder, c)}`,
    ...checkSteps(phase, c, last).map(([step, text], i) => `  ${i + 3}. ${step.padEnd(6)} ${text}`),
  ].join('\n');
}

/**
 * The one rule every command, lesson and hint follows: `verify NN` checks your work (every
 * failure names it), and once the current phase passes, `next` asks its quick check and
 * unlocks the next phase (without running the checks again when verify saw the pass).
 */
export function verifyCommand(phase: Pick<Phase, 'number'>): string {
  return `${NPX} verify ${phase.number}`;
}

/** "Check … / Then …": the last steps of phaseStartText, status and reset. */
export function checkSteps(phase: Phase, c: ChalkInstance, last = false): Array<[string, string]> {
  return [
    ['Check', `${c.cyan(verifyCommand(phase))} (or ${c.cyan(`${NPX} watch`)} to re-check on every save)`],
    ['Then', `${c.cyan(`${NPX} next`)} once it passes: the quick check, then ${last ? 'the end of the course' : 'the next phase'}`],
  ];
}

/** After a verify (in a workspace) saw the current phase pass: where `next` takes the learner. */
export function phasePassedText(phase: Phase, last: boolean, c: ChalkInstance): string {
  return c.green(`Phase ${phase.number} passed: run ${c.cyan(`${NPX} next`)} for the quick check and ${last ? 'the end of the course' : 'the next phase'}`);
}

/**
 * The end of a failed check run of one phase (next, verify in a workspace): help if stuck,
 * then the one command to run, last, the same one every ✗ above ends with.
 */
export function failureFooter(phase: Phase, hintsLeft: number | null, c: ChalkInstance): string[] {
  const stuck =
    hintsLeft === null
      ? ''
      : hintsLeft > 0
        ? `Stuck? ${c.cyan(`${NPX} hint`)} (${hintsLeft} hint${hintsLeft === 1 ? '' : 's'} left) · `
        : `All hints used: ${c.cyan(`${NPX} solution --force`)} · `;
  return [`${stuck}re-check on every save: ${c.cyan(`${NPX} watch`)}`, `Fix what is marked ${c.red('✗')}, then run ${c.cyan(verifyCommand(phase))}`];
}

/** Checks that could not run (exit 2): not a verdict on the learner's code; the same command (verifyCommand) again. */
export function couldNotRunText(command: string, c: ChalkInstance): string {
  return `Some checks could not run at all (see above): that is not a verdict on your code. Run ${c.cyan(command)} again; if it persists, please report it.`;
}

/**
 * The files to edit, exactly the ones phase.json declares (those holding the // TODO markers),
 * in the lesson's order: "07-x/http-helpers.ts, server.ts, handlers.ts (in that order; …)".
 * The folder is written once, on the first file, so the line stays short and the first path
 * can be clicked or pasted. next, status and lesson all print it, so they never disagree.
 * `folder` is the phase folder as the learner should see it, or null when there is none
 * (lesson outside a workspace).
 */
export function editTargets(phase: Phase, folder: string | null, c: ChalkInstance): string {
  const [first, ...rest] = phase.edit;
  const files = [folder === null ? first! : `${folder}/${first!}`, ...rest].map((f) => c.cyan(f)).join(', ');
  const made = phase.create.length > 0 ? `; then create ${phase.create.map((f) => c.cyan(f)).join(', ')} as the lesson splits the code` : '';
  return `${files} (${rest.length > 0 ? 'in that order; ' : ''}look for the // TODO markers)${made}`;
}

/** Lists what a scaffold wrote, and loudly what it refused to overwrite. */
export function writeReportText(report: WriteReport, c: ChalkInstance): string {
  const lines = report.created.map((p) => `  ${c.green('created')} ${p}`);
  for (const p of report.skipped) lines.push(`  ${c.yellow('kept')}    ${p} ${c.dim('(already there: not overwritten)')}`);
  return lines.join('\n');
}

export function completionText(phases: readonly Phase[], progress: Progress, c: ChalkInstance): string {
  const lines = [c.green(c.bold('You finished every phase of learn-node-http. Well done!')), ''];
  let attempts = 0;
  let score = 0;
  let total = 0;
  for (const phase of phases) {
    const p = progress.phases[phase.id];
    if (!p) continue;
    attempts += p.attempts;
    if (p.quiz) {
      score += p.quiz.score;
      total += p.quiz.total;
    }
    const quiz = p.quiz ? `quiz ${p.quiz.score}/${p.quiz.total}` : 'quiz not taken';
    const hints = p.hintsUsed > 0 ? `, ${p.hintsUsed} hint${p.hintsUsed === 1 ? '' : 's'}` : '';
    lines.push(`  ${c.green('✓')} ${phase.id}: ${p.attempts} attempt${p.attempts === 1 ? '' : 's'}, ${quiz}${hints}${p.solutionViewed ? ', solution viewed' : ''}`);
  }
  lines.push('', `Phases: ${phases.length} · check runs: ${attempts} · quiz: ${total > 0 ? `${score}/${total}` : 'not taken'}`);
  lines.push(`Next: read the epilogue in COURSE.md of the package, or retake a quiz with ${NPX} quiz <phase>.`);
  return lines.join('\n');
}
