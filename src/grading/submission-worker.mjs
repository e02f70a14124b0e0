// The process that grades ONE submission for a batch (`verify` with several folders).
// Started by grade-in-child.ts with an IPC channel; receives its job as the first message,
// streams progress, sends the PhaseRuns and exits. Plain JavaScript for the same reason as
// bin/learn-node-http.js: vitest/node must be imported before tsx registers its hooks
// (under the hooks the import costs ~1 s instead of ~0.3 s on Node 20).
import 'vitest/node';
import { register } from 'tsx/esm/api';

register();
await import('./submission-worker.ts');
