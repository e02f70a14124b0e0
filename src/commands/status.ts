/** `status` (the default): every phase with passed / current / locked and its numbers. */
import { relative } from 'node:path';
import type { CommandRun } from '../cli.ts';
import { loadCourse } from '../course/load.ts';
import { packageManifest } from '../course/paths.ts';
import { completionText, NPX } from '../ui/messages.ts';
import { marks } from '../ui/style.ts';
import { openSession } from '../workspace/session.ts';

export const run: CommandRun = async (_args, ui) => {
  const { ctx, c } = ui;
  const phases = loadCourse(ctx.courseRoot);
  const { root, progress } = openSession(ctx.cwd, phases);
  ui.out(c.bold(`learn-node-http ${packageManifest().version}`) + c.dim(` · workspace ${relative(ctx.cwd, root) || '.'} · started with ${progress.courseVersion}`));
  ui.out('');
  for (const phase of phases) {
    const p = progress.phases[phase.id];
    const name = `${phase.id}  ${phase.title}`;
    if (!p) {
      ui.out(c.dim(`  ${marks.locked} ${name}  (locked)`));
      continue;
    }
    const facts = [
      `${p.attempts} check run${p.attempts === 1 ? '' : 's'}`,
      `hints ${p.hintsUsed}/${phase.hints.length}`,
      p.quiz ? `quiz ${p.quiz.score}/${p.quiz.total}` : 'quiz not taken',
      ...(p.solutionViewed ? ['solution viewed'] : []),
    ].join(', ');
    if (p.passedAt !== null) {
      ui.out(`  ${c.green(marks.pass)} ${name}  ${c.dim(`passed ${p.passedAt.slice(0, 10)} · ${facts}`)}`);
    } else {
      ui.out(`  ${c.cyan(marks.current)} ${c.bold(name)}  ${c.dim(`current · ${facts}`)}`);
    }
  }
  ui.out('');
  if (progress.current === null) {
    ui.out(completionText(phases, progress, c));
  } else {
    ui.out(`Next: work in ${relative(ctx.cwd, `${root}/${progress.current}`) || '.'}/, then run ${c.cyan(`${NPX} next`)}`);
  }
  return 0;
};
