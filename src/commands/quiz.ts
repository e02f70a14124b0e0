/** `quiz [phase] [--answers LIST]`: take or retake a phase's quiz; recorded when in a workspace. */
import type { CommandRun } from './types.ts';
import { loadCourse } from '../course/load.ts';
import { arrangeQuiz, askInteractively, attemptRecord, howToAnswer, parseAnswers, renderFeedback, renderQuestions, shuffleSeed } from '../quiz/quiz.ts';
import { findWorkspace } from '../workspace/find.ts';
import { readProgress, recordQuizAttempt, writeProgress } from '../workspace/progress.ts';
import { pickPhase } from '../workspace/session.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const phases = loadCourse(ctx.courseRoot);
  const root = findWorkspace(ctx.cwd);
  const progress = root === null ? null : readProgress(root, phases.map((p) => p.id));
  const phase = pickPhase(phases, args.positionals[0], progress);
  // This learner's order of choices: the numbers printed, prompted and passed to --answers.
  const questions = arrangeQuiz(phase.quiz, shuffleSeed(progress), phase.id);

  let answers: number[] | null;
  if (typeof args.values['answers'] === 'string') {
    answers = parseAnswers(args.values['answers'], questions, phase.id);
  } else if (ui.canPrompt) {
    ui.out(c.bold(`Quiz for phase ${phase.id} (${phase.quiz.length} questions)`));
    answers = await askInteractively(questions);
    if (answers === null) {
      ui.out('Quiz cancelled; nothing was recorded.');
      return 0;
    }
  } else {
    // No terminal to ask in (or CI): show the questions and how to answer them; nothing is recorded.
    ui.out(c.bold(`Quiz for phase ${phase.id} (${questions.length} questions)`));
    ui.out('');
    ui.out(renderQuestions(questions));
    ui.out('');
    ui.out(howToAnswer(phase.number, questions.length));
    return 0;
  }

  const entry = progress?.phases[phase.id];
  if (root !== null && progress !== null && entry) {
    // Recorded before the feedback is shown: a progress file that cannot be written stops
    // the command with one sentence, and nothing is half done.
    const previousBest = recordQuizAttempt(entry, attemptRecord(questions, answers, ctx.now().toISOString()));
    writeProgress(root, progress);
    ui.out(renderFeedback(questions, answers, c, previousBest));
    ui.out(c.dim('Recorded in learn-node-http.json.'));
  } else {
    ui.out(renderFeedback(questions, answers, c));
    ui.out(c.dim(root === null ? 'Not recorded: there is no workspace here.' : `Not recorded: phase ${phase.id} is not unlocked yet.`));
  }
  return 0;
};
