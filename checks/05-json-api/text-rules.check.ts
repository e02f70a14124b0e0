// The body of create and update follows four rules (only "text"; a string; not blank;
// at most 280 characters, counted as code points). Every body that breaks one gets a 400;
// the longest valid text still gets in. Texts at the cap are built from the alphabet the
// lesson talks about: "é" (1 code point, 2 bytes), emoji (1 code point, 2 UTF-16 units,
// 4 bytes) and a letter with a combining accent (2 code points that look like one), so
// counting bytes, text.length or graphemes each gets some answer wrong.
// All the wrong answers are listed together, so one run shows them all.
import { send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { useServers } from '../_harness/start-server.ts';
import { createMessage, patchShape, patient, postShape, randomTag } from './_api.ts';

const start = useServers();
/** One server for both checks: neither depends on what the other stored. */
const server = once(() => start());

/** One code point each, beyond ASCII: 2-byte, 3-byte and 4-byte UTF-8 (the last three are astral: 2 UTF-16 units). */
const WIDE = ['é', 'ß', '日', '本', '😀', '🎉', '𝄞'];
const ASTRAL = ['😀', '🎉', '𝄞'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/**
 * A random text of exactly `codePoints` code points: letters, wide characters, emoji and
 * "e" + U+0301 (a combining accent: 2 code points). It starts with a letter (never blank)
 * and holds at least one emoji, so its text.length is always larger than its code points.
 */
function randomText(codePoints: number): string {
  const parts: string[] = [pick([...LETTERS]), pick(ASTRAL)];
  let count = 2;
  while (count < codePoints) {
    const roll = Math.random();
    const part = roll < 0.15 && count + 2 <= codePoints ? 'e\u0301' : roll < 0.55 ? pick(WIDE) : pick([...LETTERS, ' ']);
    parts.push(part);
    count += [...part].length;
  }
  return parts.join('');
}

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
    { body: { text: '😀'.repeat(281) }, rule: 'text has 281 characters, all emoji' },
    { body: { text: randomText(281) }, rule: 'text has 281 characters (a random mix with emoji and combining accents)' },
    { body: { text: `ok ${randomTag()}`, [`extra_${randomTag(2)}`]: true }, rule: 'an unknown field comes with text' },
  ];
}

check({ id: 'text-rules/message-bodies-that-break-a-rule-answer-400', group: 'validation', title: 'Message bodies that break a rule answer 400' }, async () => {
  const target = await server();
  const wrong: string[] = [];
  const sent: string[] = [];
  for (const { body, rule } of badBodies()) {
    const answer = await send(target, postShape(body), 'status 400', patient());
    if (answer.status !== 400) {
      wrong.push(`${rule}: ${summarize(answer, 80)}`);
      sent.push(answer.curl);
    }
  }
  const { message } = await createMessage(target, `patch target ${randomTag()}`);
  const patched = await send(target, patchShape(message.id, { text: '' }), 'status 400', patient());
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

check({ id: 'text-rules/a-text-of-exactly-280-characters-is-accepted-280-280-emoji-a', group: 'validation', title: 'A text of exactly 280 characters is accepted (280 × "é", 280 emoji, a random mix)' }, async () => {
  const target = await server();
  const texts = [
    { text: 'é'.repeat(280), label: '280 × "é" (560 bytes)', js: "'é'.repeat(280)" },
    { text: '😀'.repeat(280), label: '280 × "😀" (text.length 560, 1120 bytes)', js: "'😀'.repeat(280)" },
    { text: randomText(280), label: '280 random code points with emoji and combining accents' },
  ];
  for (const { text, label, js } of texts) {
    const answer = await send(target, postShape({ text }), 'status 201', patient());
    // Only the status: the byte-exact body is the business of the error-shape group.
    if (answer.status !== 201) {
      const units = text.length !== [...text].length;
      fail({
        // A repeated character is pasteable as a short command; the random mix only in full.
        sent: js ? `curl -i -X POST -H 'content-type: application/json' --data-binary "$(node -p 'JSON.stringify({ text: ${js.replaceAll("'", '"')} })')" localhost:3000/messages` : answer.curl,
        expected: `status 201: ${label} is exactly 280 characters, the limit, not over it`,
        got: summarize(answer, 100),
        means: units
          ? 'the length is counted in code points ([...text].length, or Array.from(text).length): text.length counts UTF-16 units (an emoji is 2), Buffer.byteLength counts bytes (an emoji is 4), and a strict < 280 stops one short'
          : 'the length is counted in characters ([...text].length), not in bytes (Buffer.byteLength) and not with a strict < 280',
      });
    }
  }
});
