import { defineConfig } from 'vitest/config';

/**
 * The tests OF the tool. Many of them start real servers and run whole `verify`
 * passes, which measure memory and time shutdowns: on a 2-core machine, files run
 * one at a time so one test's load cannot make another's deadline flaky.
 */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    exclude: ['test/tmp/**', 'test/fixtures/**', 'node_modules/**'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
