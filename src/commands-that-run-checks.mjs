// Which commands run the hidden checks. Plain JavaScript beside the command table (cli.ts),
// because bin/learn-node-http.js must know it before TypeScript can be loaded: those
// commands get vitest/node imported before tsx registers its hooks (see boot.mjs).
// cli.ts re-exports this; test/cli/commands-that-run-checks.test.ts checks that every name
// is a command and that exactly these commands' code reaches the runner.

export const COMMANDS_THAT_RUN_CHECKS = Object.freeze(['next', 'verify', 'watch']);

/** True for an invocation that will run checks: one of those commands, and not its --help. */
export function runsChecks(argv) {
  return COMMANDS_THAT_RUN_CHECKS.includes(argv[0] ?? '') && !argv.includes('--help') && !argv.includes('-h');
}
