/**
 * Phase 03 starter: the router. The route table is data (see server.ts); this module
 * turns it into answers to "which handler, with which params?".
 *
 * Keep it pure: importing this file must start nothing and print nothing. The checks
 * import createRouter from it directly.
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

/** Builds a router from a table. */
// TODO: this first version only knows exact paths. Make it:
//   - match ":name" segments and capture them as params (still strings);
//   - decode each param with decodeURIComponent, and answer { kind: 'bad-path' } when
//     that throws (a URIError: malformed percent-encoding);
//   - try the rows in order and return the first that fits method + path;
//   - when the path fits some rows but not this method, return 'method-not-allowed'
//     with every method those rows accept (plus HEAD wherever GET is there);
//   - answer HEAD with the GET row of the same path;
//   - throw an Error right here, while building, when two rows share method and path.
export function createRouter(routes: readonly RouteSpec[]): Router {
  return {
    match(method, pathname) {
      for (const route of routes) {
        if (route.method === method && route.path === pathname) {
          return { kind: 'found', handler: route.handler, params: {} };
        }
      }
      return { kind: 'not-found' };
    },
  };
}
