/**
 * The operations of the messages service. Each one reads what it needs from the
 * request, asks the store, and sends exactly one final response, or throws and lets
 * the error boundary in server.ts decide what can still be said.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientGoneSignal, HttpError, readJson, readRequestCounts, requestTarget, sendJson } from './http-helpers.ts';
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

/**
 * Runs the slow report under two reasons to stop: the client left, or our own
 * deadline passed. One combined signal goes downstream, so whichever comes first
 * cancels the work; nothing keeps running for a response nobody will read.
 */
async function reportOrDeadline(req: IncomingMessage, res: ServerResponse, ms: number): Promise<store.Report> {
  const deadline = AbortSignal.timeout(reportTimeoutMs());
  const signal = AbortSignal.any([clientGoneSignal(req, res), deadline]);
  try {
    return await store.buildReport(ms, signal);
  } catch (error) {
    // The deadline is ours to explain; a client that left gets no explanation (it is gone),
    // so that error travels on to the boundary unchanged.
    if (deadline.aborted) throw new HttpError(503, 'report timed out');
    throw error;
  }
}

/**
 * GET /report?ms=N: waits for the whole report, then answers once. Nothing is written
 * before the wait, so a timeout can still become a clean 503.
 */
export const report: Handler = async (req, res) => {
  const ms = readReportMs(req);
  const result = await reportOrDeadline(req, res, ms);
  sendJson(res, 200, result);
};

/**
 * GET /report/stream?ms=N: commits a 200 and a first line at once, so the client sees
 * progress. The price: if the deadline passes later, no status can describe that any
 * more. The error goes to the boundary, which cuts the connection instead.
 */
export const streamReport: Handler = async (req, res) => {
  const ms = readReportMs(req);
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
  res.write(`${JSON.stringify({ started: true, ms })}\n`);
  const result = await reportOrDeadline(req, res, ms);
  res.end(`${JSON.stringify({ done: true, ...result })}\n`);
};

/** GET /stats: how requests ended so far, and how much report work is still running. */
export const stats: Handler = async (_req, res) => {
  sendJson(res, 200, { ...readRequestCounts(), reportsRunning: store.reportsRunning() });
};
