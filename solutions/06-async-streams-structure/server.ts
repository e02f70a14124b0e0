/**
 * Builds the HTTP server and exports it without listening, so a test (or main.ts)
 * decides the port. This is also where the one error boundary lives.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { HttpError, sendError } from './http-helpers.ts';
import { dispatch } from './router.ts';

function answerFailure(error: unknown, req: IncomingMessage, res: ServerResponse): void {
  if (error instanceof HttpError && !res.headersSent) {
    sendError(res, error.status, error.message);
    return;
  }
  // The details belong in our logs, never in the response.
  console.error(`${req.method} ${req.url} failed:`, error);
  if (res.headersSent) {
    // A status line and part of a body are already on the wire. A second response is
    // impossible and end() would make the truncated body look complete: cut the connection.
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

export const server = createServer((req, res) => {
  // handleRequest never rejects: its catch is the boundary.
  void handleRequest(req, res);
});
