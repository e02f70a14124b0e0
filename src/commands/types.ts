/**
 * The contract between the command table (cli.ts) and each command: what a command gets
 * (its parsed arguments and the Ui) and what it gives back. A leaf module, so cli.ts can
 * load the commands and the commands can name these types without an import cycle.
 */
import type { Ui } from '../ui/context.ts';

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
}

/** A command resolves to its exit code, or asks main to exit at once (watch after Ctrl-C). */
export type CommandResult = number | { readonly exitCode: number; readonly exitNow: true };
export type CommandRun = (args: ParsedArgs, ui: Ui) => Promise<CommandResult>;
