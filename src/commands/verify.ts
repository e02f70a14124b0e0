/**
 * `verify`: grade phase folders with the hidden checks and report in the format asked for.
 * It reads no progress file to grade (only, when present, to pick the default phase) and
 * never writes one: an instructor's copy of a learner's repository is graded as it is.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Chalk } from 'chalk';
import type { CommandRun } from '../cli.ts';
import { findPhase, loadCourse } from '../course/load.ts';
import type { Phase } from '../course/types.ts';
import { UserError } from '../errors.ts';
import { isReporter, render, REPORTERS } from '../report/index.ts';
import { exitCodeFor, overallScore, type DirReport } from '../report/model.ts';
import type { Ui } from '../ui/context.ts';
import { NPX } from '../ui/messages.ts';
import { runChecks } from '../ui/run-checks.ts';
import { findWorkspace } from '../workspace/find.ts';
import { readProgress } from '../workspace/progress.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx } = ui;
  const phases = loadCourse(ctx.courseRoot);
  const reporter = typeof args.values['reporter'] === 'string' ? args.values['reporter'] : 'pretty';
  if (!isReporter(reporter)) {
    throw new UserError(`Unknown reporter "${reporter}": choose one of ${REPORTERS.join(', ')}.`);
  }
  const all = args.values['all'] === true;
  const phaseArg = args.positionals[0];
  if (all && phaseArg !== undefined) {
    throw new UserError(`Give either a phase (${phaseArg}) or --all, not both.`);
  }
  const out = typeof args.values['out'] === 'string' ? resolve(ctx.cwd, args.values['out']) : undefined;

  const given = (args.values['dir'] as string[] | undefined) ?? [];
  const dirs = given.length > 0 ? given.map((d) => ({ dir: resolve(ctx.cwd, d), label: d })) : [defaultDir(ctx.cwd)];
  for (const { dir, label } of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new UserError(`--dir ${label}: there is no folder ${dir}. Nothing was graded.`);
    }
  }
  const selected = phaseArg !== undefined ? [findPhase(phases, phaseArg)] : all ? phases : defaultPhases(ui, phases, dirs);

  // First feedback at once: the checks themselves need a second or more before their first line.
  const folders = dirs.length === 1 ? (dirs[0]!.label === '.' ? 'this folder' : dirs[0]!.label) : `${dirs.length} folders`;
  ui.err(`Running the checks of ${selected.map((p) => p.id).join(', ')} in ${folders} …`);
  const reports: DirReport[] = [];
  for (const { dir, label } of dirs) {
    const runs = [];
    for (const phase of selected) {
      const where = dirs.length > 1 ? ` in ${label}` : '';
      runs.push(await runChecks(ui, phase, join(dir, phase.id), `checking ${phase.number}${where}`));
    }
    reports.push({ dir, label, runs });
  }

  const text = render(reporter, reports, phases, selected.map((p) => p.id), reporter === 'pretty' && out === undefined ? ui.c : new Chalk({ level: 0 }));
  const score = overallScore(reports);
  const summary =
    `${score.passed}/${score.total} checks passed` +
    (score.errored > 0 ? `, ${score.errored} could not run` : '') +
    (score.missing > 0 ? `, ${score.missing} phase folder${score.missing === 1 ? '' : 's'} not submitted` : '');
  if (out !== undefined) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    ui.err(`Wrote the ${reporter} report for ${reports.length} folder${reports.length === 1 ? '' : 's'} to ${relative(ctx.cwd, out) || out}: ${summary}.`);
  } else {
    ctx.stdout.write(text);
    if (reporter !== 'pretty') ui.err(summary);
  }
  const code = exitCodeFor(reports);
  if (reporter === 'pretty' && out === undefined && code === 1 && findWorkspace(ctx.cwd) !== null) {
    ui.out(`Fix what is marked ✗, then run ${NPX} next (it records your progress) or ${NPX} watch.`);
  }
  return code;
};

/** The enclosing workspace, or else the folder the command runs in. */
function defaultDir(cwd: string): { dir: string; label: string } {
  const root = findWorkspace(cwd) ?? cwd;
  return { dir: root, label: relative(cwd, root) || '.' };
}

/**
 * No phase and no --all: in a workspace, its current phase (every phase once finished);
 * elsewhere (a grader's folder), every phase. A damaged progress file does not stop grading.
 */
function defaultPhases(ui: Ui, phases: readonly Phase[], dirs: ReadonlyArray<{ dir: string }>): readonly Phase[] {
  const root = dirs.length === 1 ? findWorkspace(dirs[0]!.dir) : null;
  if (root === null || root !== dirs[0]!.dir) return phases;
  try {
    const progress = readProgress(root, phases.map((p) => p.id));
    return progress.current === null ? phases : [findPhase(phases, progress.current)];
  } catch (error) {
    ui.err(`Note: grading every phase, because the progress file could not be read: ${(error as Error).message.split('\n')[0]}`);
    return phases;
  }
}
