import { defineConfig } from 'vitest/config';
import { shared } from './vitest.base.ts';
import { IGNORED, PROOF_FILES } from './suites.ts';

/**
 * The quick suite, `npm test`: the unit and CLI tests of the tool and a quick proof
 * (test/quick-proof.test.ts). The full proof is test/vitest.proof.config.ts.
 */
export default defineConfig({
  test: {
    ...shared,
    include: ['test/**/*.test.ts'],
    exclude: [...IGNORED, ...PROOF_FILES],
  },
});
