/**
 * Realistic wrong submissions for phase 03: each is the reference solution with one
 * small mistake a learner makes, written as exact text replacements. The proof
 * (test/phases/03-routing.test.ts) applies each to a temp copy, runs the hidden checks,
 * and expects `group` to fail (including the check named in `check`) and every other
 * group to pass.
 */
import type { Mutant } from './types.ts';

export const mutants03: readonly Mutant[] = [
  {
    id: "create-no-location",
    group: "route-table",
    check: 'messages-crud/post-messages-answers-201-with-the-message-and-its-location',
    story: "201 without a Location header",
    edits: [
      { file: "server.ts", find: "  res.setHeader('location', `/messages/${encodeURIComponent(message.id)}`);\n", replace: "" },
    ],
  },
  {
    id: "list-as-object",
    group: "route-table",
    check: 'messages-crud/get-messages-lists-the-messages',
    story: "lists an object keyed by id instead of an array",
    edits: [
      { file: "server.ts", find: "sendJson(res, 200, [...messages.values()]);", replace: "sendJson(res, 200, Object.fromEntries(messages));" },
    ],
  },
  {
    id: "get-no-404",
    group: "route-table",
    check: 'messages-crud/get-messages-id-returns-that-message-and-404-for-an-unknown-',
    story: "no 404 branch: an unknown id falls through to sendJson(undefined)",
    edits: [
      { file: "server.ts", find: "  if (!message) throw new HttpError(404, 'message not found');\n  sendJson(res, 200, message);", replace: "  sendJson(res, 200, message ?? {});" },
    ],
  },
  {
    id: "delete-200-with-body",
    group: "route-table",
    check: 'messages-crud/delete-messages-id-answers-204-and-the-message-is-gone',
    story: "answers 200 with the deleted message instead of 204",
    edits: [
      { file: "server.ts", find: "  if (!messages.delete(params.id ?? '')) throw new HttpError(404, 'message not found');\n  sendJson(res, 204, null);", replace: "  const gone = messages.get(params.id ?? '');\n  if (!gone || !messages.delete(gone.id)) throw new HttpError(404, 'message not found');\n  sendJson(res, 200, gone);" },
    ],
  },
  {
    id: "id-row-above-latest",
    group: "route-table",
    check: 'latest-before-id',
    story: ":id registered before /messages/latest",
    edits: [
      { file: "server.ts", find: "  { method: 'GET', path: '/messages/latest', handler: latestMessage },\n  { method: 'GET', path: '/messages/:id', handler: getMessage },", replace: "  { method: 'GET', path: '/messages/:id', handler: getMessage },\n  { method: 'GET', path: '/messages/latest', handler: latestMessage }," },
    ],
  },
  {
    id: "405-without-allow",
    group: "method-not-allowed",
    check: 'method-not-allowed/a-known-path-with-another-method-answers-405-with-allow',
    story: "405 without an Allow header",
    edits: [
      { file: "server.ts", find: "      res.setHeader('allow', match.allow.join(', '));\n", replace: "" },
    ],
  },
  {
    id: "allow-from-every-row",
    group: "method-not-allowed",
    check: 'method-not-allowed/an-unknown-path-answers-404-not-405',
    story: "Allow computed from every route, so unknown paths get 405",
    edits: [
      { file: "router.ts", find: "        const raw = matchSegments(route.segments, actual);\n        if (!raw) continue;\n        if (wanted.includes(route.method)) {", replace: "        const raw = matchSegments(route.segments, actual);\n        if (raw && wanted.includes(route.method)) {" },
      { file: "router.ts", find: "        allow.add(route.method);\n        if (route.method === 'GET') allow.add('HEAD');\n      }", replace: "        if (!raw && wanted.includes(route.method)) continue;\n        allow.add(route.method);\n        if (route.method === 'GET') allow.add('HEAD');\n      }" },
    ],
  },
  {
    id: "no-head-rule",
    group: "method-not-allowed",
    check: 'head-like-get',
    story: "no HEAD rule: HEAD only matches routes registered as HEAD",
    edits: [
      { file: "router.ts", find: "const wanted = method === 'HEAD' ? ['HEAD', 'GET'] : [method];", replace: "const wanted = [method];" },
    ],
  },
  {
    id: "params-not-decoded",
    group: "path-params",
    check: 'encoded-params/percent-encoded-ids-are-decoded-before-lookup',
    story: "params handed over still percent-encoded",
    edits: [
      { file: "router.ts", find: "decoded[name] = decodeURIComponent(value);", replace: "decoded[name] = value;" },
    ],
  },
  {
    id: "decode-without-try",
    group: "path-params",
    check: 'encoded-params/malformed-percent-encoding-answers-400-and-the-server-keeps-',
    story: "decodeURIComponent without try/catch: URIError becomes a 500",
    edits: [
      { file: "router.ts", find: "  try {\n    for (const [name, value] of Object.entries(raw)) decoded[name] = decodeURIComponent(value);\n  } catch {\n    return undefined; // a URIError: the client's mistake, answered with 400 by the caller\n  }", replace: "  for (const [name, value] of Object.entries(raw)) decoded[name] = decodeURIComponent(value);" },
    ],
  },
  {
    id: "duplicates-accepted",
    group: "duplicate-routes",
    check: 'duplicate-routes',
    story: "duplicates silently accepted (the first row wins)",
    edits: [
      { file: "router.ts", find: "    if (seen.has(key)) throw new Error(`duplicate route: ${key}`);\n", replace: "" },
    ],
  },
  {
    id: "allow-without-head",
    group: "method-not-allowed",
    check: 'method-not-allowed/a-known-path-with-another-method-answers-405-with-allow',
    story: "Allow lists the methods of the rows but forgets HEAD next to GET",
    edits: [
      { file: "router.ts", find: "        if (route.method === 'GET') allow.add('HEAD');\n", replace: "" },
    ],
  },
  {
    id: "head-answered-separately",
    group: "method-not-allowed",
    check: 'head-like-get',
    story: "HEAD short-cut in the listener: a bare 200 without the GET's content-type and length",
    edits: [
      {
        file: "server.ts",
        find: "  const match = router.match(req.method ?? 'GET', pathname);",
        replace: "  if (req.method === 'HEAD') {\n    res.writeHead(200);\n    res.end();\n    return;\n  }\n  const match = router.match(req.method ?? 'GET', pathname);",
      },
    ],
  },
  {
    id: "target-parsed-against-base",
    group: "path-params",
    check: 'odd-targets',
    story: "the target parsed with new URL(req.url, 'http://localhost'): \"//[\" throws (a 500) and \"//x/messages\" is read as host x",
    edits: [
      {
        file: "server.ts",
        find: "  const url = parseTarget(req.url ?? '/');\n  if (!url) throw new HttpError(400, 'request target is not a path this server can route');\n  const { pathname } = url;",
        replace: "  const { pathname } = new URL(req.url ?? '/', 'http://localhost');",
      },
    ],
  },
  {
    id: "absolute-form-refused",
    group: "path-params",
    check: 'odd-targets',
    story: "only targets starting with \"/\" are parsed: an absolute-form target gets 400 instead of being routed on its path",
    edits: [
      {
        file: "server.ts",
        find: "    url = target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);",
        replace: "    if (!target.startsWith('/')) return undefined;\n    url = new URL(`http://localhost${target}`);",
      },
    ],
  },
];
