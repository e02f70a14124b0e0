/**
 * Realistic wrong submissions for phase 05: each is the reference solution
 * (solutions/05-json-api/) with one mistake a learner makes, written as exact text
 * replacements. The proof (test/phases/05-json-api.test.ts) applies each to a temp copy,
 * runs the hidden checks, and expects the mutant's group to fail (in the named check)
 * while every other group passes.
 */
import type { Mutant } from './types.ts';

const CREATE_WITH_RANDOM_UUID = `const createMessage: Middleware<Ctx> = (ctx) => {
  const { text } = validateMessageInput(ctx.body);
  // randomUUID, not a counter or a timestamp: unique however many requests race.
  const message: Message = { id: randomUUID(), text, createdAt: new Date().toISOString() };
  messages.set(message.id, message);`;

/** A counter read before an await and written after it: sequential creates are fine, overlapping ones share a number. */
const CREATE_WITH_RACY_COUNTER = `let lastNumber = 0;
/** Pretends to be an asynchronous database write. */
const save = (message: Message) =>
  new Promise<void>((resolve) => setTimeout(() => {
    messages.set(message.id, message);
    resolve();
  }, 1));

const createMessage: Middleware<Ctx> = async (ctx) => {
  const { text } = validateMessageInput(ctx.body);
  const number = lastNumber + 1;
  const message: Message = { id: \`00000000-0000-4000-8000-\${String(number).padStart(12, '0')}\`, text, createdAt: new Date().toISOString() };
  await save(message);
  lastNumber = number;`;

