/**
 * What a learner should do about a failed check: where to read and the command to run
 * next. The checks state only the facts (checks/_harness/failures.ts); these lines come
 * from the phase the CLI already loaded, so no check reads phases/ and a reworded
 * lesson section reaches every failure at once.
 */

export interface FailureContext {
  readonly phase: string;
  readonly group: string;
  /** The server never became ready: the error in its output explains it, not a lesson section. */
  readonly serverDidNotStart: boolean;
  /** group id → the LESSON.md section that teaches it (phase.json `lessonSection`). */
  readonly lessonSections?: Readonly<Record<string, string>>;
}

export function withAdvice(message: string, context: FailureContext): string {
  return [message.trimEnd(), readLine(message, context), `Then run: npx learn-node-http verify ${context.phase.slice(0, 2)}`].join('\n');
}

function readLine(message: string, { phase, group, serverDidNotStart, lessonSections }: FailureContext): string {
  if (serverDidNotStart) {
    const where = /^Where:/m.test(message) ? ' (Where, above)' : '';
    return `Read:     the first error in the output${where}; run the Sent line yourself to see it live`;
  }
  const section = lessonSections?.[group];
  return `Read:     ${section ? `"${section}" in ` : ''}${phase}/LESSON.md`;
}
