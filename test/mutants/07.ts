/**
 * Realistic wrong submissions for phase 07: each is the reference solution with one
 * mistake a learner makes, written as exact text replacements. The proof
 * (test/phases/07-request-lifecycle.test.ts) applies each to a temp copy, asserts every
 * `find` matched exactly once, runs the hidden checks, and expects `group` to fail (with
 * the check named in `check` among the failures) and every other group to pass.
 */
import type { Mutant } from './types.ts';

export const mutants07: readonly Mutant[] = [
  // ---- client-gone ---------------------------------------------------------
  {
    id: 'report-ms-not-validated',
    group: 'client-gone',
    check: 'report-waits',
    story: "no validation of ?ms: 'abc' and '-5' become a 200 after a 1 ms wait",
    edits: [
      {
        file: 'handlers.ts',
        find: 'if (!/^\\d+$/.test(raw) || ms > MAX_REPORT_MS) {',
        replace: 'if (ms > MAX_REPORT_MS) {',
      },
    ],
  },
  {
    id: 'report-checks-client-after-wait',
    group: 'client-gone',
    check: 'client-leaves-stops-work',
    story: 'checks whether the client is still there after the wait, instead of cancelling the wait',
    edits: [
      {
        file: 'handlers.ts',
        find: 'const signal = AbortSignal.any([clientGoneSignal(req, res), deadline]);',
        replace: 'const signal = deadline;',
      },
      {
        file: 'handlers.ts',
        find: "import { clientGoneSignal, HttpError, readJson, readRequestCounts, requestTarget, sendJson } from './http-helpers.ts';",
        replace: "import { clientGoneSignal, clientIsGone, HttpError, readJson, readRequestCounts, requestTarget, sendJson } from './http-helpers.ts';",
      },
      {
        file: 'handlers.ts',
        find: '  const ms = readReportMs(req);\n  const result = await reportOrDeadline(req, res, ms);\n  sendJson(res, 200, result);\n};',
        replace: '  const ms = readReportMs(req);\n  const result = await reportOrDeadline(req, res, ms);\n  if (clientIsGone(res)) return; // nobody left to answer\n  sendJson(res, 200, result);\n};',
      },
    ],
  },
  {
    id: 'boundary-answers-gone-client',
    group: 'client-gone',
    check: 'no-late-write',
    story: 'the error boundary answers a 500 to a client that has already left (phase-06 boundary, unchanged)',
    edits: [
      {
        file: 'server.ts',
        find: "  if (clientIsGone(res)) {\n    // Nobody is left to answer, and the close hook has already counted and logged the\n    // request. Neither the cancellation we caused ourselves nor a client error (an upload\n    // cut off when the client hung up) is a failure of ours; anything else is.\n    if (!(error instanceof HttpError || isCancellation(error))) {\n      console.error(`${req.method} ${req.url} failed after the client left:`, error);\n    }\n    return;\n  }\n",
        replace: '',
      },
    ],
  },
  {
    id: 'outcome-counted-on-finish',
    group: 'client-gone',
    check: 'abandoned-counted',
    story: "counts and logs on 'finish', which never fires for a client that left",
    edits: [
      {
        file: 'http-helpers.ts',
        find: "res.once('close', () => settled(res.writableFinished ? 'completed' : 'abandoned'));",
        replace: "res.once('finish', () => settled('completed'));",
      },
    ],
  },
  {
    id: 'outcome-counted-on-finish-and-close',
    group: 'client-gone',
    check: 'abandoned-counted',
    story: "counts on 'finish' and on 'close': every finished request is counted twice",
    edits: [
      {
        file: 'http-helpers.ts',
        find: "  res.once('close', () => settled(res.writableFinished ? 'completed' : 'abandoned'));",
        replace: "  res.once('finish', () => settled('completed'));\n  res.once('close', () => settled(res.writableFinished ? 'completed' : 'abandoned'));",
      },
    ],
  },
  {
    id: 'upload-abort-logged-as-failure',
    group: 'client-gone',
    check: 'aborted-upload',
    story: "readJson drops phase 02's try/catch around the read loop: a cut-off upload reaches the boundary as Error: aborted and is logged as a server failure",
    edits: [
      {
        file: 'http-helpers.ts',
        find: "  } catch (error) {\n    if (error instanceof HttpError) throw error;\n    // The client left mid-body (the read rejects with \"aborted\"): its mistake, not our bug\n    // (phase 02). Nobody will read this 400; the boundary sees the client is gone and stays quiet.\n    throw new HttpError(400, 'request body was cut off');\n  }\n",
        replace: "  } finally {\n    // (no catch: phase 02's abort handling left out)\n  }\n",
      },
    ],
  },
  // ---- background-work -----------------------------------------------------
  {
    id: 'audit-without-catch',
    group: 'background-work',
    check: 'audit-survives',
    story: 'fire-and-forget audit with no catch: the rejection is unhandled and Node exits',
    edits: [
      {
        file: 'server.ts',
        find: '  store.recordAudit(event).catch((error: unknown) => {\n    const reason = error instanceof Error ? error.message : String(error);\n    console.error(`audit failed for ${event.method} ${event.url}: ${reason}`);\n  });',
        replace: '  void store.recordAudit(event);',
      },
    ],
  },
  {
    id: 'audit-failure-swallowed',
    group: 'background-work',
    check: 'audit-logged',
    story: "the audit's catch swallows the error: the process lives, the failure is invisible",
    edits: [
      {
        file: 'server.ts',
        find: '  store.recordAudit(event).catch((error: unknown) => {\n    const reason = error instanceof Error ? error.message : String(error);\n    console.error(`audit failed for ${event.method} ${event.url}: ${reason}`);\n  });',
        replace: "  store.recordAudit(event).catch(() => {\n    // best effort: an audit failure is not the client's problem\n  });",
      },
    ],
  },
  {
    id: 'audit-failure-logged-without-url',
    group: 'background-work',
    check: 'audit-logged',
    story: 'the audit failure is logged, but not which request it was for',
    edits: [
      {
        file: 'server.ts',
        find: '    console.error(`audit failed for ${event.method} ${event.url}: ${reason}`);',
        replace: '    console.error(`audit failed: ${reason}`);',
      },
    ],
  },
  // ---- one-final-response --------------------------------------------------
  {
    id: 'deadline-timer-then-catch-all-500',
    group: 'one-final-response',
    check: 'deadline-503-once',
    story: 'own deadline timer answers 503 and cancels, then the catch-all answers again',
    edits: [
      {
        file: 'handlers.ts',
        find: "import { clientGoneSignal, HttpError, readJson, readRequestCounts, requestTarget, sendJson } from './http-helpers.ts';",
        replace: "import { clientGoneSignal, clientIsGone, HttpError, readJson, readRequestCounts, requestTarget, sendJson } from './http-helpers.ts';",
      },
      {
        file: 'handlers.ts',
        find: '  const ms = readReportMs(req);\n  const result = await reportOrDeadline(req, res, ms);\n  sendJson(res, 200, result);\n};',
        replace: "  const ms = readReportMs(req);\n  const controller = new AbortController();\n  const timer = setTimeout(() => {\n    sendJson(res, 503, { error: 'report timed out' });\n    controller.abort();\n  }, reportTimeoutMs());\n  try {\n    const result = await store.buildReport(ms, AbortSignal.any([clientGoneSignal(req, res), controller.signal]));\n    sendJson(res, 200, result);\n  } catch {\n    if (!clientIsGone(res)) sendJson(res, 500, { error: 'report failed' });\n  } finally {\n    clearTimeout(timer);\n  }\n};",
      },
    ],
  },
  {
    id: 'deadline-timer-report-runs-on',
    group: 'one-final-response',
    check: 'deadline-cancels',
    story: 'a timer answers 503 but the report runs on; a headersSent guard hides the second write',
    edits: [
      {
        file: 'handlers.ts',
        find: '  const ms = readReportMs(req);\n  const result = await reportOrDeadline(req, res, ms);\n  sendJson(res, 200, result);\n};',
        replace: "  const ms = readReportMs(req);\n  const timer = setTimeout(() => sendJson(res, 503, { error: 'report timed out' }), reportTimeoutMs());\n  try {\n    const result = await store.buildReport(ms, clientGoneSignal(req, res));\n    if (!res.headersSent) sendJson(res, 200, result);\n  } finally {\n    clearTimeout(timer);\n  }\n};",
      },
    ],
  },
  // ---- committed-response --------------------------------------------------
  {
    id: 'stream-last-line-never-ends',
    group: 'committed-response',
    check: 'stream-completes',
    story: 'the last line is written with write(), never end(): the stream never finishes',
    edits: [
      {
        file: 'handlers.ts',
        find: '  res.end(`${JSON.stringify({ done: true, ...result })}\\n`);',
        replace: '  res.write(`${JSON.stringify({ done: true, ...result })}\\n`);',
      },
    ],
  },
  {
    id: 'stream-boundary-ends-instead-of-cutting',
    group: 'committed-response',
    check: 'stream-deadline-cut',
    story: 'after headers, the boundary ends the response instead of cutting it: a truncated report looks complete',
    edits: [
      {
        file: 'server.ts',
        find: '    res.destroy();\n    return;',
        replace: '    res.end();\n    return;',
      },
    ],
  },
  {
    id: 'stream-boundary-sends-status-after-headers',
    group: 'committed-response',
    check: 'stream-deadline-cut',
    story: "the boundary sends the HttpError's status even after headers were sent: ERR_HTTP_HEADERS_SENT escapes the catch and the process dies",
    edits: [
      {
        file: 'server.ts',
        find: 'if (error instanceof HttpError && !res.headersSent) {',
        replace: 'if (error instanceof HttpError) {',
      },
    ],
  },
  {
    id: 'stream-buffered-until-done',
    group: 'committed-response',
    check: 'stream-completes',
    story: 'the stream waits for the whole report before writing anything: nothing streams',
    edits: [
      {
        file: 'handlers.ts',
        find: "  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });\n  res.write(`${JSON.stringify({ started: true, ms })}\\n`);\n  const result = await reportOrDeadline(req, res, ms);\n",
        replace: "  const result = await reportOrDeadline(req, res, ms);\n  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });\n  res.write(`${JSON.stringify({ started: true, ms })}\\n`);\n",
      },
    ],
  },
  // ---- kept-rules ----------------------------------------------------------
  {
    id: 'text-length-in-utf16-units',
    group: 'kept-rules',
    check: 'kept-code-points',
    story: 'the 280-character limit counts text.length, UTF-16 units: 141 emoji are refused',
    edits: [{ file: 'handlers.ts', find: '  if ([...text].length > MAX_TEXT_LENGTH) {', replace: '  if (text.length > MAX_TEXT_LENGTH) {' }],
  },
  {
    id: 'target-parsed-against-base',
    group: 'kept-rules',
    check: 'kept-odd-targets',
    story: "the target is parsed with new URL(req.url, 'http://localhost'): \"//[\" throws (a 500) and \"//inspect/stats\" routes to /stats",
    edits: [
      {
        file: 'router.ts',
        find: '  const { pathname } = requestTarget(req);',
        replace: "  const { pathname } = new URL(req.url ?? '/', 'http://localhost');",
      },
    ],
  },
  {
    id: 'target-split-on-query',
    group: 'kept-rules',
    check: 'kept-odd-targets',
    story: 'the router takes the path as everything before "?": an absolute-form target is matched as "http:", "localhost", "stats"',
    edits: [
      {
        file: 'router.ts',
        find: '  const { pathname } = requestTarget(req);',
        replace: "  const pathname = (req.url ?? '/').split('?')[0] ?? '/';",
      },
    ],
  },
];
