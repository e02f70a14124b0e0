// The process that grades ONE submission for a batch (`verify` with several folders).
// Started by grade-in-child.ts with an IPC channel; receives its job as the first message,
// streams progress, sends the PhaseRuns and exits. Plain JavaScript, so that vitest/node is
// imported before tsx is registered (why: ../boot.mjs).
import { registerTypeScript } from '../boot.mjs';

await registerTypeScript({ preloadVitest: true });
await import('./submission-worker.ts');
