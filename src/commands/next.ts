/**
 * `next`: the learner's one command. No workspace → create it (only in an empty folder).
 * Workspace → check the current phase (after `reset N`, that is phase N again); on success,
 * quiz, record, and move on to the next phase that needs a pass (queue.ts); when none is
 * left, the completion summary. A current phase that already passed since its last reset
 * (`verify` recorded the pass) is not checked again: straight to the quiz and the unlock.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CommandRun } from './types.ts';
import { findPhase, loadCourse } from '../course/load.ts';
import type { Phase } from '../course/types.ts';
import { UserError } from '../errors.ts';
import { arrangeQuiz, askInteractively, attemptRecord, howToAnswer, parseAnswers, renderFeedback, renderQuestions, shuffleSeed, type ShownQuestion } from '../quiz/quiz.ts';
import { exitCodeFor } from '../report/model.ts';
import { renderPretty } from '../report/pretty.ts';
import type { Ui } from '../ui/context.ts';
import { completionText, couldNotRunText, failureFooter, NPX, phaseStartText, verifyCommand, writeReportText } from '../ui/messages.ts';
import { runPhaseWithProgress } from '../ui/run-checks.ts';
import { findWorkspace } from '../workspace/find.ts';
import { isPassed, recordPass } from '../workspace/history.ts';
import { newPhaseProgress, PROGRESS_FILE, readProgress, recordQuizAttempt, writeProgress, type Progress } from '../workspace/progress.ts';
import { phaseAfterPass } from '../workspace/queue.ts';
import { createWorkspaceFiles, scaffoldPhase } from '../workspace/scaffold.ts';
import { assertWorkspaceWritable } from '../workspace/writable.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const phases = loadCourse(ctx.courseRoot);
  const root = findWorkspace(ctx.cwd);
  if (root === null) return startCourse(ui, phases);

  const progress = readProgress(root, phases.map((p) => p.id));
  if (progress.current === null) {
    ui.out(completionText(phases, progress, c));
    return 0;
  }
  // next records every attempt: a workspace it cannot write is said before the checks run.
  assertWorkspaceWritable(root, 'next');
  const phase = findPhase(phases, progress.current);
  const entry = progress.phases[phase.id]!;
  // Check --answers before spending seconds on the checks. The numbers are the ones this
  // workspace's shuffled quiz shows (`quiz` prints them).
  const questions = arrangeQuiz(phase.quiz, shuffleSeed(progress), phase.id);
  const answersArg = typeof args.values['answers'] === 'string' ? args.values['answers'] : undefined;
  const answers = answersArg === undefined ? undefined : parseAnswers(answersArg, questions, phase.id);

  // verify saw the current phase pass (and nothing reset it since): the checks are not run
  // again, and no attempt is counted, since none ran.
  if (isPassed(entry)) {
    ui.out(c.green(`Phase ${phase.number} passed.`) + c.dim(` (already recorded; to run its checks again: ${verifyCommand(phase)})`));
    await quiz(ui, phase, questions, progress, root, answers);
    return unlockNext(ui, phases, phase, progress, root);
  }

  const folder = join(root, phase.id);
  const shown = relative(ctx.cwd, folder) || '.';
  if (!existsSync(folder)) {
    const written = scaffoldPhase(root, phase);
    ui.out(`The folder ${shown}/ was missing, so the starter files were copied again:`);
    ui.out(writeReportText(written, c));
    ui.out(`Work there, then run ${c.cyan(verifyCommand(phase))}.`);
    return 0;
  }

  ui.out(`Checking phase ${phase.id} in ${shown}/ …`);
  const phaseRun = await runPhaseWithProgress(ui, phase, folder);
  ui.out(renderPretty([{ dir: root, label: relative(ctx.cwd, root) || '.', runs: [phaseRun] }], phases, c));
  const code = exitCodeFor([{ dir: root, label: root, runs: [phaseRun] }]);
  entry.attempts += 1;

  if (code !== 0) {
    writeProgress(root, progress);
    if (code === 2) ui.out(couldNotRunText(verifyCommand(phase), c));
    else for (const line of failureFooter(phase, phase.hints.length - entry.hintsUsed, c)) ui.out(line);
    return code;
  }

  recordPass(entry, ctx.now().toISOString());
  writeProgress(root, progress);
  ui.out(c.green(`Phase ${phase.number} passed.`));

  await quiz(ui, phase, questions, progress, root, answers);
  return unlockNext(ui, phases, phase, progress, root);
};

async function startCourse(ui: Ui, phases: readonly Phase[]): Promise<number> {
  const { ctx, c } = ui;
  const visible = readdirSync(ctx.cwd).filter((name) => !name.startsWith('.'));
  const phaseFolders = phases.filter((p) => visible.includes(p.id)).map((p) => p.id);
  if (phaseFolders.length > 0) {
    throw new UserError(
      `This folder holds phase folders (${phaseFolders.join(', ')}) but no ${PROGRESS_FILE}: the progress file was deleted or not copied. ` +
        `Rebuild it from the phase folders here (your files are kept): ${NPX} init .`,
    );
  }
  if (visible.length > 0) {
    const some = visible.slice(0, 4).join(', ') + (visible.length > 4 ? ', …' : '');
    throw new UserError(
      `This folder is not a learn-node-http workspace, and it is not empty (it holds ${some}), so next will not create one here.\n` +
        `Create the workspace in a new folder: ${NPX} init my-course   then: cd my-course`,
    );
  }
  const first = phases[0]!;
  const files = createWorkspaceFiles(ctx.cwd, first, ctx.now());
  const phase = scaffoldPhase(ctx.cwd, first);
  ui.out('Welcome to learn-node-http: you will build a real HTTP server on plain node:http, one checked phase at a time.');
  ui.out(writeReportText({ created: [...files.created, ...phase.created], skipped: [...files.skipped, ...phase.skipped] }, c));
  ui.out(`To run your server by hand (npx tsx …) and for editor types: ${c.cyan('npm install')} once (the checks themselves need nothing)`);
  ui.out('');
  ui.out(phaseStartText(first, ctx.cwd, ctx.cwd, c));
  return 0;
}

async function quiz(ui: Ui, phase: Phase, questions: readonly ShownQuestion[], progress: Progress, root: string, answers: number[] | undefined): Promise<void> {
  const { c } = ui;
  const entry = progress.phases[phase.id]!;
  if (answers === undefined && entry.quiz !== null) return; // already taken; `quiz` retakes it
  let chosen: number[] | null | undefined = answers;
  if (chosen === undefined) {
    ui.out();
    if (!ui.canPrompt) {
      // No terminal to ask in: the questions come first, then how to answer them.
      ui.out(c.bold(`Quick check on phase ${phase.number} (${questions.length} questions). There is no terminal to ask in, so here they are:`));
      ui.out('');
      ui.out(renderQuestions(questions));
      ui.out('');
      ui.out(howToAnswer(phase.number, questions.length));
      ui.out(c.dim('The quiz never holds you back: you move on either way, and can take it any time.'));
      return;
    }
    ui.out(c.bold(`Quick check on phase ${phase.number} (${questions.length} questions):`));
    chosen = await askInteractively(questions);
    if (chosen === null) {
      ui.out(c.dim(`Quiz skipped. Take it any time: ${NPX} quiz ${phase.number}`));
      return;
    }
  }
  const previousBest = recordQuizAttempt(entry, attemptRecord(questions, chosen, ui.ctx.now().toISOString()));
  ui.out('');
  ui.out(renderFeedback(questions, chosen, c, previousBest));
  writeProgress(root, progress);
}

/**
 * After a pass: the next phase that needs one (queue.ts). A phase that is already unlocked
 * (the learner reset an earlier one and came back) keeps its folder exactly as it is; only a
 * missing folder gets the starter. No such phase: the course is complete.
 */
