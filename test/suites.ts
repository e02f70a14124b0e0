/**
 * Which test files are the quick suite (`npm test`) and which the full proof
 * (`npm run test:proof`). One list, read by both vitest configs, so a file is in exactly
 * one of them and a new test file lands in the quick suite unless it is named here.
 *
 * The proof is what takes minutes on the 2-core machine: every phase's mutants,
 * alternatives and starter (test/phases), the hostile corpus, the load test, whole
 * learner journeys and class batches through the CLI, and the packed package installed
 * into an empty folder. The quick suite keeps one run of every phase's reference
 * solution and one mutant per phase (test/quick-proof.test.ts), so a change that breaks
 * a check or a solution still turns `npm test` red.
 */
export const PROOF_FILES: readonly string[] = [
  'test/phases/**/*.test.ts',
  'test/grading/hostile-corpus.test.ts',
  'test/load/**/*.test.ts',
  'test/cli/e2e.test.ts',
  'test/cli/batch.test.ts',
  'test/cli/interrupt.test.ts',
  'test/cli/watch.test.ts',
  'test/report/course-workflow.test.ts',
  'test/runner/**/*.test.ts',
  'test/harness/start-server.test.ts',
  'test/harness/starved.test.ts',
  'test/pack.test.ts',
];

export const IGNORED: readonly string[] = ['test/tmp/**', 'test/fixtures/**', 'node_modules/**'];
