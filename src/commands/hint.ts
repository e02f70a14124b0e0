/** `hint [phase]`: reveal one more hint (nudge first, near-solution last) and record it. */
import type { CommandRun } from './types.ts';
import { indent } from '../ui/style.ts';
import { NPX } from '../ui/messages.ts';
import { writeProgress } from '../workspace/progress.ts';
import { openPhaseSession } from '../workspace/session.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const { root, progress, phase, entry } = openPhaseSession(ctx.courseRoot, ctx.cwd, args.positionals[0]);
  const total = phase.hints.length;
  const revealed = Math.min(entry.hintsUsed + 1, total);
  const isNew = entry.hintsUsed < total;
  // Recorded first: if the progress file cannot be written, the command stops with a
  // sentence before showing anything, and nothing has changed.
  if (isNew) {
    entry.hintsUsed = revealed;
    writeProgress(root, progress);
  }

  for (let i = 0; i < revealed; i++) {
    const latest = i === revealed - 1;
    const head = `Hint ${i + 1} of ${total}${latest && isNew ? ' (new)' : ''}:`;
    ui.out(latest ? c.bold(head) : c.dim(head));
    ui.out(latest ? indent(phase.hints[i]!, '  ') : c.dim(indent(phase.hints[i]!, '  ')));
  }
  ui.out('');
  if (revealed < total) {
    ui.out(c.dim(`${total - revealed} more hint${total - revealed === 1 ? '' : 's'}: run ${NPX} hint again. Lesson: ${NPX} lesson ${phase.number}`));
  } else {
    ui.out(c.dim(`That was the last hint. To compare with the reference solution: ${NPX} solution ${phase.number}${entry.passedAt ? '' : ' --force'}`));
  }
  return 0;
};
