/**
 * Realistic wrong submissions for phase 04: each is the reference solution with one
 * small mistake a learner makes, written as exact text replacements. The proof
 * (test/phases/04-middleware.test.ts) applies each to a temp copy, runs the hidden
 * checks, and expects `group` to fail (including the check named in `check`) and every
 * other group to pass, except the groups listed in `mayAlsoFail`.
 *
 * `mayAlsoFail` exists because the server is built from the learner's own compose(): a
 * compose that does not wait for next(), or swallows errors, breaks the server's
 * request ids, logs and error answers too. Those knock-on failures are real; whether a
 * given one shows depends on timing, so they are allowed, not required. Every group not
 * listed must still pass, which keeps the proof strict about everything else.
 */
import type { Mutant } from './types.ts';

export const mutants04: readonly Mutant[] = [
  {
    id: "next-does-not-wait",
    group: "compose-contract",
    mayAlsoFail: ['request-id', 'route-local-parsing', 'error-flow'],
    check: 'compose-order/compose-runs-middleware-in-order-and-unwinds-in-reverse',
    story: "next() starts the rest of the stack but does not wait for it",
    edits: [
      { file: "compose.ts", find: "return Promise.resolve(middleware(ctx, () => run(position + 1)));", replace: "return Promise.resolve(middleware(ctx, () => { void run(position + 1); return Promise.resolve(); }));" },
    ],
  },
  {
    id: "no-twice-guard",
    group: "compose-contract",
    check: 'compose-order/calling-next-twice-is-rejected',
    story: "no guard against a second next()",
    edits: [
      { file: "compose.ts", find: "if (position <= reached) {", replace: "if (position < 0) {" },
    ],
  },
  {
    id: "continues-after-guard",
    group: "compose-contract",
    mayAlsoFail: ['request-id', 'route-local-parsing'],
    check: 'compose-order/a-middleware-that-does-not-call-next-stops-the-chain',
    story: "compose 'helpfully' continues when a middleware did not call next",
    edits: [
      { file: "compose.ts", find: "return Promise.resolve(middleware(ctx, () => run(position + 1)));", replace: "return Promise.resolve(middleware(ctx, () => run(position + 1))).then(() => (reached === position ? run(position + 1) : undefined));" },
    ],
  },
  {
    id: "errors-swallowed",
    group: "compose-contract",
    mayAlsoFail: ['request-id', 'route-local-parsing', 'error-flow'],
    check: 'compose-errors/errors-reach-the-caller-unchanged',
    story: "each middleware's errors are logged and swallowed",
    edits: [
      { file: "compose.ts", find: "return Promise.resolve(middleware(ctx, () => run(position + 1)));", replace: "return Promise.resolve(middleware(ctx, () => run(position + 1))).catch((error: unknown) => console.error(error));" },
    ],
  },
  {
    id: "caller-next-ignored",
    group: "compose-contract",
    check: 'compose-errors/compose-passes-ctx-along-and-calls-the-caller-s-next-at-the-',
    story: "the caller's next is ignored at the end of the stack",
    edits: [
      { file: "compose.ts", find: "return last ? last() : Promise.resolve();", replace: "return Promise.resolve();" },
    ],
  },
  {
    id: "debug-log-on-import",
    group: "compose-contract",
    check: 'compose-errors/importing-compose-ts-has-no-side-effects',
    story: "a debug line left at module level",
    edits: [
      { file: "compose.ts", find: "export type Next = () => Promise<void>;", replace: "console.log('compose loaded');\nexport type Next = () => Promise<void>;" },
    ],
  },
  {
    id: "one-boot-id",
    group: "request-id",
    check: 'request-id/every-response-carries-a-unique-x-request-id',
    story: "one id computed at start-up and reused",
    edits: [
      { file: "server.ts", find: "const withRequestId: Middleware<Ctx> = async (ctx, next) => {\n  ctx.requestId = randomUUID();", replace: "const BOOT_ID = randomUUID();\nconst withRequestId: Middleware<Ctx> = async (ctx, next) => {\n  ctx.requestId = BOOT_ID;" },
    ],
  },
  {
    id: "logs-on-the-way-in",
    group: "request-id",
    check: 'request-id/each-request-is-logged-once-it-has-finished',
    story: "logs on the way in, before the status exists",
    edits: [
      { file: "server.ts", find: "  const started = performance.now();\n  try {\n    await next();\n  } finally {\n    const ms = (performance.now() - started).toFixed(1);\n    console.log(`${ctx.requestId} ${ctx.req.method} ${ctx.url?.pathname ?? ctx.req.url} ${ctx.res.statusCode} ${ms}ms`);\n  }", replace: "  const started = performance.now();\n  const ms = (performance.now() - started).toFixed(1);\n  console.log(`${ctx.requestId} ${ctx.req.method} ${ctx.url?.pathname ?? ctx.req.url} ${ctx.res.statusCode} ${ms}ms`);\n  await next();" },
    ],
  },
  {
    id: "user-in-module-variable",
    group: "per-request-state",
    check: 'per-request-state',
    story: "the current user kept in a module variable",
    edits: [
      { file: "server.ts", find: "const withUser: Middleware<Ctx> = async (ctx, next) => {", replace: "let currentUser = 'anonymous';\nconst withUser: Middleware<Ctx> = async (ctx, next) => {" },
      { file: "server.ts", find: "ctx.user = typeof header === 'string' && header !== '' ? header : 'anonymous';", replace: "currentUser = typeof header === 'string' && header !== '' ? header : 'anonymous';" },
      { file: "server.ts", find: "sendJson(ctx.res, 200, { user: ctx.user, requestId: ctx.requestId });", replace: "sendJson(ctx.res, 200, { user: currentUser, requestId: ctx.requestId });" },
    ],
  },
  {
    id: "global-body-parser",
    group: "route-local-parsing",
    check: 'route-local-parsing/bodies-are-only-parsed-on-routes-that-need-them',
    story: "one global body parser for every request that has a body",
    edits: [
      { file: "server.ts", find: "const app = compose<Ctx>([withRequestId, withAccessLog, withErrorResponses, withUser, dispatchRoute]);", replace: "const parseAnyBody: Middleware<Ctx> = async (ctx, next) => {\n  if (ctx.req.headers['content-length'] || ctx.req.headers['transfer-encoding']) {\n    ctx.body = parseJsonObject(await readBody(ctx.req, BODY_LIMIT_BYTES));\n  }\n  await next();\n};\nconst app = compose<Ctx>([withRequestId, withAccessLog, withErrorResponses, withUser, parseAnyBody, dispatchRoute]);" },
    ],
  },
  {
    id: "guard-forgets-return",
    group: "route-local-parsing",
    check: 'route-local-parsing/a-guard-that-answers-stops-the-chain',
    story: "requireJson answers 415 but forgets to return",
    edits: [
      { file: "server.ts", find: "    sendError(ctx.res, 415, 'expected content-type application/json');\n    return;\n  }\n  await next();", replace: "    sendError(ctx.res, 415, 'expected content-type application/json');\n  }\n  await next();" },
    ],
  },
  {
    id: "error-answered-and-rethrown",
    group: "error-flow",
    check: 'error-flow',
    story: "the error middleware answers, then rethrows to the listener, which answers again",
    edits: [
      { file: "server.ts", find: "    } else if (error instanceof HttpError) {\n      sendError(res, error.status, error.message);\n", replace: "    } else if (error instanceof HttpError) {\n      sendError(res, error.status, error.message);\n      throw error;\n" },
    ],
  },
  {
    id: "log-with-query-string",
    group: "request-id",
    check: 'request-id/each-request-is-logged-once-it-has-finished',
    story: "the log line prints req.url, query string included, instead of the pathname",
    edits: [
      { file: "server.ts", find: "${ctx.req.method} ${ctx.url?.pathname ?? ctx.req.url} ${ctx.res.statusCode}", replace: "${ctx.req.method} ${ctx.req.url} ${ctx.res.statusCode}" },
    ],
  },
  {
    id: "log-without-finally",
    group: "request-id",
    check: 'log-on-failure',
    story: "the access log line is written after await next(), without try/finally",
    edits: [
      { file: "server.ts", find: "  const started = performance.now();\n  try {\n    await next();\n  } finally {\n    const ms = (performance.now() - started).toFixed(1);\n    console.log(`${ctx.requestId} ${ctx.req.method} ${ctx.url?.pathname ?? ctx.req.url} ${ctx.res.statusCode} ${ms}ms`);\n  }", replace: "  const started = performance.now();\n  await next();\n  const ms = (performance.now() - started).toFixed(1);\n  console.log(`${ctx.requestId} ${ctx.req.method} ${ctx.url?.pathname ?? ctx.req.url} ${ctx.res.statusCode} ${ms}ms`);" },
    ],
  },
  {
    id: "target-parsed-in-create-context",
    group: "error-flow",
    check: 'odd-targets',
    story: "createContext parses req.url with new URL(req.url, 'http://localhost'), outside the error middleware: \"//[\" crashes the server",
    edits: [
      { file: "server.ts", find: "    url: parseTarget(req.url ?? '/'),", replace: "    url: new URL(req.url ?? '/', 'http://localhost')," },
    ],
  },
  {
    id: "absolute-form-refused",
    group: "error-flow",
    check: 'odd-targets',
    story: "only targets starting with \"/\" are parsed: an absolute-form target gets 400 instead of being routed on its path",
    edits: [
      { file: "server.ts", find: "    url = target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);", replace: "    if (!target.startsWith('/')) return undefined;\n    url = new URL(`http://localhost${target}`);" },
    ],
  },
];
