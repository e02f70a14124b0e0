/**
 * What the phase-07 checks share: the /stats counters (the black-box view of work that
 * keeps running and of how requests ended), polling with a deadline, random waits, and
 * the late-write reports the server preload collects.
 *
 * Taught but deliberately not checked: "detached work copies small values, never the
 * request" is invisible over HTTP (the per-url audit lines only show that the event
 * carries its own request's values; the quiz covers the rest). An interrupted upload is
 * checked for its outcome (abandoned, unanswered, not logged as an error), not for how
 * readJson noticed it. Whether a learner uses req.signal (where it exists: 24.22.3 and
 * 26.1.0+, see facts/lifecycle.facts.mjs) or builds the signal from res 'close' does not
 * matter on releases with the nodejs/node#64392 fix: the checks judge behaviour.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseJson, send, summarize } from '../_client/http.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import type { LateWrite, RunningServer } from '../_harness/start-server.ts';

export interface Stats {
  readonly completed: number;
  readonly abandoned: number;
  readonly reportsRunning: number;
}

/** A short deadline for the report routes, so a check sees it pass without waiting long. */
export const DEADLINE_MS = 300;
export const DEADLINE_ENV = { REPORT_TIMEOUT_MS: String(DEADLINE_MS) };

export function randomInt(low: number, high: number): number {
  return low + Math.floor(Math.random() * (high - low + 1));
}

/** Waits `ms`; a wait computed from a moment that has already passed (negative) ends at once. */
export function delay(ms: number): Promise<void> {
  return sleep(Math.max(0, ms));
}

/** GET /stats, parsed; a failure that names the expected shape if it is anything else. */
export async function readStats(server: RunningServer): Promise<Stats> {
  const answer = await send(server, { path: '/stats' }, 'status 200 with {"completed":n,"abandoned":n,"reportsRunning":n}', {
    headersWithinMs: scaled(2000),
  });
  const json = parseJson(answer.text);
  const value = json.ok && typeof json.value === 'object' && json.value !== null ? (json.value as Record<string, unknown>) : {};
  const { completed, abandoned, reportsRunning } = value;
  if (answer.status !== 200 || ![completed, abandoned, reportsRunning].every((n) => typeof n === 'number')) {
    fail({
      sent: answer.curl,
      expected: 'status 200 and a JSON body { "completed": <number>, "abandoned": <number>, "reportsRunning": <number> }',
      got: summarize(answer),
      means: 'GET /stats is how the checks see how requests ended: it answers readRequestCounts() plus store.reportsRunning()',
    });
  }
  return { completed: completed as number, abandoned: abandoned as number, reportsRunning: reportsRunning as number };
}

/**
 * Polls /stats every 20 ms until `wanted` holds or `withinMs` has passed. Returns the
 * last stats read, whether it held, and how many /stats requests were sent.
 */
export async function pollStats(
  server: RunningServer,
  wanted: (stats: Stats) => boolean,
  withinMs: number,
): Promise<{ stats: Stats; held: boolean; polls: number }> {
  const deadline = performance.now() + withinMs;
  let polls = 0;
  for (;;) {
    const stats = await readStats(server);
    polls++;
    if (wanted(stats)) return { stats, held: true, polls };
    if (performance.now() >= deadline) return { stats, held: false, polls };
    await delay(20);
  }
}

/** The late writes the preload saw on responses to `url` (path and query, as sent). */
export function lateWritesFor(server: RunningServer, url: string): LateWrite[] {
  return server.lateWrites.filter((write) => write.url === url);
}

/** "writeHead() after end() for GET /report?ms=900 at sendJson (http-helpers.ts:23:3) <- …" */
export function describeLateWrite(write: LateWrite): string {
  return `${write.call}() ${write.state} for ${write.method} ${write.url}, called at ${write.where}`;
}

/** Log lines quote the url literally; this makes it safe inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The JSON object in `text`, or undefined when it is not one. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  const json = parseJson(text);
  return json.ok && typeof json.value === 'object' && json.value !== null && !Array.isArray(json.value) ? (json.value as Record<string, unknown>) : undefined;
}

/**
 * Waits until the server is handling `url` (the preload reports every request start),
 * so "the client left mid-request" really happens mid-request on a busy machine.
 */
export async function untilHandling(server: RunningServer, url: string, sent: string | readonly string[]): Promise<void> {
  if (await server.waitForRequest(url, scaled(3000))) return;
  fail({
    sent,
    expected: `the server to start handling GET ${url}`,
    got: 'no sign of the request 3 s after it was sent',
    means: 'the server is not reading new requests: something blocks the event loop, or an earlier request broke it',
    serverOutput: server.tail(),
  });
}

/** The server's last output lines without the "GET /stats 200 0ms" lines the polling adds. */
export function tailWithoutStats(server: RunningServer, lines = 15): string {
  return server.proc.output
    .trimEnd()
    .split('\n')
    .filter((line) => !/GET \/stats \d{3} \d+ ?ms/.test(line))
    .slice(-lines)
    .join('\n');
}
