/**
 * The operations of the messages service. Each one reads what it needs from the
 * request, asks the store, and sends exactly one final response, or throws and lets
 * the error boundary in server.ts decide what can still be said.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readJson, readRequestCounts, requestTarget, sendJson } from './http-helpers.ts';
import * as store from './store.ts';

export type Params = Readonly<Record<string, string>>;
export type Handler = (req: IncomingMessage, res: ServerResponse, params: Params) => Promise<void>;

const MAX_TEXT_LENGTH = 280;
const DEFAULT_REPORT_MS = 1000;
const MAX_REPORT_MS = 30_000;

export const listMessages: Handler = async (_req, res) => {
  sendJson(res, 200, store.listMessages());
};

export const createMessage: Handler = async (req, res) => {
  const body = await readJson(req);
  const text = body.text;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new HttpError(400, 'text must be a non-empty string');
  }
  // Characters are code points, as phase 05 taught: an emoji is one, not two UTF-16 units.
  if ([...text].length > MAX_TEXT_LENGTH) {
    throw new HttpError(400, `text must be at most ${MAX_TEXT_LENGTH} characters`);
  }
  const message = store.addMessage(text);
  res.setHeader('location', `/messages/${encodeURIComponent(message.id)}`);
  sendJson(res, 201, message);
};

export const getMessage: Handler = async (_req, res, params) => {
  const message = store.findMessage(params.id ?? '');
  if (!message) throw new HttpError(404, 'message not found');
  sendJson(res, 200, message);
};

export const deleteMessage: Handler = async (_req, res, params) => {
  if (!store.removeMessage(params.id ?? '')) throw new HttpError(404, 'message not found');
  sendJson(res, 204, null);
};

/** `?ms=` as a whole number of milliseconds; validated before any work starts. */
function readReportMs(req: IncomingMessage): number {
  const raw = requestTarget(req).searchParams.get('ms');
  if (raw === null) return DEFAULT_REPORT_MS;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms > MAX_REPORT_MS) {
    throw new HttpError(400, `ms must be a whole number from 0 to ${MAX_REPORT_MS}`);
  }
  return ms;
}

/** Read per request, not at import time, so a test can start the server with its own value. */
function reportTimeoutMs(): number {
  return Number(process.env.REPORT_TIMEOUT_MS ?? 5000);
}

/** GET /report?ms=N: waits for the whole report, then answers. */
export const report: Handler = async (req, res) => {
  const ms = readReportMs(req);
  // TODO(one-final-response): this timer answers 503 when the deadline passes, but the
  // report keeps running, and when it finishes the sendJson below answers a second time.
  // Give the wait a deadline it obeys (an AbortSignal) and turn that into one 503.
  const deadline = setTimeout(() => sendJson(res, 503, { error: 'report timed out' }), reportTimeoutMs());
  // TODO(client-gone): pass a signal, so the report stops when the client leaves.
  const result = await store.buildReport(ms);
  clearTimeout(deadline);
  sendJson(res, 200, result);
};

/** GET /report/stream?ms=N: a 200 and a first line at once, the result when it is ready. */
export const streamReport: Handler = async (req, res) => {
  const ms = readReportMs(req);
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
  res.write(`${JSON.stringify({ started: true, ms })}\n`);
  // TODO(committed-response): the 200 is already on the wire. Ending the body with an
  // error line makes a failed report look like a finished one, and the report keeps
  // running and writes again after end(). What is the only honest signal left?
  const deadline = setTimeout(() => {
    res.end(`${JSON.stringify({ error: 'report timed out' })}\n`);
  }, reportTimeoutMs());
  const result = await store.buildReport(ms);
  clearTimeout(deadline);
  res.end(`${JSON.stringify({ done: true, ...result })}\n`);
};

/** GET /stats: how requests ended so far, and how much report work is still running. */
export const stats: Handler = async (_req, res) => {
  sendJson(res, 200, { ...readRequestCounts(), reportsRunning: store.reportsRunning() });
};
