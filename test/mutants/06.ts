/**
 * Realistic wrong submissions for phase 06: each is the reference solution with one
 * small mistake a learner makes, written as exact text replacements. The proof
 * (test/support/prove-phase.ts) applies each to a temp copy, asserts every `find`
 * matched exactly once (so a mutant cannot rot silently when the solution changes),
 * runs the hidden checks, and expects `group` to fail and every other group to pass.
 */

import type { Mutant } from './types.ts';

export type { Edit, Mutant } from './types.ts';

const CLOSE_BLOCK = `  server.close(() => {
    console.log('drained, exiting');
    process.exit(0);
  });`;

export const mutants06: readonly Mutant[] = [
  // ---- hanging-rejection -------------------------------------------------------
  {
    id: 'boom-rethrows-unknown-errors',
    group: 'hanging-rejection',
    check: 'boom-500/get-boom-answers-500-with-a-json-error-within-2-s',
    story: 'the catch answers HttpErrors and rethrows everything else (the starter\'s boundary)',
    // A client that leaves mid-download makes pipeline() reject with a non-HTTP error after
    // the headers went out: this same mistake then crashes the server in the export checks.
    mayAlsoFail: ['piping-big-json'],
    edits: [{ file: 'server.ts', find: '    answerFailure(error, req, res);', replace: '    if (!(error instanceof HttpError)) throw error;\n    answerFailure(error, req, res);' }],
  },
  {
    id: 'boom-logs-but-never-answers',
    group: 'hanging-rejection',
    check: 'boom-500/get-boom-answers-500-with-a-json-error-within-2-s',
    story: 'the catch logs the error and returns: the client waits forever',
    edits: [{ file: 'server.ts', find: "  sendError(res, 500, 'Internal Server Error');", replace: '  return;' }],
  },
  {
    id: 'boom-leaks-error-message',
    group: 'hanging-rejection',
    check: 'boom-500/the-500-body-is-generic-no-error-message-no-stack-trace',
    story: 'the 500 body carries the error message, helpful to an attacker',
    edits: [{ file: 'server.ts', find: "  sendError(res, 500, 'Internal Server Error');", replace: '  sendError(res, 500, String(error));' }],
  },
  {
    id: 'boom-not-logged',
    group: 'hanging-rejection',
    check: 'boom-500/the-error-is-logged-on-the-server-with-its-message',
    story: 'the catch answers 500 but swallows the error',
    edits: [{ file: 'server.ts', find: '  console.error(`${req.method} ${req.url} failed:`, error);\n', replace: '' }],
  },
  {
    id: 'boom-answers-then-exits',
    group: 'hanging-rejection',
    check: 'boom-500/the-server-keeps-serving-after-boom-get-messages-still-answe',
    story: 'answers the 500, then exits "to start from a clean state": every later request is refused',
    edits: [
      {
        file: 'server.ts',
        find: "  sendError(res, 500, 'Internal Server Error');",
        replace: "  sendError(res, 500, 'Internal Server Error');\n  res.on('finish', () => process.exit(1));",
      },
    ],
  },
  {
    id: 'partial-ended-not-destroyed',
    group: 'hanging-rejection',
    check: 'partial-cut/get-partial-is-cut-off-mid-body-not-ended-as-if-it-were-comp',
    story: 'after headers are sent, the catch calls res.end(): the truncated body looks complete',
    edits: [{ file: 'server.ts', find: '    res.destroy();', replace: '    res.end();' }],
  },
  {
    id: 'partial-no-headers-sent-guard',
    group: 'hanging-rejection',
    check: 'partial-cut/after-partial-the-server-keeps-serving-and-never-hits-err-ht',
    story: 'no res.headersSent guard: the catch writes a second response and crashes',
    // A client that leaves mid-download makes pipeline() reject with a non-HTTP error after
    // the headers went out: this same mistake then crashes the server in the export checks.
    mayAlsoFail: ['piping-big-json'],
    edits: [{ file: 'server.ts', find: '  if (res.headersSent) {', replace: '  if (false as boolean) {' }],
  },

  // ---- piping-big-json ---------------------------------------------------------
  {
    id: 'export-read-whole-file',
    group: 'piping-big-json',
    check: 'export-stream/memory-stays-flat-while-a-fast-client-downloads-the-file',
    story: 'readFile + res.end: the whole file in memory for every request',
    edits: [
      { file: 'handlers.ts', find: "import { stat } from 'node:fs/promises';", replace: "import { readFile, stat } from 'node:fs/promises';" },
      { file: 'handlers.ts', find: '  await pipeline(createReadStream(file), res);', replace: '  res.end(await readFile(file));' },
    ],
  },
  {
    id: 'export-ignores-backpressure',
    group: 'piping-big-json',
    // Not the fast-client check: how much a fast client lets pile up depends on the machine
    // (68-167 MB measured, FIELD-NOTES); a pausing client always lets the whole file pile up.
    check: 'export-backpressure',
    story: "'data' -> res.write() without waiting for 'drain': a slow client makes the server queue the file",
    edits: [
      {
        file: 'handlers.ts',
        find: '  await pipeline(createReadStream(file), res);',
        replace: "  createReadStream(file)\n    .on('data', (chunk) => res.write(chunk))\n    .on('end', () => res.end());",
      },
    ],
  },
  {
    id: 'export-no-content-type',
    group: 'piping-big-json',
    check: 'export-stream/get-export-answers-200-application-json-with-the-file-byte-f',
    story: 'the stream is right but the content-type is forgotten',
    edits: [{ file: 'handlers.ts', find: "  res.writeHead(200, { 'content-type': 'application/json', 'content-length': info.size });", replace: "  res.writeHead(200, { 'content-length': info.size });" }],
  },
  {
    id: 'export-commits-200-before-checking-file',
    group: 'piping-big-json',
    check: 'export-missing/a-missing-export-file-gives-a-404-or-500-json-error-not-a-cr',
    story: 'writes the 200 headers and only then finds out the file is missing: the client gets a cut',
    edits: [
      {
        file: 'handlers.ts',
        find: "  const info = await stat(file).catch(() => undefined);\n  if (!info?.isFile()) throw new HttpError(404, 'export file not found');\n  res.writeHead(200, { 'content-type': 'application/json', 'content-length': info.size });",
        replace: "  res.writeHead(200, { 'content-type': 'application/json' });",
      },
    ],
  },
  {
    id: 'export-pipe-without-error-handling',
    group: 'piping-big-json',
    check: 'export-missing/the-server-keeps-serving-after-a-missing-export-file',
    story: ".pipe() with no 'error' listener: a missing file is an uncaught error that kills the process",
    edits: [
      {
        file: 'handlers.ts',
        find: "  const info = await stat(file).catch(() => undefined);\n  if (!info?.isFile()) throw new HttpError(404, 'export file not found');\n  res.writeHead(200, { 'content-type': 'application/json', 'content-length': info.size });\n  await pipeline(createReadStream(file), res);",
        replace: "  res.writeHead(200, { 'content-type': 'application/json' });\n  createReadStream(file).pipe(res);",
      },
    ],
  },

  {
    id: 'export-bare-pipe-leaks-file',
    group: 'piping-big-json',
    check: 'export-release',
    story: 'stat first, then a bare .pipe(res): a client that leaves mid-download leaves the file open',
    edits: [{ file: 'handlers.ts', find: '  await pipeline(createReadStream(file), res);', replace: '  createReadStream(file).pipe(res);\n  void pipeline;' }],
  },

  // ---- sigterm-drain -----------------------------------------------------------
  {
    id: 'no-signal-handlers',
    group: 'sigterm-drain',
    check: 'sigterm-drain/a-request-in-flight-when-sigterm-arrives-still-gets-its-full',
    story: 'no signal handling at all: SIGTERM kills requests mid-response',
    edits: [{ file: 'main.ts', find: "process.on('SIGTERM', shutdown);\nprocess.on('SIGINT', shutdown);\n", replace: '' }],
  },
  {
    id: 'exit-at-once-on-signal',
    group: 'sigterm-drain',
    check: 'sigterm-drain/a-request-in-flight-when-sigterm-arrives-still-gets-its-full',
    story: 'process.exit(0) as soon as the signal arrives: exit code 0, but the request in flight is cut',
    edits: [{ file: 'main.ts', find: '  shuttingDown = true;\n', replace: '  shuttingDown = true;\n  process.exit(0);\n' }],
  },
  {
    id: 'never-stops-accepting',
    group: 'sigterm-drain',
    check: 'sigterm-drain/new-connections-are-refused-as-soon-as-sigterm-arrives',
    story: 'waits for open connections to reach zero instead of calling server.close(): new clients keep getting in',
    edits: [
      {
        file: 'main.ts',
        find: CLOSE_BLOCK,
        replace: '  setInterval(() => {\n    server.getConnections((_error, count) => {\n      if (count === 0) process.exit(0);\n    });\n  }, 50);',
      },
    ],
  },
  {
    id: 'deadline-timer-keeps-process-alive',
    group: 'sigterm-drain',
    check: 'sigterm-drain/the-process-exits-with-code-0-right-after-the-last-response-',
    story: 'relies on the event loop emptying, but the shutdown deadline timer is not unref()ed',
    edits: [
      { file: 'main.ts', find: "    console.log('drained, exiting');\n    process.exit(0);\n", replace: "    console.log('drained, exiting');\n" },
      { file: 'main.ts', find: '  deadline.unref();\n', replace: '' },
    ],
  },
  {
    id: 'close-then-exit-at-once',
    group: 'sigterm-drain',
    check: 'sigterm-drain/a-request-in-flight-when-sigterm-arrives-still-gets-its-full',
    story: 'calls server.close() and then process.exit(0) straight away, instead of in close()\'s callback',
    edits: [{ file: 'main.ts', find: CLOSE_BLOCK, replace: "  server.close();\n  console.log('drained, exiting');\n  process.exit(0);" }],
  },
  {
    id: 'no-idle-sweep-during-drain',
    group: 'sigterm-drain',
    check: 'keepalive-drain',
    story: 'relies on close() alone: the connection that was busy at close() turns idle after its response and holds the exit until the keep-alive timeout',
    edits: [{ file: 'main.ts', find: '  const sweep = setInterval(() => server.closeIdleConnections(), 100);\n  sweep.unref();\n', replace: '' }],
  },
  {
    id: 'close-idle-connections-once',
    group: 'sigterm-drain',
    check: 'keepalive-drain',
    story: 'calls server.closeIdleConnections() once, right after close(), instead of while draining',
    edits: [{ file: 'main.ts', find: '  const sweep = setInterval(() => server.closeIdleConnections(), 100);\n  sweep.unref();\n', replace: '  server.closeIdleConnections();\n' }],
  },
  {
    id: 'sigterm-only',
    group: 'sigterm-drain',
    check: 'sigint-drain/sigint-ctrl-c-drains-too-the-request-in-flight-gets-its-full',
    story: 'SIGTERM is handled, SIGINT (Ctrl+C) is forgotten',
    edits: [{ file: 'main.ts', find: "process.on('SIGINT', shutdown);\n", replace: '' }],
  },
  {
    id: 'sigint-exits-130',
    group: 'sigterm-drain',
    check: 'sigint-drain/after-sigint-the-process-exits-with-code-0-once-drained',
    story: 'Ctrl+C drains, then exits 130 (the shell\'s code for "killed by SIGINT") although nothing went wrong',
    edits: [
      {
        file: 'main.ts',
        find: "process.on('SIGINT', shutdown);\n",
        replace: "process.on('SIGINT', (signal) => {\n  server.once('close', () => process.exit(130));\n  shutdown(signal);\n});\n",
      },
    ],
  },
  {
    id: 'no-shutdown-deadline',
    group: 'sigterm-drain',
    check: 'shutdown-deadline/a-request-that-never-finishes-does-not-block-shutdown-exit-c',
    story: 'no deadline: one stuck request keeps the process alive forever',
    edits: [{ file: 'main.ts', find: '    process.exit(1);\n', replace: '' }],
  },
  {
    id: 'deadline-exits-zero',
    group: 'sigterm-drain',
    check: 'shutdown-deadline/a-request-that-never-finishes-does-not-block-shutdown-exit-c',
    story: 'the forced exit reports success (exit code 0) although requests were cut',
    edits: [{ file: 'main.ts', find: '    process.exit(1);\n', replace: '    process.exit(0);\n' }],
  },
  {
    id: 'deadline-exit-silent',
    group: 'sigterm-drain',
    check: 'shutdown-deadline/the-forced-exit-is-logged',
    story: 'the deadline exits without a word in the log',
    edits: [
      {
        file: 'main.ts',
        find: '    console.error(`shutdown timed out after ${shutdownTimeoutMs} ms with requests still running; exiting`);\n',
        replace: '',
      },
    ],
  },

  // ---- module-split --------------------------------------------------------------
  {
    id: 'helpers-file-misnamed',
    group: 'module-split',
    check: 'module-files/the-service-is-split-into-store-ts-http-helpers-ts-handlers-',
    story: 'http-helpers.ts is called helpers.ts',
    renames: [['http-helpers.ts', 'helpers.ts']],
    edits: [
      { file: 'handlers.ts', find: "from './http-helpers.ts';", replace: "from './helpers.ts';" },
      { file: 'router.ts', find: "from './http-helpers.ts';", replace: "from './helpers.ts';" },
      { file: 'server.ts', find: "from './http-helpers.ts';", replace: "from './helpers.ts';" },
    ],
  },
  {
    id: 'store-imports-http',
    group: 'module-split',
    check: 'module-files/store-ts-knows-no-http-it-imports-neither-node-http-nor-any-',
    story: 'the store throws HttpError(404) itself, so it imports the web layer',
    edits: [
      { file: 'store.ts', find: "import { setTimeout as sleep } from 'node:timers/promises';", replace: "import { setTimeout as sleep } from 'node:timers/promises';\nimport { HttpError } from './http-helpers.js';" },
      { file: 'store.ts', find: '  return messages.delete(id);', replace: "  if (!messages.has(id)) throw new HttpError(404, 'message not found');\n  return messages.delete(id);" },
    ],
  },
  {
    id: 'helpers-know-the-store',
    group: 'module-split',
    check: 'module-files/http-helpers-ts-knows-nothing-of-the-store-the-handlers-the-',
    story: 'sendJson is typed with the store\'s Message type',
    edits: [
      { file: 'http-helpers.ts', find: "import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';", replace: "import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';\nimport type { Message } from './store.ts';" },
      { file: 'http-helpers.ts', find: 'export function sendJson(res: ServerResponse, status: number, body: unknown): void {', replace: 'export function sendJson(res: ServerResponse, status: number, body: Message | Message[] | unknown): void {' },
    ],
  },
  {
    id: 'handlers-import-router',
    group: 'module-split',
    check: 'module-files/imports-point-one-way-main-server-router-handlers-store-and-',
    story: 'the Params type lives in router.ts and handlers.ts imports it back: a cycle',
    edits: [
      { file: 'handlers.ts', find: 'export type Params = Readonly<Record<string, string>>;', replace: "import type { Params } from './router';\nexport type { Params };" },
      { file: 'router.ts', find: 'interface Route {', replace: 'export type Params = Readonly<Record<string, string>>;\n\ninterface Route {' },
    ],
  },
  {
    id: 'server-module-listens',
    group: 'module-split',
    check: 'server-module/importing-server-ts-opens-no-socket-only-main-ts-calls-liste',
    story: 'server.ts still calls listen(); main.ts only adds the signal handlers',
    edits: [
      { file: 'server.ts', find: '  void handleRequest(req, res);\n});', replace: '  void handleRequest(req, res);\n});\n\nserver.listen(Number(process.env.PORT ?? 3000));' },
      { file: 'main.ts', find: 'server.listen(port, () => {\n  console.log(`messages service listening on http://localhost:${port}`);\n});\n', replace: 'console.log(`messages service listening on http://localhost:${port}`);\n' },
    ],
  },
  {
    id: 'server-module-exports-a-listener',
    group: 'module-split',
    check: 'server-module/server-ts-exports-the-server-or-a-factory-and-it-answers-req',
    story: 'server.ts exports the request listener and main.ts builds the server',
    edits: [
      { file: 'server.ts', find: 'export const server = createServer((req, res) => {', replace: 'export const handle = (req: IncomingMessage, res: ServerResponse): void => {' },
      { file: 'server.ts', find: '  void handleRequest(req, res);\n});', replace: '  void handleRequest(req, res);\n};\nvoid createServer;' },
      { file: 'main.ts', find: "import { server } from './server.ts';", replace: "import { createServer } from 'node:http';\nimport { handle } from './server.ts';\n\nconst server = createServer(handle);" },
    ],
  },

  // ---- earlier-rules ---------------------------------------------------------------
  {
    id: 'text-counted-in-utf16-units',
    group: 'earlier-rules',
    check: 'carried-rules/a-text-of-280-emoji-280-characters-560-utf-16-units-is-accep',
    story: 'text.length instead of code points: 200 emoji count as 400',
    edits: [{ file: 'handlers.ts', find: '  if ([...text].length > MAX_TEXT_LENGTH) {', replace: '  if (text.length > MAX_TEXT_LENGTH) {' }],
  },
  {
    id: 'no-content-with-json-headers',
    group: 'earlier-rules',
    check: 'carried-rules/delete-messages-id-answers-204-with-no-content-type-and-no-c',
    story: 'sendJson sends its JSON headers on a 204 too',
    edits: [{ file: 'http-helpers.ts', find: '    res.writeHead(204).end();', replace: "    res.writeHead(204, { 'content-type': 'application/json; charset=utf-8', 'content-length': 0 }).end();" }],
  },
  {
    id: 'target-parsed-against-a-base',
    group: 'earlier-rules',
    check: 'request-targets/get-x-messages-is-routed-as-the-path-x-messages-a-404-not-as',
    story: 'new URL(req.url, base) in a try/catch: "//x/messages" is read as host "x" and path "/messages"',
    edits: [
      {
        file: 'router.ts',
        find: "  const segments = requestPath(req.url ?? '/').split('/').filter(Boolean);",
        replace: "  let pathname: string;\n  try {\n    pathname = new URL(req.url ?? '/', 'http://localhost').pathname;\n  } catch {\n    throw new HttpError(400, 'malformed request target');\n  }\n  void requestPath;\n  const segments = pathname.split('/').filter(Boolean);",
      },
    ],
  },
  {
    id: 'unparsable-target-is-a-500',
    group: 'earlier-rules',
    check: 'request-targets/a-request-target-that-is-not-a-path-get-gets-a-400-and-the-s',
    story: 'new URL(req.url, base) unguarded: "//[" throws and the boundary answers 500',
    edits: [
      {
        file: 'router.ts',
        find: "  const segments = requestPath(req.url ?? '/').split('/').filter(Boolean);",
        replace: "  const segments = new URL(req.url ?? '/', 'http://localhost').pathname.split('/').filter(Boolean);\n  void requestPath;",
      },
    ],
  },
  {
    id: 'absolute-form-refused',
    group: 'earlier-rules',
    check: 'request-targets/an-absolute-form-target-get-http-localhost-messages-is-route',
    story: 'only targets that start with "/" are paths: an absolute-form target (http://host/path) is refused with a 400',
    edits: [{ file: 'http-helpers.ts', find: '  if (/^https?:\\/\\//i.test(target)) {', replace: '  if (false) {' }],
  },
  {
    id: 'cut-upload-escapes',
    group: 'earlier-rules',
    check: 'carried-rules/an-upload-that-stops-mid-body-gets-a-4xx-the-client-s-mistak',
    story: 'readJson passes the body stream\'s "aborted" error on as it is, so the boundary logs a server failure for the client\'s mistake',
    edits: [
      {
        file: 'http-helpers.ts',
        find: "    // The client left mid-body (\"aborted\", phase 02): its mistake, not a server failure.\n    throw new HttpError(400, 'request body was cut off');\n",
        replace: '    throw error;\n',
      },
    ],
  },
];
