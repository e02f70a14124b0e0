/** `reset [phase]`: move the phase folder to backups/<phase>/<date-time>/, then copy the starter again. */
import { join, relative } from 'node:path';
import type { CommandRun } from '../cli.ts';
import { NPX, writeReportText } from '../ui/messages.ts';
import { backupPhaseFolder, BACKUPS_DIR, scaffoldPhase } from '../workspace/scaffold.ts';
import { assertFolderOrAbsent, assertWorkspaceWritable } from '../workspace/writable.ts';
import { openPhaseSession } from '../workspace/session.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const { root, phase } = openPhaseSession(ctx.courseRoot, ctx.cwd, args.positionals[0]);
  // Everything that could stop the move half-way is checked before anything moves.
  assertWorkspaceWritable(root, 'reset');
  assertFolderOrAbsent(join(root, BACKUPS_DIR), 'reset', `reset moves your phase folder into ${BACKUPS_DIR}/${phase.id}/<date-time>/`);
  assertFolderOrAbsent(join(root, BACKUPS_DIR, phase.id), 'reset', `reset moves your phase folder into ${BACKUPS_DIR}/${phase.id}/<date-time>/`);
  const backup = backupPhaseFolder(root, phase.id, ctx.now());
  const written = scaffoldPhase(root, phase);
  const folder = relative(ctx.cwd, `${root}/${phase.id}`) || '.';
  if (backup !== null) ui.out(`Moved your files to ${c.cyan(`${relative(ctx.cwd, `${root}/${backup}`)}/`)} (nothing was deleted).`);
  ui.out(`Restored the starter of ${phase.id} in ${folder}/:`);
  ui.out(writeReportText(written, c));
  ui.out(c.dim(`Your progress (attempts, hints, quiz) is unchanged. When ready: ${NPX} next`));
  return 0;
};
