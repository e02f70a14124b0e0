/**
 * `next`: the learner's one command. No workspace → create it (only in an empty folder).
 * Workspace → check the current phase; on success, quiz, record, unlock and scaffold the
 * next phase; after the last phase, the completion summary.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CommandRun } from '../cli.ts';
import { findPhase, loadCourse } from '../course/load.ts';
import type { Phase } from '../course/types.ts';
import { UserError } from '../errors.ts';
import { askInteractively, grade, parseAnswers, renderFeedback } from '../quiz/quiz.ts';
import { exitCodeFor } from '../report/model.ts';
import { renderPretty } from '../report/pretty.ts';
import type { Ui } from '../ui/context.ts';
import { completionText, NPX, phaseStartText, writeReportText } from '../ui/messages.ts';
import { runChecks } from '../ui/run-checks.ts';
import { findWorkspace } from '../workspace/find.ts';
import { newPhaseProgress, PROGRESS_FILE, readProgress, writeProgress, type Progress } from '../workspace/progress.ts';
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
  // Check --answers before spending seconds on the checks.
  const answersArg = typeof args.values['answers'] === 'string' ? args.values['answers'] : undefined;
  const answers = answersArg === undefined ? undefined : parseAnswers(answersArg, phase.quiz, phase.id);

  const folder = join(root, phase.id);
  const shown = relative(ctx.cwd, folder) || '.';
  if (!existsSync(folder)) {
    const written = scaffoldPhase(root, phase);
    ui.out(`The folder ${shown}/ was missing, so the starter files were copied again:`);
    ui.out(writeReportText(written, c));
    ui.out(`Work there, then run ${c.cyan(`${NPX} next`)} again.`);
    return 0;
  }

  ui.out(`Checking phase ${phase.id} in ${shown}/ …`);
  const phaseRun = await runChecks(ui, phase, folder);
  ui.out(renderPretty([{ dir: root, label: relative(ctx.cwd, root) || '.', runs: [phaseRun] }], phases, c));
  const code = exitCodeFor([{ dir: root, label: root, runs: [phaseRun] }]);
  entry.attempts += 1;

  if (code !== 0) {
    writeProgress(root, progress);
    const left = phase.hints.length - entry.hintsUsed;
    if (code === 2) {
      ui.out(`Some checks could not run at all (see above): that is not a verdict on your code. Try ${c.cyan(`${NPX} next`)} again; if it persists, please report it.`);
    } else {
      ui.out(`Fix what is marked ${c.red('✗')}, then run ${c.cyan(`${NPX} next`)} again.`);
      ui.out(
        `Re-check on every save: ${c.cyan(`${NPX} watch`)}` +
          (left > 0 ? ` · stuck? ${c.cyan(`${NPX} hint`)} (${left} hint${left === 1 ? '' : 's'} left)` : ` · all hints used: ${c.cyan(`${NPX} solution --force`)}`),
      );
    }
    return code;
  }

  entry.passedAt ??= ctx.now().toISOString();
  writeProgress(root, progress);
  ui.out(c.green(`Phase ${phase.number} passed.`));

  await quiz(ui, phase, progress, root, answers);
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
  ui.out(`For editor types: ${c.cyan('npm install')} (optional; the checks do not need it)`);
  ui.out('');
  ui.out(phaseStartText(first, ctx.cwd, ctx.cwd, c));
  return 0;
}

async function quiz(ui: Ui, phase: Phase, progress: Progress, root: string, answers: number[] | undefined): Promise<void> {
  const { c } = ui;
  const entry = progress.phases[phase.id]!;
  if (answers === undefined && entry.quiz !== null) return; // already taken; `quiz` retakes it
  let chosen: number[] | null | undefined = answers;
  if (chosen === undefined) {
    if (!ui.canPrompt) {
      ui.out(c.dim(`Quiz skipped: there is no terminal to ask in. Take it any time: ${NPX} quiz ${phase.number}   (or next time: ${NPX} next --answers …)`));
      return;
    }
    ui.out();
    ui.out(c.bold(`Quick check on phase ${phase.number} (${phase.quiz.length} questions):`));
    chosen = await askInteractively(phase.quiz);
    if (chosen === null) {
      ui.out(c.dim(`Quiz skipped. Take it any time: ${NPX} quiz ${phase.number}`));
      return;
    }
  }
  ui.out('');
  ui.out(renderFeedback(phase.quiz, chosen, c));
  entry.quiz = { ...grade(phase.quiz, chosen), answeredAt: ui.ctx.now().toISOString() };
  writeProgress(root, progress);
}

function unlockNext(ui: Ui, phases: readonly Phase[], phase: Phase, progress: Progress, root: string): number {
  const { ctx, c } = ui;
  const following = phases[phases.indexOf(phase) + 1];
  if (following === undefined) {
    progress.current = null;
    progress.completedAt = ctx.now().toISOString();
    writeProgress(root, progress);
    ui.out('');
    ui.out(completionText(phases, progress, c));
    return 0;
  }
  progress.current = following.id;
  progress.phases[following.id] ??= newPhaseProgress(ctx.now());
  writeProgress(root, progress);
  const written = scaffoldPhase(root, following);
  ui.out('');
  ui.out(c.bold(`Unlocked phase ${following.number}.`));
  ui.out(writeReportText(written, c));
  ui.out('');
  ui.out(phaseStartText(following, root, ctx.cwd, c));
  return 0;
}
