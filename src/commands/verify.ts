/**
 * `verify`: grade phase folders with the hidden checks and report in the format asked for.
 * Grading needs no progress file (it is read, when present, only to pick the default phase).
 *
 * Two modes, told apart by --dir alone:
 * - Learner: in a workspace, without --dir. The check run is recorded as `next` records its
 *   own (workspace/check-runs.ts: an attempt per unlocked phase graded, and the pass of the
 *   current phase, so `next` then goes straight to the quiz and the unlock), and the pretty
 *   report ends with the one next step: `verify NN` after a failure, `next` after a pass.
 * - Instructor / CI: with --dir (one folder or many), or outside a workspace. Nothing is
 *   ever written to a progress file: an instructor's copy of a learner's repository is
 *   graded as it is.
 *
 * One folder: graded in this process, every phase asked for in one run (learners and CI:
 * grading/grade-in-process.ts). Several folders, or --jobs: a batch (grading/run-batch.ts):
 * the reference solution first as a canary, then each submission in a process of its own,
 * --jobs at a time, within a budget. The report then goes where --out says (report/deliver.ts).
 * This file reads and checks the options, picks the folders and phases, and records a
 * learner's run; the grading and the writing are delegated.
 */
import { relative, resolve } from 'node:path';
import type { CommandRun, ParsedArgs } from './types.ts';
import { findPhase, loadCourse } from '../course/load.ts';
import type { Phase } from '../course/types.ts';
import { UserError } from '../errors.ts';
import { expandDirs, type GradedDir } from '../grading/expand-dirs.ts';
import { gradeInProcess } from '../grading/grade-in-process.ts';
import { runBatch } from '../grading/run-batch.ts';
import { deliverReport } from '../report/deliver.ts';
import { isReporter, REPORTERS } from '../report/index.ts';
import { learnerFooter, type LearnerRun } from '../report/learner-next-step.ts';
import { resultsOf, verdict, type DirReport } from '../report/model.ts';
import { planOutput } from '../report/output.ts';
import type { Ui } from '../ui/context.ts';
import { recordCheckRuns, type GradedPhase, type RecordedRuns } from '../workspace/check-runs.ts';
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
  const given = (args.values['dir'] as string[] | undefined) ?? [];
  const { phaseArg, extraDirs } = splitPositionals(args, phases, given.length > 0);
  if (all && phaseArg !== undefined) {
    throw new UserError(`Give either a phase (${phaseArg}) or --all, not both.`);
  }
  const outArg = typeof args.values['out'] === 'string' ? args.values['out'] : undefined;
  const out = outArg !== undefined ? resolve(ctx.cwd, outArg) : undefined;
  const jobs = positiveInteger(args, 'jobs');
  const budgetSeconds = positiveInteger(args, 'budget');

  const dirs = given.length > 0 ? expandDirs(ctx.cwd, [...given, ...extraDirs]) : [defaultDir(ctx.cwd)];
  // Learner mode: the workspace around this folder, graded without --dir (the only case that records).
  const workspace = given.length === 0 ? findWorkspace(ctx.cwd) : null;
  // Before any grading: a bad --out must not cost a finished batch.
  const plan = planOutput({ reporter, outArg, cwd: ctx.cwd, out, folders: dirs.length });
  const notes = { progressUnreadable: false };
  const selected = phaseArg !== undefined ? [findPhase(phases, phaseArg)] : all ? phases : defaultPhases(ui, phases, dirs, notes);
  const batch = dirs.length > 1 || jobs !== undefined;

  const started = performance.now();
  let reports: DirReport[];
  if (batch) {
    const graded = await runBatch(ui, dirs, selected, { jobs, budgetSeconds, canary: args.values['no-canary'] !== true });
    if (graded === 'interrupted') return { exitCode: 130, exitNow: true };
    reports = graded;
  } else {
    reports = [await gradeInProcess(ui, dirs[0]!, selected)];
  }
  const wallMs = Math.round(performance.now() - started);
  const learner = workspace !== null ? recordHere(ui, workspace, phases, verdicts(reports[0]!, selected), notes.progressUnreadable) : undefined;
  return deliverReport(ui, {
    reporter,
    reports,
    phases,
    selected,
    plan,
    wallMs,
    footer: learner !== undefined ? () => learnerFooter(learner, ui.c) : undefined,
  });
};

function verdicts(dirReport: DirReport, selected: readonly Phase[]): GradedPhase[] {
  return dirReport.runs.map((run, i) => ({ phase: selected[i]!, verdict: run.notSubmitted ? 'missing' : verdict(resultsOf(run)) }));
}

/**
 * Records the check run in the workspace (check-runs.ts). A progress file that cannot be read
 * or written costs the record, never the grading: one note on stderr (none when the default
 * phase already came with a note about the same unreadable file).
 */
function recordHere(ui: Ui, root: string, phases: readonly Phase[], graded: readonly GradedPhase[], alreadyNoted: boolean): LearnerRun {
  let recorded: RecordedRuns | null = null;
  try {
    recorded = recordCheckRuns(root, phases, graded, ui.ctx.now());
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (!alreadyNoted) ui.err(`Note: this check run was not recorded in your progress: ${error.message.split('\n')[0]}`);
  }
  return { graded, recorded, phases };
}

/** The phase, if a positional names one; with --dir, positionals that are folders are more dirs (a shell-expanded glob). */
function splitPositionals(args: ParsedArgs, phases: readonly Phase[], haveDirs: boolean): { phaseArg: string | undefined; extraDirs: string[] } {
  let phaseArg: string | undefined;
  const extraDirs: string[] = [];
  for (const word of args.positionals) {
    let isPhase = false;
    try {
      findPhase(phases, word);
      isPhase = true;
    } catch {
      // not a phase
    }
    if (isPhase && phaseArg === undefined) phaseArg = word;
    else if (haveDirs) extraDirs.push(word);
    else if (phaseArg === undefined) phaseArg = word; // findPhase explains the unknown phase
    else throw new UserError(`Give one phase at most ("${phaseArg}" and "${word}"). To grade several folders, use --dir.`);
  }
  return { phaseArg, extraDirs };
}

function positiveInteger(args: ParsedArgs, name: string): number | undefined {
  const raw = args.values[name];
  if (typeof raw !== 'string') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UserError(`--${name} needs a whole number of at least 1, not "${raw}".`);
  return value;
}

/** The enclosing workspace, or else the folder the command runs in. */
function defaultDir(cwd: string): GradedDir {
  const root = findWorkspace(cwd) ?? cwd;
  return { dir: root, label: relative(cwd, root) || '.' };
}

/**
 * No phase and no --all: in a workspace, its current phase (every phase once finished);
 * elsewhere (a grader's folder), every phase. A damaged progress file does not stop grading.
 */
function defaultPhases(ui: Ui, phases: readonly Phase[], dirs: readonly GradedDir[], notes: { progressUnreadable: boolean }): readonly Phase[] {
  const root = dirs.length === 1 ? findWorkspace(dirs[0]!.dir) : null;
  if (root === null || root !== dirs[0]!.dir) return phases;
  try {
    const progress = readProgress(root, phases.map((p) => p.id));
    return progress.current === null ? phases : [findPhase(phases, progress.current)];
  } catch (error) {
    ui.err(`Note: grading every phase, because the progress file could not be read: ${(error as Error).message.split('\n')[0]}`);
    notes.progressUnreadable = true;
    return phases;
  }
}
