/**
 * compose(stack): turns an ordered list of middleware into one async function.
 *
 * Each middleware gets the request's context and `next`, a function that runs the rest
 * of the stack and resolves when it has finished. Code before `await next()` runs on the
 * way in, code after it on the way out, in reverse order. Not calling `next` stops the
 * chain there (a short-circuit).
 *
 * Keep it pure: no imports, no side effects, nothing about HTTP. The checks import it.
 */
export type Next = () => Promise<void>;
export type Middleware<Ctx> = (ctx: Ctx, next: Next) => void | Promise<void>;

export function compose<Ctx>(stack: readonly Middleware<Ctx>[]): (ctx: Ctx, next?: Next) => Promise<void> {
  // TODO: this version runs the middleware one after the other and hands each a `next`
  // that does nothing. Rewrite it so that:
  //   - next() runs the rest of the stack and resolves when all of it has finished
  //     (so code after `await next()` runs on the way out, in reverse order);
  //   - a middleware that returns without calling next() stops the chain;
  //   - a second call to next() from the same middleware rejects with an Error;
  //   - a throw or a rejection anywhere rejects the composed promise with that error;
  //   - after the last middleware, next() calls the `next` given to the composed function.
  return async (ctx) => {
    for (const middleware of stack) {
      await middleware(ctx, async () => {});
    }
  };
}