function unlockNext(ui: Ui, phases: readonly Phase[], phase: Phase, progress: Progress, root: string): number {
  const { ctx, c } = ui;
  const following = phaseAfterPass(phases, progress, phase);
  if (following === undefined) {
    progress.current = null;
    // The first completion is kept: re-passing a reset phase does not rewrite that date.
    progress.completedAt ??= ctx.now().toISOString();
    writeProgress(root, progress);
    ui.out('');
    ui.out(completionText(phases, progress, c));
    return 0;
  }
  const unlockedBefore = progress.phases[following.id] !== undefined;
  progress.current = following.id;
  progress.phases[following.id] ??= newPhaseProgress(ctx.now());
  writeProgress(root, progress);
  ui.out('');
  if (unlockedBefore && existsSync(join(root, following.id))) {
    ui.out(c.bold(`Back to phase ${following.number}`) + ` (unlocked before: your files in ${relative(ctx.cwd, join(root, following.id)) || '.'}/ are as you left them).`);
  } else {
    const written = scaffoldPhase(root, following);
    ui.out(c.bold(`${unlockedBefore ? 'Back to' : 'Unlocked'} phase ${following.number}.`));
    ui.out(writeReportText(written, c));
  }
  ui.out('');
  ui.out(phaseStartText(following, root, ctx.cwd, c, following === phases.at(-1)));
  return 0;
}
