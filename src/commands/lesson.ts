/** `lesson [phase]`: print the lesson as shipped (the workspace copy may hold the learner's notes). */
import { readFileSync } from 'node:fs';
import type { CommandRun } from '../cli.ts';
import { loadCourse } from '../course/load.ts';
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
  return 0;
};
