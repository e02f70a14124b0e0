/**
 * The quick-check quiz after a phase passes. Answers are 0-based choice numbers, the same
 * numbers quiz.json uses and `--answers 1,0,2` takes, so a scripted run and an interactive
 * one record the same thing. Asking needs a terminal; without one the caller decides whether
 * that is an error (`quiz`) or a note (`next`).
 */
import type { ChalkInstance } from 'chalk';
import type { QuizQuestion } from '../course/types.ts';
import { UserError } from '../errors.ts';
import { indent, marks } from '../ui/style.ts';

export interface QuizOutcome {
  readonly answers: number[];
  readonly score: number;
  readonly total: number;
}

/** "1,0,2" → [1, 0, 2], checked against the questions: one answer each, each a real choice. */
export function parseAnswers(text: string, questions: readonly QuizQuestion[], phaseId: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length !== questions.length) {
    throw new UserError(
      `--answers needs ${questions.length} choice numbers for the ${questions.length} questions of ${phaseId} (e.g. --answers ${questions.map(() => 0).join(',')}), got ${parts.length}: "${text}".`,
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

export function grade(questions: readonly QuizQuestion[], answers: readonly number[]): QuizOutcome {
  const score = questions.filter((q, i) => q.answer === answers[i]).length;
  return { answers: [...answers], score, total: questions.length };
}

/** Per question: what was chosen, whether it was right, and the explanation. */
export function renderFeedback(questions: readonly QuizQuestion[], answers: readonly number[], c: ChalkInstance): string {
  const lines: string[] = [];
  questions.forEach((q, i) => {
    const chosen = answers[i]!;
    const right = chosen === q.answer;
    lines.push(`${right ? c.green(marks.pass) : c.red(marks.fail)} ${c.bold(`${i + 1}. ${q.question}`)}`);
    lines.push(`    your answer: ${chosen}) ${q.choices[chosen] ?? '?'}`);
    if (!right) lines.push(`    right answer: ${q.answer}) ${q.choices[q.answer]}`);
    lines.push(indent(q.explanation, '    '));
  });
  const score = grade(questions, answers);
  lines.push('', c.bold(`Quiz score: ${score.score}/${score.total}`));
  return lines.join('\n');
}

/** The questions as plain text, for terminals that cannot be prompted. */
export function renderQuestions(questions: readonly QuizQuestion[]): string {
  return questions
    .map((q, i) => [`${i + 1}. ${q.question}`, ...q.choices.map((choice, n) => `    ${n}) ${choice}`)].join('\n'))
    .join('\n');
}

/** Asks every question with an arrow-key menu. Returns null when the learner cancels (Ctrl-C / Esc). */
export async function askInteractively(questions: readonly QuizQuestion[]): Promise<number[] | null> {
  const { default: Enquirer } = await import('enquirer');
  const answers: number[] = [];
  for (const [i, q] of questions.entries()) {
    try {
      const reply = (await Enquirer.prompt({
        type: 'select',
        name: 'choice',
        message: `${i + 1}/${questions.length} ${q.question}`,
        choices: q.choices.map((choice, n) => ({ name: String(n), message: choice })),
      })) as { choice: string };
      answers.push(Number(reply.choice));
    } catch {
      // enquirer rejects (with an empty string) on Ctrl-C or Esc: treat it as "not now".
      return null;
    }
  }
  return answers;
}
