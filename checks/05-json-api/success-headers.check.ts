// Successful answers are JSON with a content-length that counts bytes. The text holds
// "ë" and "日本" (2 and 3 bytes per character), so a length taken from the string is short.
import { attempt, parseJson, summarize, type Attempt } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { patient, postShape, randomTag } from './_api.ts';

const start = useServers();

/** What is wrong with a success answer's headers or body, or undefined. */
function problemWith(answer: Attempt, wantStatus: number): string | undefined {
  if (!answer.complete) return answer.problem?.got ?? 'an incomplete response';
  if (answer.status !== wantStatus) return `status ${answer.status} (expected ${wantStatus}): ${summarize(answer, 80)}`;
  const type = String(answer.headers?.['content-type'] ?? '');
  if (!/^application\/json\s*(;|$)/i.test(type)) return `content-type "${type || 'none'}" (expected application/json)`;
  const declared = answer.headers?.['content-length'];
  if (declared === undefined) return 'no content-length header';
  if (Number(declared) !== answer.bytes) return `content-length: ${declared}, but the body has ${answer.bytes} bytes`;
  try {
    JSON.parse(answer.body.toString('utf8'));
  } catch {
    const text = answer.body.toString('utf8');
    return `content-length: ${declared} ends the body too early: the ${answer.bytes} bytes it allows are not complete JSON (they end with "…${text.slice(-24)}")`;
  }
  return undefined;
}

check({ id: 'success-headers', group: 'error-shape', title: 'Successful answers are JSON with a byte-exact content-length' }, async () => {
  const server = await start();
  const text = `Zoë ${randomTag()} 日本`;
  const created = await attempt(server, postShape({ text }), patient());
  const steps: Attempt[] = [created];
  const json = parseJson(created.body.toString('utf8'));
  const id = json.ok ? (json.value as { id?: unknown } | null)?.id : undefined;
  if (typeof id === 'string') steps.push(await attempt(server, { path: `/messages/${id}` }, patient()));
  steps.push(await attempt(server, { path: '/messages' }, patient()));

  for (const [index, answer] of steps.entries()) {
    const problem = problemWith(answer, index === 0 ? 201 : 200);
    if (problem) {
      fail({
        sent: answer.curl,
        expected: `status ${index === 0 ? 201 : 200}, content-type application/json, and a content-length equal to the body's bytes`,
        got: problem,
        means:
          'content-length counts bytes, not characters: Buffer.byteLength(body), never body.length ("Zoë 日本" is 6 characters and 11 bytes). A short length cuts the body; a long one leaves the client waiting',
        serverOutput: answer.complete ? undefined : server.tail(),
      });
    }
  }
  const stored = JSON.parse(steps.at(-1)!.body.toString('utf8')) as { text?: unknown }[];
  if (!Array.isArray(stored) || !stored.some((m) => m.text === text)) {
    fail({ sent: steps.at(-1)!.curl, expected: `the list to hold the text ${JSON.stringify(text)} unchanged`, got: summarize(steps.at(-1)!, 160), means: 'the text must round-trip byte for byte: decode the body as UTF-8 once, and store the string as given' });
  }
});
