// How a plain-JavaScript entry starts our TypeScript: register tsx, then the caller imports its
// .ts entry. Used by bin/learn-node-http.js, src/grading/submission-worker.mjs and
// test/support/run-checks.mjs. Plain JavaScript itself: nothing can be TypeScript before this runs.
//
// Why vitest/node may be imported first: once tsx's loader hooks are registered, every module
// vitest/node pulls in goes through them. `await import('vitest/node')` measured on Node 20.20,
// 2 cores, median of 8 runs each: ~0.5 s of CPU with no hook, ~2.0 s with tsx registered
// first, 4 times as much (wall clock, on a machine busy at the time: 1.4 s against 5.7 s).
// Imported first, while no hook is registered, it stays in the module cache, and the runner's
// own import of it (src/runner/vitest-session.ts) then costs nothing.

/**
 * Registers tsx; with `preloadVitest`, imports vitest/node first. Only for processes that
 * will run checks: the others would pay for vitest without using it.
 */
export async function registerTypeScript({ preloadVitest = false } = {}) {
  if (preloadVitest) {
    try {
      await import('vitest/node');
    } catch {
      // Let the runner import it again and report the failure in context.
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
}
