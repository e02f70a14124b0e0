/**
 * Builds the HTTP server and exports it without listening, so a test (or main.ts)
 * decides the port. Two things every request passes through live here: the one error
 * boundary, and the hook that records how each request ended.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { clientIsGone, countOutcome, HttpError, onSettled, sendError, type Outcome } from './http-helpers.ts';
import { dispatch } from './router.ts';
import * as store from './store.ts';

function answerFailure(error: unknown, req: IncomingMessage, res: ServerResponse): void {
  if (clientIsGone(res)) {
    // Nobody is left to answer, and the close hook has already counted and logged the
    // request. Neither the cancellation we caused ourselves nor a client error (an upload
    // cut off when the client hung up) is a failure of ours; anything else is.
    if (!(error instanceof HttpError || isCancellation(error))) {
      console.error(`${req.method} ${req.url} failed after the client left:`, error);
    }
    return;
  }
  if (error instanceof HttpError && !res.headersSent) {
    sendError(res, error.status, error.message);
    return;
  }
  if (res.headersSent) {
    // A status line and part of a body are already on the wire. A second status is
    // impossible, and end() would make the truncated body look complete: cut the
    // connection, so the client can tell the body is unfinished.
    console.error(`${req.method} ${req.url} failed after headers were sent; cutting the connection:`, error);
    res.destroy();
    return;
  }
  // The details belong in our logs, never in the response.
  console.error(`${req.method} ${req.url} failed:`, error);
  sendError(res, 500, 'Internal Server Error');
}

/**
 * What a cancelled wait rejects with depends on the API: node:timers/promises and most
 * streams reject with an AbortError, fetch() with the signal's reason itself.
 */
function isCancellation(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'ClientGoneError');
}

/** The error boundary: every handler runs inside this one try/catch. */
async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await dispatch(req, res);
  } catch (error) {
    answerFailure(error, req, res);
  }
}

/**
 * Starts the audit write and deliberately does not wait for it: the response is
 * already gone, and a slow audit store must not slow anyone down. A promise nobody
 * awaits has nobody to report its failure to, so it gets its own catch right here.
 */
function auditInBackground(event: store.AuditEvent): void {
  store.recordAudit(event).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`audit failed for ${event.method} ${event.url}: ${reason}`);
  });
}

/** Counts, logs and audits the request once, when its response closes. */
function recordOutcome(req: IncomingMessage, res: ServerResponse): void {
  // Copy the few values the log and audit need now. The audit outlives the request;
  // holding req or res in it would keep sockets and buffers reachable for nothing.
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const startedAt = performance.now();

  onSettled(res, (outcome: Outcome) => {
    const durationMs = Math.round(performance.now() - startedAt);
    countOutcome(outcome);
    if (outcome === 'completed') {
      console.log(`${method} ${url} ${res.statusCode} ${durationMs}ms`);
    } else {
      console.log(`${method} ${url} abandoned after ${durationMs}ms`);
    }
    auditInBackground({ method, url, outcome, status: res.statusCode, durationMs });
  });
}

export const server = createServer((req, res) => {
  recordOutcome(req, res);
  // handleRequest never rejects: its catch is the boundary.
  void handleRequest(req, res);
});
