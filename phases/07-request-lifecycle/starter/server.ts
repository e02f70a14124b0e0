/**
 * Builds the HTTP server and exports it without listening, so a test (or main.ts)
 * decides the port. Two things every request passes through live here: the one error
 * boundary, and the hook that records how each request ended.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { countOutcome, HttpError, sendError } from './http-helpers.ts';
import { dispatch } from './router.ts';
import * as store from './store.ts';

function answerFailure(error: unknown, req: IncomingMessage, res: ServerResponse): void {
  // TODO(client-gone): when the client has already left, there is nobody to answer.
  // Writing an error response now is a write after the connection closed.
  if (error instanceof HttpError && !res.headersSent) {
    sendError(res, error.status, error.message);
    return;
  }
  // The details belong in our logs, never in the response.
  console.error(`${req.method} ${req.url} failed:`, error);
  if (res.headersSent) {
    // A status line and part of a body are already on the wire. A second status is
    // impossible, and end() would make the truncated body look complete: cut the connection.
    res.destroy();
    return;
  }
  sendError(res, 500, 'Internal Server Error');
}

/** The error boundary: every handler runs inside this one try/catch. */
async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await dispatch(req, res);
  } catch (error) {
    answerFailure(error, req, res);
  }
}

/** Counts, logs and audits each request once it has ended. */
function recordOutcome(req: IncomingMessage, res: ServerResponse): void {
  // Copied now, because the audit runs after the request is over.
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const startedAt = performance.now();

  // TODO(client-gone): 'finish' only fires for responses that were sent in full. A client
  // that leaves first never triggers it, so abandoned requests are neither counted nor
  // logged. Listen for the event that fires in both cases and tell them apart.
  res.once('finish', () => {
    const durationMs = Math.round(performance.now() - startedAt);
    countOutcome('completed');
    console.log(`${method} ${url} ${res.statusCode} ${durationMs}ms`);
    // TODO(background-work): nobody awaits this promise. When the audit store is down
    // (AUDIT_FAIL=1) it rejects, nobody handles that, and Node ends the whole process.
    void store.recordAudit({ method, url, outcome: 'completed', status: res.statusCode, durationMs });
  });
}

export const server = createServer((req, res) => {
  recordOutcome(req, res);
  // handleRequest never rejects: its catch is the boundary.
  void handleRequest(req, res);
});
