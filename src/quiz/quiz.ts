/**
 * The quick-check quiz after a phase passes.
 *
 * Choices are shown in an order of their own for each workspace: a key that always sits in
 * the same place (or is always the longest line) teaches nothing. The order is derived from
 * the workspace's id (see `shuffleSeed`), so it is the same every time that learner looks,
 * and `--answers` numbers, the numbers printed without a terminal and the arrow-key prompt
 * all refer to the same list. Numbers on screen start at 0 (`--answers 1,0,2`).
 *
 * The progress file records answers as quiz.json numbers (`toQuizJsonAnswers`), so a record
 * keeps its meaning whatever order the choices were shown in.
 *
 * Asking needs a terminal; without one the caller prints the questions (`renderQuestions`)
 * and says how to answer (`howToAnswer`).
 */
import { createHash } from 'node:crypto';
import type { ChalkInstance } from 'chalk';
import type { QuizQuestion } from '../course/types.ts';
import { UserError } from '../errors.ts';
import { indent, marks } from '../ui/style.ts';
import { NPX } from '../ui/messages.ts';
import { atLeastAsGood, type Progress, type QuizRecord } from '../workspace/progress.ts';

export interface QuizOutcome {
  readonly answers: number[];
  readonly score: number;
  readonly total: number;
}

/** A question as this learner sees it: choices in shown order, `answer` a shown number. */
export interface ShownQuestion extends QuizQuestion {
  /** order[shown number] = the choice's index in quiz.json. */
  readonly order: readonly number[];
}

/** Used outside a workspace, where there is no id: still shuffled, the same for everyone. */
const NO_WORKSPACE_SEED = 'no-workspace';

/**
 * What the choice order of a workspace is derived from: its random id, written when it was
 * created; workspaces made before the id existed use their creation time, which is just as
 * stable and needs no write.
 */
export function shuffleSeed(progress: Progress | null): string {
  if (progress === null) return NO_WORKSPACE_SEED;
  return progress.workspaceId ?? `createdAt:${progress.createdAt}`;
}

/** The questions of `phaseId` with their choices in the order `seed` gives them. Pure. */
export function arrangeQuiz(questions: readonly QuizQuestion[], seed: string, phaseId: string): ShownQuestion[] {
  return questions.map((q, qi) => {
    const keyed = q.choices.map((_, ci) => ({ ci, key: createHash('sha256').update(`${seed}\n${phaseId}\n${qi}\n${ci}`).digest('hex') }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.ci - b.ci));
    const order = keyed.map((k) => k.ci);
    return {
      question: q.question,
      choices: order.map((ci) => q.choices[ci]!),
      answer: order.indexOf(q.answer),
      explanation: q.explanation,
      order,
    };
  });
}

/** Shown numbers → quiz.json numbers, for the progress file. */
export function toQuizJsonAnswers(questions: readonly ShownQuestion[], shown: readonly number[]): number[] {
  return shown.map((n, i) => questions[i]!.order[n]!);
}

/** "1,0,2" → [1, 0, 2], checked against the questions: one answer each, each a real choice. */
export function parseAnswers(text: string, questions: readonly QuizQuestion[], phaseId: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length !== questions.length) {
    throw new UserError(
      `--answers needs ${questions.length} choice numbers for the ${questions.length} questions of ${phaseId}, got ${parts.length}: "${text}". ` +
        `To see the questions and their numbered choices: ${NPX} quiz ${phaseId.slice(0, 2)}`,
    );
  }
  return parts.map((part, i) => {
    const max = questions[i]!.choices.length - 1;
    if (!/^\d+$/.test(part) || Number(part) > max) {
      throw new UserError(`--answers: answer ${i + 1} is "${part}", but question ${i + 1} has choices 0 to ${max} (choice numbers start at 0).`);
    }
    return Number(part);
  });
}

/** The progress-file record of one attempt: scored on the shown numbers, stored as quiz.json numbers. */
export function attemptRecord(questions: readonly ShownQuestion[], shown: readonly number[], answeredAt: string): QuizRecord {
  return { ...grade(questions, shown), answers: toQuizJsonAnswers(questions, shown), answeredAt };
}

export function grade(questions: readonly QuizQuestion[], answers: readonly number[]): QuizOutcome {
  const score = questions.filter((q, i) => q.answer === answers[i]).length;
  return { answers: [...answers], score, total: questions.length };
}

/**
 * Per question: what was chosen and whether it was right; for a wrong answer, the right
 * choice (number and text) and why. `previousBest`: the record a retake is measured against.
 */
export function renderFeedback(questions: readonly QuizQuestion[], answers: readonly number[], c: ChalkInstance, previousBest: QuizRecord | null = null): string {
  const lines: string[] = [];
  questions.forEach((q, i) => {
    const chosen = answers[i]!;
    const right = chosen === q.answer;
    lines.push(`${right ? c.green(marks.pass) : c.red(marks.fail)} ${c.bold(`${i + 1}. ${q.question}`)}`);
    lines.push(`    you chose:   ${chosen}) ${q.choices[chosen] ?? '?'}`);
    if (!right) lines.push(`    ${c.green('correct:')}     ${q.answer}) ${q.choices[q.answer]}`);
    lines.push(indent(`${right ? '' : 'why: '}${q.explanation}`, '    '));
  });
  const score = grade(questions, answers);
  lines.push('', c.bold(`Quiz score: ${score.score}/${score.total}`));
  if (previousBest !== null) {
    lines.push(
      atLeastAsGood(score, previousBest)
        ? `Your best so far for this quiz: ${score.score}/${score.total} (the earlier best was ${previousBest.score}/${previousBest.total}).`
        : `Your best so far stays ${previousBest.score}/${previousBest.total}; this attempt is kept in the history too.`,
    );
  }
  return lines.join('\n');
}

/** The questions with numbered choices, for a learner who answers on the command line. */
export function renderQuestions(questions: readonly QuizQuestion[]): string {
  return questions
    .map((q, i) => [`${i + 1}. ${q.question}`, ...q.choices.map((choice, n) => `    ${n}) ${choice}`)].join('\n'))
    .join('\n\n');
}

/** How to hand in answers for the questions just printed. */
export function howToAnswer(phaseNumber: string, count: number): string {
  return (
    `To answer, give the number of the choice you pick for each question, in question order\n` +
    `(replace each N below; choices are numbered from 0, and the numbers stay the same in this workspace):\n` +
    `  ${NPX} quiz ${phaseNumber} --answers ${Array.from({ length: count }, () => 'N').join(',')}`
  );
}

/** Asks every question with an arrow-key menu. Returns shown numbers, or null when the learner cancels (Ctrl-C / Esc). */
export async function askInteractively(questions: readonly QuizQuestion[]): Promise<number[] | null> {
  const { default: Enquirer } = await import('enquirer');
  const answers: number[] = [];
  for (const [i, q] of questions.entries()) {
    try {
      const reply = (await Enquirer.prompt({
        type: 'select',
        name: 'choice',
        message: `${i + 1}/${questions.length} ${q.question}`,
        choices: q.choices.map((choice, n) => ({ name: String(n), message: `${n}) ${choice}` })),
      })) as { choice: string };
      answers.push(Number(reply.choice));
    } catch {
      // enquirer rejects (with an empty string) on Ctrl-C or Esc: treat it as "not now".
      return null;
    }
  }
  return answers;
}
