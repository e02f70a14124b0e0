/**
 * A small router: the route table is data, matching is a loop over it, and the answer
 * for "no such route" (404 or 405 + Allow) is computed from the same rows.
 *
 * Pure: importing this file starts nothing and prints nothing, so tests can build
 * tables with it directly.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Params = Readonly<Record<string, string>>;
export type Handler = (req: IncomingMessage, res: ServerResponse, params: Params) => void | Promise<void>;

/** One row of the table, as the application writes it. */
export interface RouteSpec {
  readonly method: string;
  /** "/messages/:id": a segment starting with ":" captures that segment. */
  readonly path: string;
  readonly handler: Handler;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly handler: Handler; readonly params: Params }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'bad-path'; readonly reason: string };

export interface Router {
  match(method: string, pathname: string): RouteMatch;
}

interface CompiledRoute extends RouteSpec {
  readonly segments: readonly string[];
}

function splitPath(pathname: string): string[] {
  return pathname.split('/').filter((segment) => segment !== '');
}

/** Captures raw (still percent-encoded) params, or undefined when the path does not fit. */
function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = actual[index]!;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

/** Decoding is deliberate and can fail: "%E0%A4%A" is not valid percent-encoding. */
function decodeParams(raw: Record<string, string>): Params | undefined {
  const decoded: Record<string, string> = {};
  try {
    for (const [name, value] of Object.entries(raw)) decoded[name] = decodeURIComponent(value);
  } catch {
    return undefined; // a URIError: the client's mistake, answered with 400 by the caller
  }
  return decoded;
}

/**
 * Builds a router from a table. Throws at once on a duplicate method + path: the second
 * row could never be reached, and start-up is the cheapest moment to find out.
 * Rows are tried in order, so specific paths ("/messages/latest") go before
 * parameterised ones ("/messages/:id").
 */
export function createRouter(routes: readonly RouteSpec[]): Router {
  const seen = new Set<string>();
  const table: CompiledRoute[] = [];
  for (const route of routes) {
    const method = route.method.toUpperCase();
    const key = `${method} ${route.path}`;
    if (seen.has(key)) throw new Error(`duplicate route: ${key}`);
    seen.add(key);
    table.push({ ...route, method, segments: splitPath(route.path) });
  }

  return {
    match(method, pathname) {
      const actual = splitPath(pathname);
      // HEAD is explicit policy: a GET route also answers HEAD (Node drops the body).
      const wanted = method === 'HEAD' ? ['HEAD', 'GET'] : [method];
      const allow = new Set<string>();
      for (const route of table) {
        const raw = matchSegments(route.segments, actual);
        if (!raw) continue;
        if (wanted.includes(route.method)) {
          const params = decodeParams(raw);
          if (!params) return { kind: 'bad-path', reason: 'malformed percent-encoding in path' };
          return { kind: 'found', handler: route.handler, params };
        }
        allow.add(route.method);
        if (route.method === 'GET') allow.add('HEAD');
      }
      return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow] } : { kind: 'not-found' };
    },
  };
}
