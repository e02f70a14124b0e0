/**
 * `reset [phase]`: move the phase folder to backups/<phase>/<date-time>/, copy the starter
 * again, and make that phase the current one, not passed until its checks pass again (`verify`
 * or `next`): its folder holds the starter now, so showing it as passed (or letting `next`
 * skip it) would misdirect. The earlier pass stays in the progress file's history, with the reset after it.
 */
import { join, relative } from 'node:path';
import type { CommandRun } from './types.ts';
import { checkSteps, editTargets, NPX, verifyCommand, writeReportText } from '../ui/messages.ts';
import { recordReset } from '../workspace/history.ts';
import { writeProgress } from '../workspace/progress.ts';
import { backupPhaseFolder, BACKUPS_DIR, scaffoldPhase } from '../workspace/scaffold.ts';
import { assertFolderOrAbsent, assertWorkspaceWritable } from '../workspace/writable.ts';
import { openPhaseSession } from '../workspace/session.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const { phases, root, progress, phase, entry } = openPhaseSession(ctx.courseRoot, ctx.cwd, args.positionals[0]);
  // Everything that could stop the move half-way (or the record after it) is checked before anything moves.
  assertWorkspaceWritable(root, 'reset');
  assertFolderOrAbsent(join(root, BACKUPS_DIR), 'reset', `reset moves your phase folder into ${BACKUPS_DIR}/${phase.id}/<date-time>/`);
  assertFolderOrAbsent(join(root, BACKUPS_DIR, phase.id), 'reset', `reset moves your phase folder into ${BACKUPS_DIR}/${phase.id}/<date-time>/`);
  const wasCurrent = progress.current === phase.id;
  const backup = backupPhaseFolder(root, phase.id, ctx.now());
  const written = scaffoldPhase(root, phase);
  recordReset(entry, ctx.now().toISOString(), backup);
  progress.current = phase.id;
  writeProgress(root, progress);

  const folder = relative(ctx.cwd, join(root, phase.id)) || '.';
  if (backup !== null) {
    ui.out(`Moved your files to ${c.cyan(`${relative(ctx.cwd, join(root, backup))}/`)} (nothing was deleted; list backups: ${NPX} status --backups).`);
  } else {
    ui.out(`There was no ${folder}/ folder, so nothing needed a backup.`);
  }
  ui.out(`Restored the starter of ${phase.id} in ${folder}/:`);
  ui.out(writeReportText(written, c));
  ui.out('');
  ui.out(
    `Phase ${phase.number} is ${wasCurrent ? 'still' : 'now'} the current phase, not passed until its checks pass again (${c.cyan(verifyCommand(phase))} or ${c.cyan(`${NPX} next`)})` +
      ` (your attempts, hints and quiz${entry.passedAt !== null ? `, and the date it first passed,` : ''} are kept).`,
  );
  ui.out(`  Edit   ${editTargets(phase, folder, c)}`);
  for (const [step, text] of checkSteps(phase, c, phase === phases.at(-1))) ui.out(`  ${step.padEnd(6)} ${text}`);
  return 0;
};
