/**
 * argv → command → exit code, with the one top-level catch of the program:
 *  - UserError: the user can fix it; print the sentence alone (no stack) and exit with its code.
 *  - CourseFormatError: the shipped course content is broken; say so and ask for a report.
 *  - anything else: our bug; print the stack and ask for a report. Exit 2.
 * This file is the only place that sets the process exit code or exits, apart from
 * interrupt.ts, which ends an interrupted command (exit 130 or 143).
 */
import { COMMANDS, parseInvocation, runsChecks } from './cli.ts';
import { CourseFormatError } from './course/load.ts';
import { packageManifest } from './course/paths.ts';
import { UserError } from './errors.ts';
import { startSession, type Session } from './interrupt.ts';
import { makeUi, processContext, type CommandContext } from './ui/context.ts';
import { makeChalk } from './ui/style.ts';

const REPORT = 'This is a bug in learn-node-http. Please report it with the command you ran, your Node.js version and the output above.';

export interface MainResult {
  readonly exitCode: number;
  readonly exitNow: boolean;
}

/** Runs one invocation. Never throws: every failure becomes a message on stderr and an exit code. */
export async function main(argv: readonly string[], ctx: CommandContext): Promise<MainResult> {
  const ui = makeUi(ctx);
  try {
    const invocation = parseInvocation(argv);
    switch (invocation.kind) {
      case 'version':
        ui.out(packageManifest().version);
        return { exitCode: 0, exitNow: false };
      case 'help':
        ctx.stdout.write(invocation.text);
        return { exitCode: 0, exitNow: false };
      case 'command': {
        const { run } = await invocation.spec.load();
        const result = await run(invocation.args, ui);
        return typeof result === 'number' ? { exitCode: result, exitNow: false } : { exitCode: result.exitCode, exitNow: true };
      }
    }
  } catch (error) {
    return { exitCode: reportError(error, ctx), exitNow: false };
  }
}

function reportError(error: unknown, ctx: CommandContext): number {
  const c = makeChalk(ctx.stderr, ctx.env);
  if (error instanceof UserError) {
    ctx.stderr.write(`${c.red('Error:')} ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof CourseFormatError) {
    ctx.stderr.write(`${c.red('The course content shipped in this package is broken:')} ${error.message}\n${REPORT}\n`);
    return 2;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  ctx.stderr.write(`${c.red('Unexpected error:')} ${detail}\n${REPORT}\n`);
  return 2;
}

/** Entry point used by bin/learn-node-http.js. */
export async function start(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // `learn-node-http status | head`: the reader left, so there is nobody to tell; stop quietly
  // instead of crashing with an unhandled EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  let session: Session | undefined;
  if (runsChecks(argv)) {
    try {
      session = startSession((line) => void process.stderr.write(`${line}\n`));
    } catch (error) {
      process.exitCode = reportError(error, processContext());
      return;
    }
  }
  const ctx = processContext();
  const result = await main(argv, session ? { ...ctx, onInterrupt: session.onInterrupt(ctx.onInterrupt) } : ctx);
  // A batch stopped by SIGTERM says 130 like for Ctrl-C; the shell convention is 128 + signal.
  const interrupted = session?.exitCode();
  if (interrupted != null && result.exitCode === 130) process.exitCode = interrupted;
  else process.exitCode = result.exitCode;
  // Normally the event loop drains and Node exits by itself (flushing stdout); `watch` asks
  // to stop at once after Ctrl-C, abandoning a check run that may still be in flight.
  if (result.exitNow) process.exit(process.exitCode);
}

/** Exposed for tests that want every command name. */
export const commandNames = COMMANDS.map((c) => c.name);
