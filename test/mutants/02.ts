/**
 * Realistic wrong submissions for phase 02: the reference solution with one mistake a
 * learner makes, as exact text replacements. test/phases/02-request-bodies.test.ts
 * applies each to a temp copy and expects `group` to fail (at the check named by
 * `check`) and every other group to pass.
 */
import type { Mutant } from './types.ts';

const MEDIA_CHECK = "return header?.split(';')[0]?.trim().toLowerCase() === 'application/json';";
const LOOP_LIMIT = '      if (received > limit) throw new HttpError(413, `body larger than ${limit} bytes`);\n';

export const mutants02: readonly Mutant[] = [
  // ---- media-type --------------------------------------------------------------
  {
    id: 'no-media-type-check',
    group: 'media-type',
    check: 'media-type/post-echo-with-content-type-text-plain-answers-415',
    story: 'every body is parsed as JSON, whatever its content-type says',
    edits: [{ file: 'server.ts', find: MEDIA_CHECK, replace: 'return true;' }],
  },
  {
    id: 'missing-content-type-allowed',
    group: 'media-type',
    check: 'media-type/post-echo-without-a-content-type-answers-415',
    story: 'only a content-type that is present and wrong is refused; no header at all passes',
    edits: [{ file: 'server.ts', find: MEDIA_CHECK, replace: "return header === undefined || header.split(';')[0]?.trim().toLowerCase() === 'application/json';" }],
  },
  {
    id: 'whole-header-compared',
    group: 'media-type',
    check: 'media-type/a-charset-parameter-does-not-make-json-unsupported',
    story: 'the whole header is compared, so "application/json; charset=utf-8" is refused',
    edits: [{ file: 'server.ts', find: MEDIA_CHECK, replace: "return header === 'application/json';" }],
  },
  // ---- json-body ---------------------------------------------------------------
  {
    id: 'json-labelled-text',
    group: 'json-body',
    check: 'echo',
    story: 'the echo is JSON but labelled text/plain',
    edits: [
      {
        file: 'server.ts',
        // sendJson's header, not the 413's: the 413 sets the same content-type a few lines below.
        find: "'content-type': 'application/json; charset=utf-8',\n  });\n  res.end(body);",
        replace: "'content-type': 'text/plain',\n  });\n  res.end(body);",
      },
    ],
  },
  {
    id: 'parse-error-escapes',
    group: 'json-body',
    check: 'bad-bytes/broken-json-answers-400-not-500-or-a-crash',
    story: 'a JSON syntax error is thrown as a plain Error, so it becomes a 500',
    edits: [{ file: 'server.ts', find: "throw new HttpError(400, 'body is not valid JSON');", replace: "throw new Error('body is not valid JSON');" }],
  },
  {
    id: 'lenient-utf8',
    group: 'json-body',
    check: 'bad-bytes/bytes-that-are-not-utf-8-answer-400',
    story: "decodes with toString('utf8'), so broken bytes quietly become U+FFFD",
    edits: [{ file: 'server.ts', find: "return new TextDecoder('utf-8', { fatal: true }).decode(bytes);", replace: "return bytes.toString('utf8');" }],
  },
  {
    id: 'arrays-accepted',
    group: 'json-body',
    check: 'non-object',
    story: 'forgets that typeof [] is "object" too',
    edits: [{ file: 'server.ts', find: "typeof value === 'object' && value !== null && !Array.isArray(value)", replace: "typeof value === 'object' && value !== null" }],
  },
  {
    id: 'empty-body-as-object',
    group: 'json-body',
    check: 'bad-bytes/an-empty-body-answers-400',
    story: 'an empty body is treated as {}',
    edits: [{ file: 'server.ts', find: 'return requireObject(parseJson(decodeUtf8(bytes)));', replace: 'return requireObject(bytes.length === 0 ? {} : parseJson(decodeUtf8(bytes)));' }],
  },
  {
    id: 'chunks-at-module-scope',
    group: 'json-body',
    check: 'pipelined',
    story: 'the chunks array lives at module level, shared by every request',
    edits: [
      { file: 'server.ts', find: '  const chunks: Buffer[] = [];\n  let received = 0;', replace: '  chunks.length = 0;\n  let received = 0;' },
      { file: 'server.ts', find: 'const BODY_LIMIT_BYTES = 64 * 1024;', replace: 'const BODY_LIMIT_BYTES = 64 * 1024;\nconst chunks: Buffer[] = [];' },
    ],
  },
  // ---- body-limit --------------------------------------------------------------
  {
    id: 'kilobytes-not-kibibytes',
    group: 'body-limit',
    check: 'limit-exact',
    story: '64 * 1000 instead of 64 * 1024',
    edits: [{ file: 'server.ts', find: 'const BODY_LIMIT_BYTES = 64 * 1024;', replace: 'const BODY_LIMIT_BYTES = 64 * 1000;' }],
  },
  {
    id: 'declared-length-ignored',
    group: 'body-limit',
    check: 'limit-declared/a-declared-content-length-over-64-kib-is-answered-413-before',
    story: 'no early check: the server waits for the body before judging its size',
    edits: [{ file: 'server.ts', find: 'if (declared > limit) throw new HttpError(413, `body larger than ${limit} bytes`);', replace: 'void declared;' }],
  },
  {
    id: 'no-connection-close',
    group: 'body-limit',
    check: 'limit-declared/the-413-says-connection-close-and-the-server-closes-the-conn',
    story: 'the 413 keeps the connection alive, so the unread body is taken for the next request',
    edits: [{ file: 'server.ts', find: "    connection: 'close',\n", replace: '' }],
  },
  {
    id: 'measure-after-reading',
    group: 'body-limit',
    check: 'limit-streamed',
    story: 'reads the whole body first, then compares its size with the limit',
    edits: [
      { file: 'server.ts', find: LOOP_LIMIT, replace: '' },
      { file: 'server.ts', find: '  if (!req.complete) throw', replace: "  if (received > limit) throw new HttpError(413, 'too big');\n  if (!req.complete) throw" },
    ],
  },
  {
    id: 'counts-chunks-not-bytes',
    group: 'body-limit',
    check: 'limit-memory',
    story: 'the loop compares the number of chunks with the limit, so 64 Ki chunks (gigabytes) are kept',
    edits: [{ file: 'server.ts', find: LOOP_LIMIT, replace: '      if (chunks.length > limit) throw new HttpError(413, `body larger than ${limit} bytes`);\n' }],
  },
  {
    id: 'no-linger-413',
    group: 'body-limit',
    check: 'limit-read',
    story: 'the 413 is ended at once, so the socket closes while the client is still sending and the OS resets it',
    edits: [{ file: 'server.ts', find: '  res.write(body);\n  const finish = () => {', replace: '  res.end(body);\n  return;\n  const finish = () => {' }],
  },
  // ---- aborted-upload ----------------------------------------------------------
  {
    id: 'abort-error-escapes',
    group: 'aborted-upload',
    check: 'aborted',
    story: 'stream errors are rethrown and the last handler rethrows what is not an HttpError',
    edits: [
      { file: 'server.ts', find: "    throw new HttpError(400, 'request body was cut off');\n  }", replace: '    throw error;\n  }' },
      { file: 'server.ts', find: '  if (error instanceof HttpError && !res.headersSent) {', replace: '  if (!(error instanceof HttpError)) throw error;\n  if (!res.headersSent) {' },
    ],
  },
];
