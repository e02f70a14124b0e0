/**
 * `solution [phase] [--force]`: copy the reference solution into <phase>/.solution/ (never
 * over the learner's files). Refused before the phase passes unless --force; recorded.
 */
import { join, relative } from 'node:path';
import type { CommandRun } from './types.ts';
import { UserError } from '../errors.ts';
import { NPX, verifyCommand, writeReportText } from '../ui/messages.ts';
import { writeProgress } from '../workspace/progress.ts';
import { copySolution, listFiles, SOLUTION_DIR } from '../workspace/scaffold.ts';
import { assertFolderOrAbsent, assertWorkspaceWritable } from '../workspace/writable.ts';
import { openPhaseSession } from '../workspace/session.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const { root, progress, phase, entry } = openPhaseSession(ctx.courseRoot, ctx.cwd, args.positionals[0]);
  if (entry.passedAt === null && args.values['force'] !== true) {
    throw new UserError(
      `The reference solution of ${phase.id} opens once the phase passes (${verifyCommand(phase)}). Hints first? ${NPX} hint\n` +
        `To look now anyway (recorded in your progress file): ${NPX} solution ${phase.number} --force`,
    );
  }
  if (listFiles(phase.paths.solutionDir).length === 0) {
    throw new UserError(`This package ships no reference solution for ${phase.id}. Please report it.`);
  }
  assertWorkspaceWritable(root, 'solution');
  assertFolderOrAbsent(join(root, phase.id, SOLUTION_DIR), 'solution', `solution copies the reference solution into ${phase.id}/${SOLUTION_DIR}/`);
  // Recorded before it is handed over: a view that cannot be recorded is not handed over.
  entry.solutionViewed = true;
  writeProgress(root, progress);
  const copied = copySolution(root, phase);
  const dir = relative(ctx.cwd, copied.dir) || '.';
  ui.out(`The reference solution of ${phase.id} is in ${c.cyan(`${dir}/`)} (your own files were not touched):`);
  ui.out(writeReportText(copied, c));
  // A file the learner edits (phase.json "edit"), not one the lesson says to keep as it is.
  const first = phase.edit[0];
  if (first) ui.out(`Compare, for example: ${c.cyan(`diff -u ${relative(ctx.cwd, `${root}/${phase.id}/${first}`)} ${dir}/${first}`)}`);
  return 0;
};
