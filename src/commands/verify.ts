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
 * One folder: graded in this process, every phase asked for in one run (learners and CI).
 * Several folders, or --jobs: a batch (src/grading/): the reference solution first as a
 * canary, then each submission in a process of its own, --jobs at a time, within a budget.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import type { CommandResult, CommandRun, ParsedArgs } from './types.ts';
import { findPhase, loadCourse } from '../course/load.ts';
import type { Phase } from '../course/types.ts';
import { UserError } from '../errors.ts';
import { CanaryFailure, gradeBatch, slowCanaryWarning, type BatchEvent } from '../grading/batch.ts';
import { expandDirs, type GradedDir } from '../grading/expand-dirs.ts';
import { applyStarterRule } from '../grading/starter-rule.ts';
import { classroomFilesPerSubmission } from '../report/classroom.ts';
import { isReporter, render, REPORTERS, type ReporterName } from '../report/index.ts';
import { jsonFilesPerSubmission } from '../report/json.ts';
import { exitCodeFor, resultsOf, verdict, type DirReport } from '../report/model.ts';
import { planOutput, writeReport, type OutputPlan } from '../report/output.ts';
import { scoreClass, scoreSubmission, scoreText, submissionStateParts } from '../report/score.ts';
import type { Ui } from '../ui/context.ts';
import { couldNotRunText, failureFooter, NPX, phasePassedText, verifyCommand } from '../ui/messages.ts';
import { runPhasesChecks } from '../ui/run-checks.ts';
import { recordCheckRuns, type GradedPhase, type RecordedRuns } from '../workspace/check-runs.ts';
import { findWorkspace } from '../workspace/find.ts';
import { isPassed } from '../workspace/history.ts';
import { readProgress } from '../workspace/progress.ts';
import { phaseAfterPass } from '../workspace/queue.ts';

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
    const graded = await runBatch(ui, dirs, selected, {
      jobs: jobs ?? Math.max(1, os.availableParallelism()),
      budgetMs: (budgetSeconds ?? defaultBudgetSeconds(selected.length)) * 1000,
      canary: args.values['no-canary'] !== true,
    });
    if (!Array.isArray(graded)) return graded;
    reports = graded;
  } else {
    reports = [await gradeHere(ui, dirs[0]!, selected)];
  }
  const wallMs = Math.round(performance.now() - started);
  const learner = workspace !== null ? recordHere(ui, workspace, phases, verdicts(reports[0]!, selected), notes.progressUnreadable) : undefined;
  return report(ui, reporter, reports, phases, selected, plan, wallMs, learner);
};

/** Learner mode: what was graded, and what the progress file says now (null: it could not be read or written). */
interface LearnerRun {
  readonly graded: readonly GradedPhase[];
  readonly recorded: RecordedRuns | null;
  readonly phases: readonly Phase[];
}

/** How to run the same grading again, when more than one phase was graded. */
const VERIFY_ALL = `${NPX} verify --all`;

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

/**
 * Per submission: generous for a healthy one (a whole course takes ~15 s alone, a few times
 * that with neighbours on a small machine), short enough that one hanging submission cannot
 * hold a class hostage. Each check has its own much shorter deadlines inside.
 */
function defaultBudgetSeconds(phaseCount: number): number {
  return Math.max(60, 30 + 30 * phaseCount);
}

async function gradeHere(ui: Ui, { dir, label }: GradedDir, selected: readonly Phase[]): Promise<DirReport> {
  const folders = label === '.' ? 'this folder' : label;
  // First feedback at once: the checks themselves need a second or more before their first line.
  ui.err(`Running the checks of ${selected.map((p) => p.id).join(', ')} in ${folders} …`);
  const what = selected.length === 1 ? selected[0]!.number : `${selected.length} phases`;
  const started = performance.now();
  const runs = await runPhasesChecks(ui, selected.map((phase) => ({ phase, targetDir: join(dir, phase.id) })), `checking ${what}`);
  return { dir, label, runs: runs.map((run, i) => applyStarterRule(run, selected[i]!)), durationMs: Math.round(performance.now() - started) };
}

