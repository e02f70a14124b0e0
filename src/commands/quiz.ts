/** `quiz [phase] [--answers LIST]`: take or retake a phase's quiz; recorded when in a workspace. */
import type { CommandRun } from '../cli.ts';
import { loadCourse } from '../course/load.ts';
import { UserError } from '../errors.ts';
import { askInteractively, grade, parseAnswers, renderFeedback, renderQuestions } from '../quiz/quiz.ts';
import { NPX } from '../ui/messages.ts';
import { findWorkspace } from '../workspace/find.ts';
import { readProgress, writeProgress } from '../workspace/progress.ts';
import { pickPhase } from '../workspace/session.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const phases = loadCourse(ctx.courseRoot);
  const root = findWorkspace(ctx.cwd);
  const progress = root === null ? null : readProgress(root, phases.map((p) => p.id));
  const phase = pickPhase(phases, args.positionals[0], progress);

  let answers: number[] | null;
  if (typeof args.values['answers'] === 'string') {
    answers = parseAnswers(args.values['answers'], phase.quiz, phase.id);
  } else if (ui.canPrompt) {
    ui.out(c.bold(`Quiz for phase ${phase.id} (${phase.quiz.length} questions)`));
    answers = await askInteractively(phase.quiz);
    if (answers === null) {
      ui.out('Quiz cancelled; nothing was recorded.');
      return 0;
    }
  } else {
    throw new UserError(
      `The quiz asks its questions in a terminal, and there is none here (or CI is set). Answer on the command line instead, with choice numbers from 0 in question order:\n` +
        `  ${NPX} quiz ${phase.number} --answers ${phase.quiz.map(() => 0).join(',')}\n\n${renderQuestions(phase.quiz)}`,
    );
  }

  const entry = progress?.phases[phase.id];
  if (root !== null && progress !== null && entry) {
    // Recorded before the feedback is shown: a progress file that cannot be written stops
    // the command with one sentence, and nothing is half done.
    entry.quiz = { ...grade(phase.quiz, answers), answeredAt: ctx.now().toISOString() };
    writeProgress(root, progress);
    ui.out(renderFeedback(phase.quiz, answers, c));
    ui.out(c.dim('Recorded in learn-node-http.json.'));
  } else {
    ui.out(renderFeedback(phase.quiz, answers, c));
    ui.out(c.dim(root === null ? 'Not recorded: there is no workspace here.' : `Not recorded: phase ${phase.id} is not unlocked yet.`));
  }
  return 0;
};
