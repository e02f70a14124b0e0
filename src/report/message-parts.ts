/**
 * Pieces of a check's failure message for reports that have a slot for each. A learner's
 * failure reads (checks/_harness/failures.ts):
 *
 *   Sent:     curl -i -X PUT http://…        ← the request (more lines may follow, indented)
 *   Expected: 405 with an Allow header
 *   Got:      404
 *   Usually:  …
 *   Read:     "…" in 03-routing/LESSON.md
 *
 * Other messages (the harness's own, an infrastructure error) are free text.
 */
import { stripAnsi } from '../ui/style.ts';

function lines(message: string): string[] {
  return stripAnsi(message).split('\n');
}

/** The request(s) that showed the problem, as pasteable lines ("" when the message names none). */
export function sentLines(message: string): string {
  const all = lines(message);
  const start = all.findIndex((l) => l.startsWith('Sent:'));
  if (start < 0) return '';
  const out = [all[start]!.slice('Sent:'.length).trim()];
  for (const line of all.slice(start + 1)) {
    if (!/^\s{2,}\S/.test(line)) break;
    out.push(line.trim());
  }
  return out.join('\n');
}

function field(message: string, name: string): string | undefined {
  const line = lines(message).find((l) => l.startsWith(`${name}:`));
  return line?.slice(name.length + 1).trim();
}

/**
 * The reason in one line: "Expected: X; got: Y" for a learner's failure, else the first
 * line that is not the request (a report's `message` attribute, a one-line summary).
 */
export function reasonLine(message: string): string {
  const expected = field(message, 'Expected');
  const got = field(message, 'Got');
  if (expected !== undefined && got !== undefined) return `Expected: ${expected}; got: ${got}`;
  let inSent = false;
  for (const line of lines(message)) {
    if (line.startsWith('Sent:')) {
      inSent = true;
      continue;
    }
    if (inSent && /^\s{2,}\S/.test(line)) continue;
    inSent = false;
    if (line.trim() !== '') return line.trim();
  }
  return '';
}

/**
 * What a student should look at for this check: the request as a curl/printf line, else
 * what the check asserts ("Expected: …"), else the command that runs the check.
 */
export function codeToLookAt(message: string, phaseId: string): string {
  const sent = sentLines(message);
  if (sent !== '') return sent;
  const expected = field(message, 'Expected');
  if (expected !== undefined) return `Expected: ${expected}`;
  return `npx learn-node-http verify ${phaseId.slice(0, 2)}`;
}

/**
 * A failure message as `watch` shows it: watch runs the checks again on every save, so the
 * "Then run: npx learn-node-http verify NN" line (checks/_harness/failures.ts) becomes what
 * to do there instead. Everything else is unchanged.
 */
export function forWatch(message: string): string {
  return message.replace(/^(\s*)Then run: npx learn-node-http verify\b.*$/gm, '$1Then:     save a file to re-run the checks');
}
