import { defineConfig } from 'vitest/config';
import { shared } from './vitest.base.ts';
import { IGNORED, PROOF_FILES } from './suites.ts';

/**
 * The full proof, `npm run test:proof` (CI runs it after `npm test`): every mutant, the
 * alternatives, the hostile corpus, the load test, the CLI end to end and the packed
 * package. The file list is test/suites.ts.
 */
export default defineConfig({
  test: {
    ...shared,
    include: [...PROOF_FILES],
    exclude: [...IGNORED],
  },
});
