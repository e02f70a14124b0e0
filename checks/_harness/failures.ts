/**
 * The two ways a check can go wrong, kept apart because they mean opposite things:
 *
 * - CheckFailure: the learner's server misbehaved. Its message states the facts: what
 *   was sent (as a curl line), what was expected, what came back, what that usually
 *   means. The runner adds where in the lesson to read and the command to run next.
 * - InfraError: the check itself could not run (a missing fixture, a broken machine).
 *   The learner did nothing wrong; reports show it as "error", never as "fail".
 *
 * vitest serialises thrown errors between processes, so the runner tells them apart
 * by `name`, not by `instanceof`.
 */

export class CheckFailure extends Error {
  override readonly name: string = 'CheckFailure';

  constructor(
    message: string,
    /** The facts behind the message, so it can be re-worded for another check. */
    readonly report?: FailureReport,
  ) {
    super(message);
  }
}

/**
 * The learner's server never became ready (it did not compile, threw at import, exited or
 * never listened). Still the learner's fault, but one cause behind every check of the run:
 * reporters show its message once and the checks as "not run".
 */
export class ServerStartFailure extends CheckFailure {
  override readonly name = 'ServerStartFailure';
}

export class InfraError extends Error {
  override readonly name = 'InfraError';
}

export interface FailureReport {
  /** The request(s) that showed the problem, as curl lines the learner can paste. */
  readonly sent?: string | readonly string[];
  readonly expected: string;
  readonly got: string;
  /** The usual cause, in one or two sentences. */
  readonly means: string;
  /** The learner's code where it went wrong, as a short code frame (codeFrame in code-frame.ts). */
  readonly where?: string;
  /** Tail of the server's output, when it helps (a crash, a missing log line). */
  readonly serverOutput?: string;
}

/** Throws a CheckFailure whose message states what happened, from symptom to usual cause. */
export function fail(report: FailureReport): never {
  throw new CheckFailure(formatFailure(report), report);
}

/**
 * The facts of a failure, one labelled line each. Where to read and what to run next are
 * not the check's business: the runner adds them from the phase it already loaded
 * (src/runner/advice.ts), so no check reads phases/.
 */
export function formatFailure(report: FailureReport): string {
  const lines: string[] = [];
  const sent = typeof report.sent === 'string' ? [report.sent] : (report.sent ?? []);
  for (const [index, line] of sent.entries()) lines.push(`${index === 0 ? 'Sent:     ' : '          '}${line}`);
  lines.push(`Expected: ${report.expected}`);
  lines.push(`Got:      ${report.got}`);
  lines.push(`Usually:  ${report.means}`);
  if (report.where) {
    lines.push('Where:');
    for (const line of report.where.split('\n')) lines.push(`  ${line}`);
  }
  const output = report.serverOutput?.trimEnd();
  if (output) {
    lines.push('Server output (last lines):');
    for (const line of output.split('\n')) lines.push(`  | ${line}`);
  }
  return lines.join('\n');
}