async function runBatch(
  ui: Ui,
  dirs: readonly GradedDir[],
  selected: readonly Phase[],
  settings: { jobs: number; budgetMs: number; canary: boolean },
): Promise<DirReport[] | CommandResult> {
  const { ctx } = ui;
  const batchId = ctx.env['LEARN_NODE_HTTP_BATCH_ID'] || randomUUID();
  const tmpRoot = join(os.tmpdir(), `learn-node-http-batch-${batchId.slice(0, 8)}-${process.pid}`);
  const grade = await ctx.loadGrader({
    batchId,
    tmpRoot,
    cacheDir: ctx.env['LEARN_NODE_HTTP_CACHE'] || join(os.tmpdir(), 'learn-node-http-cache'),
    workersPerSubmission: Math.max(2, Math.ceil(6 / settings.jobs)),
  });
  const controller = new AbortController();
  const removeInterrupt = ctx.onInterrupt(() => controller.abort());
  const started = performance.now();
  ui.err(
    `Grading ${dirs.length} folder${dirs.length === 1 ? '' : 's'} (${selected.length === 1 ? selected[0]!.id : `${selected.length} phases`}), ` +
      `${settings.jobs} at a time, at most ${Math.round(settings.budgetMs / 1000)} s each …`,
  );
  if (settings.canary) ui.err('First the reference solution, as a canary: if it fails here, the machine is at fault and nothing is graded.');
  try {
    const reports = await gradeBatch({
      submissions: dirs,
      phases: selected,
      jobs: settings.jobs,
      budgetMs: settings.budgetMs,
      canary: settings.canary,
      grade,
      signal: controller.signal,
      onEvent: (event) => announce(ui, event),
    });
    if (controller.signal.aborted) {
      ui.err('Interrupted: every grading process was stopped and its temp folder removed. No report was written.');
      return { exitCode: 130, exitNow: true };
    }
    ui.err(`Graded ${dirs.length} folder${dirs.length === 1 ? '' : 's'} in ${seconds(performance.now() - started)}.`);
    return reports;
  } catch (error) {
    if (error instanceof CanaryFailure) throw new UserError(error.message);
    throw error;
  } finally {
    removeInterrupt();
    rmSync(tmpRoot, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** One line on stderr per finished submission (and for the canary and retries): progress for a long batch. */
function announce(ui: Ui, event: BatchEvent): void {
  switch (event.type) {
    case 'canary-done': {
      const took = event.report.durationMs ?? 0;
      ui.err(`  canary: the reference solution passes ${scoreText(scoreSubmission(event.report))} checks (${seconds(took)}).`);
      const warning = slowCanaryWarning(took, event.expectedMs);
      if (warning !== null) ui.err(ui.ce.yellow(`  ${warning}`));
      break;
    }
    case 'retrying':
      ui.err(`  ${event.label}: grading again once, because ${event.reason}.`);
      break;
    case 'submission-done': {
      const { report } = event;
      const score = scoreSubmission(report);
      const notes = [...submissionStateParts(score), report.attempts ? 'retried once' : '', report.stoppedReason ? `stopped: ${report.stoppedReason}` : ''].filter(Boolean).join('; ');
      const width = String(event.total).length;
      ui.err(`  [${String(event.done).padStart(width)}/${event.total}] ${report.label}: ${scoreText(score)} (${seconds(report.durationMs ?? 0)})${notes ? ` — ${notes}` : ''}`);
      break;
    }
    case 'progress':
      break;
  }
}

function report(
  ui: Ui,
  reporter: ReporterName,
  reports: readonly DirReport[],
  phases: readonly Phase[],
  selected: readonly Phase[],
  plan: OutputPlan,
  wallMs: number,
  learner: LearnerRun | undefined,
): number {
  const { ctx } = ui;
  const score = scoreClass(reports);
  const summary =
    `${score.passed}/${score.total} checks passed` +
    (score.errored > 0 ? `, ${score.errored} could not run` : '') +
    (score.missing > 0 ? `, ${score.missing} phase folder${score.missing === 1 ? '' : 's'} not submitted` : '') +
    (score.empty > 0 ? ` (${score.empty} empty submission${score.empty === 1 ? '' : 's'})` : '');
  const code = exitCodeFor(reports);
  if (plan.kind === 'folder') {
    const files = reporter === 'classroom' ? classroomFilesPerSubmission(reports, phases) : jsonFilesPerSubmission(reports, phases);
    const written = writeReport(plan, { files }, ctx.cwd, reporter);
    if (written.problem !== undefined) {
      ui.err(written.problem);
      return 2;
    }
    ui.err(`Wrote ${files.length} ${reporter === 'classroom' ? 'classroom' : 'results'}.json files to ${written.where}: ${summary}.`);
    return code;
  }
  const text = render(reporter, reports, phases, selected.map((p) => p.id), reporter === 'pretty' && plan.kind === 'stdout' ? ui.c : new Chalk({ level: 0 }), { wallMs });
  if (plan.kind === 'file') {
    const written = writeReport(plan, { text }, ctx.cwd, reporter);
    if (written.problem !== undefined) {
      ui.err(written.problem);
      return 2;
    }
    ui.err(`Wrote the ${reporter} report for ${reports.length} folder${reports.length === 1 ? '' : 's'} to ${written.where}: ${summary}.`);
  } else {
    ctx.stdout.write(text);
    if (reporter !== 'pretty') ui.err(summary);
  }
  if (reporter === 'pretty' && plan.kind === 'stdout' && learner !== undefined) {
    for (const line of learnerFooter(learner, ui.c)) ui.out(line);
  }
  return code;
}

/**
 * The one next step, after the pretty report of a learner's verify: the current phase passed
 * → `next`; a phase failed → `verify NN`, the command every ✗ above ends with; checks that
 * could not run → the same command again. A phase graded that is not the current one says
 * why its pass was not recorded.
 */
function learnerFooter(learner: LearnerRun, c: ChalkInstance): string[] {
  const { graded, recorded, phases } = learner;
  const progress = recorded?.progress ?? null;
  const lines: string[] = [];
  // With several phases graded (--all), the folders of locked phases are missing as expected:
  // the score counts them, the next step does not.
  const expectedMissing = (g: GradedPhase): boolean => g.verdict === 'missing' && graded.length > 1 && progress !== null && progress.phases[g.phase.id] === undefined;
  const failed = graded.filter((g) => g.verdict === 'fail' || (g.verdict === 'missing' && !expectedMissing(g)));
  const errored = graded.filter((g) => g.verdict === 'error');
  if (errored.length > 0) lines.push(couldNotRunText(errored.length === 1 ? verifyCommand(errored[0]!.phase) : VERIFY_ALL, c));
  if (failed.length === 1) {
    const { phase, verdict: v } = failed[0]!;
    const entry = progress?.phases[phase.id];
    if (v === 'missing' && progress !== null && entry === undefined) {
      lines.push(`Phase ${phase.number} is not unlocked yet${progress.current ? `: your current phase is ${progress.current} (${c.cyan(`${NPX} verify`)})` : ''}.`);
    } else if (v === 'missing' && progress !== null) {
      const restore = progress.current === phase.id ? `${NPX} next` : `${NPX} reset ${phase.number}`;
      lines.push(`There is no ${phase.id}/ folder in your workspace: ${c.cyan(restore)} copies its starter files again.`);
    } else {
      lines.push(...failureFooter(phase, entry !== undefined ? phase.hints.length - entry.hintsUsed : null, c));
    }
  } else if (failed.length > 1) {
    lines.push(`Fix what is marked ${c.red('✗')}, then run ${c.cyan(VERIFY_ALL)}`);
  }
  if (recorded?.passedCurrent) {
    const phase = recorded.passedCurrent;
    if (lines.length > 0) lines.push('');
    lines.push(phasePassedText(phase, phaseAfterPass(phases, recorded.progress, phase) === undefined, c));
  } else if (progress !== null && graded.length === 1 && graded[0]!.verdict === 'pass') {
    const { phase } = graded[0]!;
    const entry = progress.phases[phase.id];
    if (entry === undefined) lines.push(c.dim(`Phase ${phase.number} is not unlocked yet, so nothing was recorded.`));
    else if (!isPassed(entry) && progress.current !== null) {
      lines.push(c.dim(`Phase ${phase.number} is not your current phase (${progress.current}), so only the check run was recorded: next works on ${progress.current}.`));
    }
  }
  return lines;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
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
