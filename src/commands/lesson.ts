/** `lesson [phase]`: print the lesson as shipped (the workspace copy may hold the learner's notes). */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CommandRun } from './types.ts';
import { loadCourse } from '../course/load.ts';
import { editTargets } from '../ui/messages.ts';
import { findWorkspace } from '../workspace/find.ts';
import { pickPhase, progressIfAny } from '../workspace/session.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const phases = loadCourse(ctx.courseRoot);
  const progress = progressIfAny(ctx.cwd, phases);
  const phase = pickPhase(phases, args.positionals[0], progress);
  const text = readFileSync(phase.paths.lesson, 'utf8');
  // On a terminal, make headings stand out; piped (e.g. into a Markdown viewer) it stays verbatim.
  const shown = c.level > 0 ? text.replace(/^(#{1,6} .*)$/gm, (heading) => c.bold.cyan(heading)) : text;
  ctx.stdout.write(shown.endsWith('\n') ? shown : `${shown}\n`);
  // Read on a terminal, the lesson ends with the same Edit line as next and status. Piped, it
  // stays the file as shipped: a Markdown viewer or a diff must see nothing added.
  if (ctx.stdout.isTTY === true) {
    const root = findWorkspace(ctx.cwd);
    // The folder path only where it exists: an unlocked phase of this workspace.
    const folder = root !== null && progress?.phases[phase.id] ? relative(ctx.cwd, join(root, phase.id)) || '.' : null;
    ui.out('');
    ui.out(c.dim('─'.repeat(40)));
    ui.out(`Edit   ${editTargets(phase, folder, c)}${folder === null ? c.dim(` in the ${phase.id} folder of your workspace`) : ''}`);
  }
  return 0;
};
