/**
 * Dispatch: match method + path against a route table and call the handler.
 * The table is data, so the 405 `Allow` header is computed from the same rows
 * that do the matching and can never drift from them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as handlers from './handlers.ts';
import { HttpError, requestPath } from './http-helpers.ts';

interface Route {
  readonly method: string;
  /** Segments; one starting with ":" captures that segment as a parameter. */
  readonly pattern: readonly string[];
  readonly handler: handlers.Handler;
}

function route(method: string, path: string, handler: handlers.Handler): Route {
  return { method, pattern: path.split('/').filter(Boolean), handler };
}

const routes: readonly Route[] = [
  route('GET', '/messages', handlers.listMessages),
  route('POST', '/messages', handlers.createMessage),
  route('GET', '/messages/:id', handlers.getMessage),
  route('DELETE', '/messages/:id', handlers.deleteMessage),
  route('GET', '/boom', handlers.auditLog),
  route('GET', '/partial', handlers.partialReport),
  route('GET', '/export', handlers.exportMessages),
  route('GET', '/slow', handlers.slowReport),
];

/** Returns the captured params, or undefined when the path does not fit the pattern. */
function matchPath(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        // "%E0%A4%A" is not valid percent-encoding: the client's mistake, not a crash.
        throw new HttpError(400, 'malformed percent-encoding in path');
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

export async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Read the request target once, as a path (a malformed one is a 400, never a crash).
  const segments = requestPath(req.url ?? '/').split('/').filter(Boolean);
  const allowed: string[] = [];
  for (const candidate of routes) {
    const params = matchPath(candidate.pattern, segments);
    if (!params) continue;
    if (candidate.method === req.method) return candidate.handler(req, res, params);
    allowed.push(candidate.method);
  }
  if (allowed.length > 0) {
    res.setHeader('allow', allowed.join(', '));
    throw new HttpError(405);
  }
  throw new HttpError(404);
}
