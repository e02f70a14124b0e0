/**
 * The two ways a check can go wrong, kept apart because they mean opposite things:
 *
 * - CheckFailure: the learner's server misbehaved. Its message teaches: what was sent
 *   (as a curl line), what was expected, what came back, what that usually means,
 *   where in the lesson to read, and the command to run next.
 * - InfraError: the check itself could not run (a missing fixture, a broken machine).
 *   The learner did nothing wrong; reports show it as "error", never as "fail".
 *
 * vitest serialises thrown errors between processes, so the runner tells them apart
 * by `name`, not by `instanceof`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { PACKAGE_ROOT } from './paths.ts';

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

/** Throws a CheckFailure whose message walks the learner from symptom to fix. */
export function fail(report: FailureReport): never {
  throw new CheckFailure(formatFailure(report, currentGroup()), report);
}

/** The same failure, pointing at the lesson section of the check now running. */
export function reformatForCurrentCheck(error: CheckFailure): CheckFailure {
  return error.report ? new CheckFailure(formatFailure(error.report, currentGroup()), error.report) : error;
}

export function formatFailure(report: FailureReport, group: string | undefined, options: { readonly pointAtLesson?: boolean } = {}): string {
  const { phaseId, section } = lessonPointer(group);
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
  const lesson = phaseId ? `${phaseId}/LESSON.md` : 'LESSON.md';
  if (options.pointAtLesson === false) {
    // Nothing in one lesson section explains a server that does not start: the error does.
    lines.push(`Read:     the first error in the output${report.where ? ' (Where, above)' : ''}; run the Sent line yourself to see it live`);
  } else {
    lines.push(`Read:     ${section ? `"${section}" in ${lesson}` : lesson}`);
  }
  lines.push(`Then run: npx learn-node-http verify ${phaseId ? phaseId.slice(0, 2) : ''}`.trimEnd());
  return lines.join('\n');
}

/** The describe block of the running test is the check group id (e.g. "sigterm-drain"). */
function currentGroup(): string | undefined {
  const name = expect.getState().currentTestName;
  return name?.split(' > ')[0];
}

let sectionsCache: { phaseId: string; sections: Map<string, string> } | undefined;

/**
 * The lesson section for a group comes from phase.json ("lessonSection"), so the
 * course text and the checks cannot drift apart. The phase is the folder the check
 * file lives in, found from the test path vitest reports.
 */
function lessonPointer(group: string | undefined): { phaseId?: string; section?: string } {
  const testPath = expect.getState().testPath;
  const phaseId = testPath ? path.basename(path.dirname(testPath)) : undefined;
  if (!phaseId) return {};
  if (sectionsCache?.phaseId !== phaseId) {
    sectionsCache = { phaseId, sections: readLessonSections(phaseId) };
  }
  return { phaseId, section: group ? sectionsCache.sections.get(group) : undefined };
}

function readLessonSections(phaseId: string): Map<string, string> {
  const sections = new Map<string, string>();
  try {
    const phase = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'phases', phaseId, 'phase.json'), 'utf8')) as {
      groups?: { id?: unknown; lessonSection?: unknown }[];
    };
    for (const group of phase.groups ?? []) {
      if (typeof group.id === 'string' && typeof group.lessonSection === 'string') {
        sections.set(group.id, group.lessonSection);
      }
    }
  } catch {
    // No readable phase.json: the message still points at LESSON.md, just not a section.
  }
  return sections;
}
