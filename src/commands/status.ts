/**
 * `status` (the default): every phase with passed / current / reset / locked and its numbers,
 * then what to do next (the same Edit line `next` printed). `status --backups` lists the
 * folders `reset` moved aside instead.
 */
import { join, relative } from 'node:path';
import type { CommandRun } from './types.ts';
import { loadCourse } from '../course/load.ts';
import { packageManifest } from '../course/paths.ts';
import type { Phase } from '../course/types.ts';
import type { Ui } from '../ui/context.ts';
import { checkSteps, completionText, editTargets, NPX, phasePassedText } from '../ui/messages.ts';
import { marks } from '../ui/style.ts';
import { listBackups } from '../workspace/backups.ts';
import { isPassed, lastPassedAt, pendingReset } from '../workspace/history.ts';
import type { PhaseProgress, Progress } from '../workspace/progress.ts';
import { phaseAfterPass } from '../workspace/queue.ts';
import { openSession } from '../workspace/session.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const phases = loadCourse(ctx.courseRoot);
  const { root, progress } = openSession(ctx.cwd, phases);
  const shown = (path: string): string => relative(ctx.cwd, join(root, path)) || '.';
  const backups = listBackups(root);
  if (args.values['backups'] === true) {
    if (backups.length === 0) {
      ui.out(`No backups yet: ${NPX} reset <phase> moves a phase folder to ${shown('backups')}/<phase>/<date-time>/ before restoring its starter.`);
      return 0;
    }
    ui.out(`Backups of your phase folders (reset moved them here; nothing was deleted):`);
    for (const b of backups) ui.out(`  ${c.cyan(`${shown(b.path)}/`)}`);
    return 0;
  }

  ui.out(c.bold(`learn-node-http ${packageManifest().version}`) + c.dim(` · workspace ${relative(ctx.cwd, root) || '.'} · started with ${progress.courseVersion}`));
  ui.out('');
  for (const phase of phases) ui.out(phaseRow(ui, phase, progress));
  ui.out('');
  if (backups.length > 0) {
    const latest = backups.reduce((a, b) => (b.stamp.localeCompare(a.stamp, 'en', { numeric: true }) > 0 ? b : a));
    ui.out(c.dim(`Backups: ${backups.length} (latest: ${shown(latest.path)}/) · list them: ${NPX} status --backups`));
  }
  if (progress.current === null) {
    ui.out(completionText(phases, progress, c));
  } else {
    const current = phases.find((p) => p.id === progress.current)!;
    if (isPassed(progress.phases[current.id]!)) {
      // verify saw it pass: next asks the quiz and moves on without running the checks.
      ui.out(phasePassedText(current, phaseAfterPass(phases, progress, current) === undefined, c));
      return 0;
    }
    ui.out(`Next: phase ${current.number}`);
    ui.out(`  Edit   ${editTargets(current, shown(current.id), c)}`);
    for (const [step, text] of checkSteps(current, c, current === phases.at(-1))) ui.out(`  ${step.padEnd(6)} ${text}`);
  }
  return 0;
};

/**
 * One line per phase. A phase counts as passed only when nothing reset it since (history.ts):
 * after `reset` its folder holds the starter, so it shows "reset, not passed since".
 */
function phaseRow(ui: Ui, phase: Phase, progress: Progress): string {
  const { c } = ui;
  const p = progress.phases[phase.id];
  const name = `${phase.id}  ${phase.title}`;
  if (!p) return c.dim(`  ${marks.locked} ${name}  (locked)`);
  const facts = factsOf(phase, p);
  if (isPassed(p)) return `  ${c.green(marks.pass)} ${name}  ${c.dim(`passed ${lastPassedAt(p)!.slice(0, 10)} · ${facts}`)}`;
  const current = progress.current === phase.id;
  const reset = pendingReset(p);
  const passed = lastPassedAt(p);
  const state =
    reset !== null
      ? `reset, not passed since (${passed !== null ? `passed ${passed.slice(0, 10)}, ` : ''}reset ${reset.at.slice(0, 10)})`
      : current
        ? null
        : 'not passed yet';
  const words = [current ? 'current' : null, state, facts].filter((s): s is string => s !== null).join(' · ');
  return current ? `  ${c.cyan(marks.current)} ${c.bold(name)}  ${c.dim(words)}` : `  ${c.yellow(marks.open)} ${name}  ${c.dim(words)}`;
}

function factsOf(phase: Phase, p: PhaseProgress): string {
  return [
    `${p.attempts} check run${p.attempts === 1 ? '' : 's'}`,
    `hints ${p.hintsUsed}/${phase.hints.length}`,
    p.quiz ? `quiz ${p.quiz.score}/${p.quiz.total}` : 'quiz not taken',
    ...(p.solutionViewed ? ['solution viewed'] : []),
  ].join(', ');
}
