import type { ViteUserConfig } from 'vitest/config';

/**
 * What both suites share. Many tests start real servers and run whole `verify` passes,
 * which measure memory and time shutdowns: on a 2-core machine, files run one at a time
 * so one test's load cannot make another's deadline flaky.
 */
export const shared: NonNullable<ViteUserConfig['test']> = {
  root: new URL('..', import.meta.url).pathname,
  pool: 'forks',
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 120_000,
  reporters: ['default', './test/support/closing-line-reporter.ts'],
};
