/**
 * The quiz shows each workspace its own order of choices. Tests that answer with --answers
 * compute the numbers that workspace shows, from its progress file, the way the CLI does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPhase, loadCourse } from '../../src/course/load.ts';
import { arrangeQuiz, shuffleSeed, type ShownQuestion } from '../../src/quiz/quiz.ts';
import { PROGRESS_FILE, type Progress } from '../../src/workspace/progress.ts';

/** The questions of `phaseId` as the workspace `ws` shows them. `courseRoot` undefined: the real course. */
export function shownQuiz(ws: string, courseRoot: string | undefined, phaseId: string): ShownQuestion[] {
  const progress = JSON.parse(readFileSync(join(ws, PROGRESS_FILE), 'utf8')) as Progress;
  const phase = findPhase(loadCourse(courseRoot), phaseId);
  return arrangeQuiz(phase.quiz, shuffleSeed(progress), phase.id);
}

/** The --answers value that picks, per question, the choice with quiz.json index `picks[i]`. */
export function answersFor(ws: string, courseRoot: string | undefined, phaseId: string, picks: readonly number[]): string {
  return shownQuiz(ws, courseRoot, phaseId)
    .map((q, i) => q.order.indexOf(picks[i]!))
    .join(',');
}

/** The --answers value with every answer right, in the numbers `ws` shows. */
export function rightAnswers(ws: string, courseRoot: string | undefined, phaseId: string): string {
  return shownQuiz(ws, courseRoot, phaseId)
    .map((q) => q.answer)
    .join(',');
}
