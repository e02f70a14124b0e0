/**
 * What src/grading (grade-in-child.ts) takes from the harness to isolate one submission's
 * grading process: the clean environment it starts with (clean-env.ts), and the sweep that
 * kills whatever still carries its marker when it is done (sweep.ts). The rest of
 * checks/_harness is the checks' own business.
 */
export { cleanEnv } from './clean-env.ts';
export { sweepProcessesWithEnv } from './sweep.ts';
