// Types for commands-that-run-checks.mjs (plain JavaScript so that the bin can read it before tsx is registered).
export declare const COMMANDS_THAT_RUN_CHECKS: readonly string[];
export declare function runsChecks(argv: readonly string[]): boolean;
