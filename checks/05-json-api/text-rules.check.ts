// The body of create and update follows four rules (only "text"; a string; not blank;
// at most 280 characters). Every body that breaks one gets a 400; the longest valid
// text still gets in. All the wrong answers are listed together, so one run shows them all.
import { describe, test } from 'vitest';
import { fail } from '../_harness/failures.ts';
import { send, summarize } from '../_harness/http.ts';
import { once } from '../_harness/once.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, patchShape, PATIENT, postShape, randomTag } from './_api.ts';

const start = useServers();
/** One server for both checks: neither depends on what the other stored. */
const server = once(() => start());

function badBodies(): { body: Record<string, unknown>; rule: string }[] {
  return [
    { body: {}, rule: 'text is missing' },
    { body: { text: '' }, rule: 'text is empty' },
    { body: { text: ' \t  ' }, rule: 'text is blank' },
    { body: { text: 40 + Math.floor(Math.random() * 60) }, rule: 'text is a number' },
    { body: { text: null }, rule: 'text is null' },
    { body: { text: [`x${randomTag(2)}`] }, rule: 'text is an array' },
    // 281 characters but 562 bytes: a check in bytes would reject it for the wrong reason, 280 × é would tell.
    { body: { text: 'é'.repeat(281) }, rule: 'text has 281 characters' },
    { body: { text: `ok ${randomTag()}`, [`extra_${randomTag(2)}`]: true }, rule: 'an unknown field comes with text' },
  ];
}

describe('validation', () => {
  test('Message bodies that break a rule answer 400', async () => {
    const target = await server();
    const wrong: string[] = [];
    const sent: string[] = [];
    for (const { body, rule } of badBodies()) {
      const answer = await send(target, postShape(body), 'status 400', PATIENT);
      if (answer.status !== 400) {
        wrong.push(`${rule}: ${summarize(answer, 80)}`);
        sent.push(answer.curl);
      }
    }
    const { message } = await createMessage(target, `patch target ${randomTag()}`);
    const patched = await send(target, patchShape(message.id, { text: '' }), 'status 400', PATIENT);
    if (patched.status !== 400) {
      wrong.push(`PATCH with an empty text: ${summarize(patched, 80)}`);
      sent.push(patched.curl);
    }
    if (wrong.length > 0) {
      fail({
        // 281 × "é" makes a curl line of ~600 characters: show the short ones when there are any.
        sent: (sent.some((line) => line.length < 300) ? sent.filter((line) => line.length < 300) : sent).slice(0, 3),
        expected: 'status 400 with a JSON error for every body that breaks a rule',
        got: wrong.join('\n          '),
        means: 'validateMessageInput must check every rule, for POST and PATCH alike: only the key "text" (Object.keys), typeof text === "string", text.trim() !== "", [...text].length <= 280',
      });
    }
  });

  test('A text of exactly 280 characters (280 × "é", 560 bytes) is accepted', async () => {
    const target = await server();
    const text = 'é'.repeat(280);
    const answer = await send(target, postShape({ text }), 'status 201', PATIENT);
    if (answer.status !== 201) {
      fail({
        sent: answer.curl,
        expected: 'status 201: 280 characters is the limit, not over it',
        got: summarize(answer, 100),
        means: 'the length is counted in characters ([...text].length), not in bytes (Buffer.byteLength) and not with a strict < 280',
      });
    }
  });
});