export const mutants05: readonly Mutant[] = [
  // ---- crud-lifecycle -----------------------------------------------------------
  {
    id: 'patch-never-stores',
    group: 'crud-lifecycle',
    check: 'lifecycle',
    story: 'PATCH answers the updated message but never writes it to the store',
    edits: [{ file: 'server.ts', find: '  const updated: Message = { ...current, text };\n  messages.set(id, updated);', replace: '  const updated: Message = { ...current, text };' }],
  },
  {
    id: 'limit-keeps-the-last',
    group: 'crud-lifecycle',
    check: 'list-limit',
    story: '?limit keeps the newest N instead of the first N',
    edits: [{ file: 'server.ts', find: 'all.slice(0, limit)', replace: 'all.slice(-limit)' }],
  },
  // ---- validation -----------------------------------------------------------------
  {
    id: 'extra-fields-accepted',
    group: 'validation',
    check: 'text-rules/message-bodies-that-break-a-rule-answer-400',
    story: 'unknown fields next to "text" are silently ignored',
    edits: [{ file: 'server.ts', find: "  if (unknown.length > 0) throw new HttpError(400, `unknown field(s): ${unknown.join(', ')}`);\n", replace: '' }],
  },
  {
    id: 'patch-skips-validation',
    group: 'validation',
    check: 'text-rules/message-bodies-that-break-a-rule-answer-400',
    story: 'PATCH takes body.text as it comes, so an empty text is stored',
    edits: [{ file: 'server.ts', find: '  const { text } = validateMessageInput(ctx.body);\n  const updated', replace: '  const text = String(ctx.body.text);\n  const updated' }],
  },
  {
    id: 'length-counted-in-bytes',
    group: 'validation',
    check: 'text-rules/a-text-of-exactly-280-characters-is-accepted-280-280-emoji-a',
    story: 'the 280 limit is counted in bytes, so 280 × "é" (560 bytes) is refused',
    edits: [{ file: 'server.ts', find: 'if ([...text].length > MAX_TEXT_LENGTH) {', replace: 'if (Buffer.byteLength(text) > MAX_TEXT_LENGTH) {' }],
  },
  {
    id: 'length-counted-in-utf16-units',
    group: 'validation',
    check: 'text-rules/a-text-of-exactly-280-characters-is-accepted-280-280-emoji-a',
    story: 'the 280 limit is checked with text.length, so 280 emoji (560 UTF-16 units) are refused',
    edits: [{ file: 'server.ts', find: 'if ([...text].length > MAX_TEXT_LENGTH) {', replace: 'if (text.length > MAX_TEXT_LENGTH) {' }],
  },
  {
    id: 'limit-parsed-with-number',
    group: 'validation',
    check: 'limit-rules',
    story: 'limit parsed with Number() and only checked for >= 1 ("", "2.5", "1e2" and "101" pass)',
    edits: [{ file: 'server.ts', find: '  if (!/^[1-9][0-9]*$/.test(raw) || Number(raw) > MAX_LIMIT) {', replace: '  if (!(Number(raw) >= 1)) {' }],
  },
  // ---- error-shape ----------------------------------------------------------------
  {
    id: 'plain-text-404',
    group: 'error-shape',
    check: 'error-bodies',
    story: 'unknown paths answered with a plain-text "Not Found" written by hand',
    // The "//x is a path" check wants the JSON 404 of an unknown path: the same mistake.
    mayAlsoFail: ['request-targets'],
    edits: [
      {
        file: 'server.ts',
        find: "    case 'not-found':\n      throw new HttpError(404);",
        replace: "    case 'not-found':\n      ctx.res.writeHead(404, { 'content-type': 'text/plain' });\n      ctx.res.end('Not Found');\n      return;",
      },
    ],
  },
  {
    id: 'content-length-in-characters',
    group: 'error-shape',
    check: 'success-headers',
    story: 'content-length taken from the string length: short for "Zoë 日本"',
    edits: [{ file: 'server.ts', find: "    'content-length': Buffer.byteLength(body),", replace: "    'content-length': body.length," }],
  },
  // ---- status-codes ---------------------------------------------------------------
  {
    id: 'no-location',
    group: 'status-codes',
    check: 'created-location',
    story: 'the 201 carries the message but no Location header',
    edits: [{ file: 'server.ts', find: "  ctx.res.setHeader('location', `/messages/${message.id}`);\n", replace: '' }],
  },
  {
    id: 'no-content-through-send-json',
    group: 'status-codes',
    check: 'delete-no-body',
    story: 'the 204 goes through sendJson(res, 204, null): content-length: 4 for a body Node refuses to send',
    edits: [{ file: 'server.ts', find: '  sendNoContent(ctx.res);', replace: '  sendJson(ctx.res, 204, null);' }],
  },
  {
    id: 'no-id-shape-check',
    group: 'status-codes',
    check: 'unknown-vs-malformed-ids',
    story: 'ids are looked up without checking their shape: malformed ids are just "not found"',
    edits: [{ file: 'server.ts', find: "  if (!UUID.test(id)) throw new HttpError(400, 'id must be a UUID');\n", replace: '' }],
  },
  // ---- request-targets ------------------------------------------------------------
  {
    id: 'target-parsed-in-create-context',
    group: 'request-targets',
    check: 'request-targets/odd-request-targets-get-a-json-error-and-the-server-keeps-se',
    story: 'new URL(req.url, base) in createContext, before the error middleware exists for the request, so GET //[ kills the process',
    edits: [
      { file: 'server.ts', find: "    url: new URL('http://localhost/'),\n", replace: "    url: new URL(req.url ?? '/', 'http://localhost'),\n" },
      { file: 'server.ts', find: 'withErrorResponses, withTarget, dispatchRoute]', replace: 'withErrorResponses, dispatchRoute]' },
    ],
  },
  {
    id: 'double-slash-read-as-host',
    group: 'request-targets',
    check: 'request-targets/a-target-starting-with-is-a-path-not-a-host',
    story: 'the target is parsed inside the error middleware, but with new URL(target, base): //x/messages/<id> reads as host x',
    edits: [
      {
        file: 'server.ts',
        find: "    if (target.startsWith('/')) return new URL(`http://localhost${target}`);\n    const url = new URL(target);\n",
        replace: "    const url = new URL(target, 'http://localhost');\n",
      },
    ],
  },
  {
    id: 'absolute-form-glued-to-origin',
    group: 'request-targets',
    check: 'request-targets/an-absolute-form-target-http-host-path-is-routed-on-its-path',
    story: 'every target is glued after "http://localhost", so http://host/messages/<id> becomes the path //host/messages/<id>',
    edits: [
      {
        file: 'server.ts',
        find: "    if (target.startsWith('/')) return new URL(`http://localhost${target}`);\n    const url = new URL(target);\n",
        replace: '    const url = new URL(`http://localhost${target}`);\n',
      },
    ],
  },
  // ---- unique-ids -----------------------------------------------------------------
  {
    id: 'racy-counter-ids',
    group: 'unique-ids',
    check: 'concurrent-creates',
    story: 'ids from a counter read before an awaited save and written after it',
    edits: [{ file: 'server.ts', find: CREATE_WITH_RANDOM_UUID, replace: CREATE_WITH_RACY_COUNTER }],
  },
];
