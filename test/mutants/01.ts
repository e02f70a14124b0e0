/**
 * Realistic wrong submissions for phase 01: the reference solution with one mistake a
 * learner makes, as exact text replacements. test/phases/01-raw-handler.test.ts applies
 * each to a temp copy and expects `group` to fail (at the check named by `check`) and
 * every other group to pass, except where FAILS_EVERY_GROUP in that test says otherwise.
 */
import type { Mutant } from './types.ts';

export const mutants01: readonly Mutant[] = [
  // ---- request-target ----------------------------------------------------------
  {
    id: 'root-not-served',
    group: 'request-target',
    check: 'method-and-path/get-answers-get',
    story: 'only /inspect paths echo the request; "/" falls through to the 404',
    edits: [{ file: 'server.ts', find: "if (url.pathname === '/' || url.pathname === '/inspect'", replace: "if (url.pathname === '/inspect'" }],
  },
  {
    id: 'query-leaks-into-path',
    group: 'request-target',
    check: 'method-and-path/any-method-on-inspect-answers-the-method-and-the-pathname-ne',
    story: 'the echo is built from req.url, so "?page=2" comes back as part of the path',
    // An absolute-form target ("http://host/inspect/y") is echoed whole, so odd-targets fails too.
    mayAlsoFail: ['odd-targets'],
    edits: [{ file: 'server.ts', find: 'send(res, 200, `${method} ${url.pathname}\\n`);', replace: 'send(res, 200, `${method} ${req.url}\\n`);' }],
  },
  {
    id: 'method-hard-coded',
    group: 'request-target',
    check: 'method-and-path/any-method-on-inspect-answers-the-method-and-the-pathname-ne',
    story: 'the echo always says GET, whatever the method was',
    edits: [{ file: 'server.ts', find: 'send(res, 200, `${method} ${url.pathname}\\n`);', replace: 'send(res, 200, `GET ${url.pathname}\\n`);' }],
  },
  {
    id: 'name-sliced-not-decoded',
    group: 'request-target',
    check: 'hello-query/get-hello-name-greets-the-percent-decoded-name',
    story: 'the name is cut out of req.url by hand and never percent-decoded',
    edits: [{ file: 'server.ts', find: "url.searchParams.get('name') || 'world'", replace: "(req.url ?? '').split('name=')[1] || 'world'" }],
  },
  {
    id: 'no-default-name',
    group: 'request-target',
    check: 'hello-query/get-hello-without-a-name-greets-the-world',
    story: 'no fallback: /hello greets "null"',
    edits: [{ file: 'server.ts', find: "url.searchParams.get('name') || 'world'", replace: "url.searchParams.get('name')" }],
  },
  // ---- odd-targets -------------------------------------------------------------
  {
    id: 'url-with-base-throws',
    group: 'odd-targets',
    check: 'odd-targets/get-answers-400-and-the-server-keeps-serving',
    story: 'the lesson\'s old one-liner, new URL(req.url, base), outside any try: "//[" throws and the process ends',
    edits: [{ file: 'server.ts', find: '  const target = req.url ?? \'\';\n  try {', replace: "  return new URL(req.url ?? '/', 'http://localhost');\n  const target = req.url ?? '';\n  try {" }],
  },
  {
    id: 'double-slash-read-as-host',
    group: 'odd-targets',
    check: 'odd-targets/a-target-starting-with-is-routed-as-a-path-not-read-as-a-hos',
    story: 'new URL(req.url, base) inside try/catch: no crash, but "//x/inspect/y" becomes host "x", path "/inspect/y"',
    edits: [{ file: 'server.ts', find: '    if (ORIGIN_FORM.test(target)) return new URL(`http://localhost${target}`);', replace: "    if (ORIGIN_FORM.test(target)) return new URL(target, 'http://localhost');" }],
  },
  {
    id: 'origin-always-prefixed',
    group: 'odd-targets',
    check: 'odd-targets/an-absolute-form-target-get-http-host-inspect-is-routed-on-i',
    story: 'every target gets "http://localhost" prefixed, so "http://host/inspect/y" is routed on "//host/inspect/y"',
    edits: [{ file: 'server.ts', find: '    if (/^https?:\\/\\//i.test(target)) return new URL(target);', replace: '    if (/^https?:\\/\\//i.test(target)) return new URL(`http://localhost${target}`);' }],
  },
  // ---- explicit-status ---------------------------------------------------------
  {
    id: 'unknown-path-200',
    group: 'explicit-status',
    check: 'unknown-path',
    story: 'the fallback branch sends "Not Found" with the default 200',
    edits: [{ file: 'server.ts', find: 'send(res, 404, ', replace: 'send(res, 200, ' }],
  },
  // ---- content-length ----------------------------------------------------------
  {
    id: 'length-in-characters',
    group: 'content-length',
    check: 'byte-length',
    story: 'content-length is body.length (UTF-16 code units), one short per "ë"',
    edits: [{ file: 'server.ts', find: "'content-length': Buffer.byteLength(body)", replace: "'content-length': body.length" }],
  },
  {
    id: 'no-length-chunked',
    group: 'content-length',
    check: 'byte-length',
    story: 'the body goes out with res.write() and no length, so Node falls back to chunked',
    edits: [
      { file: 'server.ts', find: "    'content-length': Buffer.byteLength(body),\n", replace: '' },
      { file: 'server.ts', find: '  res.end(body);', replace: '  res.write(body);\n  res.end();' },
    ],
  },
  {
    id: 'no-charset',
    group: 'content-length',
    check: 'content-type',
    story: 'content-type text/plain without a charset',
    edits: [{ file: 'server.ts', find: "'content-type': 'text/plain; charset=utf-8'", replace: "'content-type': 'text/plain'" }],
  },
  {
    id: 'not-found-never-ends',
    group: 'content-length',
    check: 'every-response-ends',
    story: 'the 404 branch writes its whole body (content-length set) but never calls end(): one request looks fine, the next one on that connection is never read',
    edits: [
      {
        file: 'server.ts',
        find: '  send(res, 404, `${STATUS_CODES[404]}\\n`);\n}',
        replace:
          "  const notFound = `${STATUS_CODES[404]}\\n`;\n  res.writeHead(404, { 'content-length': Buffer.byteLength(notFound), 'content-type': 'text/plain; charset=utf-8' });\n  res.write(notFound);\n}",
      },
    ],
  },
  {
    // Caught by the harness's alive probe after each check (useServers): without it, /hello's
    // own checks pass and the crash is blamed on whichever check sends /hello next.
    id: 'hello-missing-return',
    group: 'request-target',
    check: 'hello-query/get-hello-without-a-name-greets-the-world',
    story: 'no `return` after answering /hello: the 404 below runs too, and its writeHead throws ERR_HTTP_HEADERS_SENT, killing the server',
    mayAlsoFail: ['content-length', 'port', 'odd-targets'],
    edits: [{ file: 'server.ts', find: '    send(res, 200, `Hello, ${name}!\\n`);\n    return;\n', replace: '    send(res, 200, `Hello, ${name}!\\n`);\n' }],
  },
  // ---- port --------------------------------------------------------------------
  {
    id: 'port-hard-coded',
    group: 'port',
    check: 'port',
    story: 'listen(3000) whatever PORT says: nothing answers where the checks look',
    failsEveryCheckSaying: 'port is hard-coded',
    edits: [{ file: 'server.ts', find: 'const port = Number(process.env.PORT ?? 3000);', replace: 'const port = 3000;' }],
  },
];

