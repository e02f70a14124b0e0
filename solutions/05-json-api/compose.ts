/**
 * compose(stack): turns an ordered list of middleware into one async function.
 *
 * Each middleware gets the request's context and `next`, a function that runs the rest
 * of the stack and resolves when it has finished. Code before `await next()` runs on the
 * way in, code after it on the way out, in reverse order. Not calling `next` stops the
 * chain there (a short-circuit).
 *
 * Pure: no imports, no side effects. It knows nothing about HTTP.
 */
export type Next = () => Promise<void>;
export type Middleware<Ctx> = (ctx: Ctx, next: Next) => void | Promise<void>;

export function compose<Ctx>(stack: readonly Middleware<Ctx>[]): (ctx: Ctx, next?: Next) => Promise<void> {
  return function composed(ctx, last) {
    // The highest position whose `next` has already been called. Every position may move
    // the chain forward exactly once; a second call would run everything after it again.
    let reached = -1;

    function run(position: number): Promise<void> {
      if (position <= reached) {
        return Promise.reject(new Error('next() called twice by the same middleware'));
      }
      reached = position;
      if (position === stack.length) {
        // Past the end: hand over to the caller's own continuation, if any. This is what
        // lets a composed stack be used as one middleware inside another stack.
        return last ? last() : Promise.resolve();
      }
      const middleware = stack[position]!;
      try {
        // Promise.resolve(...) also accepts middleware that return nothing.
        return Promise.resolve(middleware(ctx, () => run(position + 1)));
      } catch (error) {
        // A synchronous throw becomes a rejection, so callers only handle one kind of failure.
        return Promise.reject(error);
      }
    }

    return run(0);
  };
}
