/** Every phase's mutants, by phase id: one map for the proofs, the lint and the scripts. */
import { mutants01 } from './01.ts';
import { mutants02 } from './02.ts';
import { mutants03 } from './03.ts';
import { mutants04 } from './04.ts';
import { mutants05 } from './05.ts';
import { mutants06 } from './06.ts';
import { mutants07 } from './07.ts';
import type { Mutant } from './types.ts';

export const MUTANTS_BY_PHASE: Readonly<Record<string, readonly Mutant[]>> = {
  '01-raw-handler': mutants01,
  '02-request-bodies': mutants02,
  '03-routing': mutants03,
  '04-middleware': mutants04,
  '05-json-api': mutants05,
  '06-async-streams-structure': mutants06,
  '07-request-lifecycle': mutants07,
};
