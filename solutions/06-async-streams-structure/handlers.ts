/**
 * The operations of the messages service. Each one reads what it needs from the
 * request, asks the store, and sends exactly one response (or throws, and the
 * error boundary in server.ts answers for it).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { HttpError, readJson, sendJson } from './http-helpers.ts';
import * as store from './store.ts';

export type Params = Readonly<Record<string, string>>;
export type Handler = (req: IncomingMessage, res: ServerResponse, params: Params) => Promise<void>;

const MAX_TEXT_LENGTH = 280;

export const listMessages: Handler = async (_req, res) => {
  sendJson(res, 200, store.listMessages());
};

export const createMessage: Handler = async (req, res) => {
  const body = await readJson(req);
  const text = body.text;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new HttpError(400, 'text must be a non-empty string');
  }
  // Characters are code points (phase 05): "😀" is one, though text.length says 2.
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

/** Awaits a store call that rejects: the error boundary must turn that into a 500. */
export const auditLog: Handler = async (_req, res) => {
  const entries = await store.loadAuditLog();
  sendJson(res, 200, entries);
};

/** Commits headers and part of a body, then fails: only cutting the connection is honest now. */
export const partialReport: Handler = async (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.write('{"entries":[');
  const entries = await store.loadAuditLog();
  res.end(`${entries.map((entry) => JSON.stringify(entry)).join(',')}]}`);
};

function exportPath(): string {
  return process.env.BIG_JSON ?? fileURLToPath(new URL('./big.json', import.meta.url));
}

/** Streams a file of any size with flat memory: pipeline reads only as fast as the client takes. */
export const exportMessages: Handler = async (_req, res) => {
  const file = exportPath();
  // Decide the status before the first byte: once headers are out, a missing file can only cut the connection.
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new HttpError(404, 'export file not found');
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': info.size });
  await pipeline(createReadStream(file), res);
};

/** A deliberately slow request, so a shutdown has something in flight to wait for. */
export const slowReport: Handler = async (_req, res) => {
  const sleptMs = Number(process.env.SLOW_MS ?? 1000);
  await sleep(sleptMs);
  sendJson(res, 200, { sleptMs });
};
