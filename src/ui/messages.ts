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
export function phaseStartText(phase: Phase, root: string, cwd: string, c: ChalkInstance): string {
  const folder = relative(cwd, `${root}/${phase.id}`) || '.';
  return [
    c.bold(`Phase ${phase.number}: ${phase.title}`) + c.dim(` (about ${phase.estimateMinutes} min)`),
    phase.summary,
    '',
    `  1. Read   ${c.cyan(`${folder}/LESSON.md`)}`,
    `  2. Edit   ${editTargets(phase, folder, c)}`,
    `  3. Run    ${c.cyan(`${NPX} next`)} to check your work (or ${c.cyan(`${NPX} watch`)} to re-check on every save)`,
  ].join('\n');
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
  return `${files} (${rest.length > 0 ? 'in that order; ' : ''}look for the // TODO markers)`;
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
