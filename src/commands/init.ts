/** `init [dir]`: create a workspace (editor files, progress file, first phase). Never overwrites. */
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CommandRun } from './types.ts';
import { loadCourse } from '../course/load.ts';
import { UserError } from '../errors.ts';
import { NPX, phaseStartText, writeReportText } from '../ui/messages.ts';
import { PROGRESS_FILE } from '../workspace/progress.ts';
import { createWorkspaceFiles, progressFromFolders, scaffoldPhase } from '../workspace/scaffold.ts';

export const run: CommandRun = async (args, ui) => {
  const { ctx, c } = ui;
  const phases = loadCourse(ctx.courseRoot);
  const root = resolve(ctx.cwd, args.positionals[0] ?? '.');
  if (existsSync(root) && !statSync(root).isDirectory()) {
    throw new UserError(`${root} exists and is not a folder; choose another name: ${NPX} init my-course`);
  }
  const shown = relative(ctx.cwd, root) || '.';
  if (existsSync(join(root, PROGRESS_FILE))) {
    ui.out(`${shown} is already a learn-node-http workspace (it has ${PROGRESS_FILE}); nothing to create.`);
    ui.out(`See where you are: ${c.cyan(`${NPX} status`)}${shown === '.' ? '' : ` (inside ${shown})`}`);
    return 0;
  }
  // Phase folders but no progress file (it was deleted): rebuild the record from them.
  const rebuilt = progressFromFolders(root, phases, ctx.now());
  if (rebuilt !== null) {
    const current = phases.find((p) => p.id === rebuilt.current)!;
    const files = createWorkspaceFiles(root, current, ctx.now(), rebuilt);
    const phase = scaffoldPhase(root, current);
    const unlocked = Object.keys(rebuilt.phases);
    ui.out(`Rebuilt ${PROGRESS_FILE} from the phase folders in ${shown === '.' ? 'this folder' : shown} (no file of yours was changed):`);
    ui.out(writeReportText({ created: [...files.created, ...phase.created], skipped: [...files.skipped, ...phase.skipped] }, c));
    ui.out(`Unlocked: ${unlocked.join(', ')}; current phase: ${current.id}. Attempts, hints and quiz answers from before are not known.`);
    if (shown !== '.') ui.out(`First: ${c.cyan(`cd ${shown}`)}`);
    ui.out(`See which phases pass: ${c.cyan(`${NPX} verify --all`)}   then carry on: ${c.cyan(`${NPX} next`)}`);
    return 0;
  }
  const first = phases[0]!;
  const files = createWorkspaceFiles(root, first, ctx.now());
  const phase = scaffoldPhase(root, first);
  ui.out(`Created a learn-node-http workspace in ${shown === '.' ? 'this folder' : shown}:`);
  ui.out(writeReportText({ created: [...files.created, ...phase.created], skipped: [...files.skipped, ...phase.skipped] }, c));
  ui.out('');
  if (shown !== '.') ui.out(`First: ${c.cyan(`cd ${shown}`)}`);
  ui.out(`To run your server by hand (npx tsx …) and for editor types: ${c.cyan('npm install')} once (the checks themselves need nothing)`);
  ui.out('');
  ui.out(phaseStartText(first, root, root, c));
  return 0;
};
