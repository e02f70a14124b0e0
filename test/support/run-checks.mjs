// Runs one phase's checks on one folder, in a process of its own, and prints the
// PhaseRun as JSON on stdout. The proof tests call this instead of nesting vitest
// inside vitest.
//
// Usage: node test/support/run-checks.mjs <phaseId> <targetDir> [--progress] [--checks <dir>]
// (--checks runs another folder of checks, e.g. the runner's own fixtures.)
// Plain JavaScript, so that vitest/node is imported before tsx is registered (why: src/boot.mjs).
import { readFileSync } from 'node:fs';
import { registerTypeScript } from '../../src/boot.mjs';

await registerTypeScript({ preloadVitest: true });
const [phaseId, targetDir, ...flags] = process.argv.slice(2);
const checksIndex = flags.indexOf('--checks');
if (!phaseId || !targetDir) {
  process.stderr.write('usage: run-checks.mjs <phaseId> <targetDir> [--progress]\n');
  process.exit(2);
}
const root = new URL('../../', import.meta.url);
const { runPhaseChecks } = await import(new URL('src/runner/index.ts', root).href);

let entry = ['main.ts', 'server.ts'];
let lessonSections = {};
try {
  const phase = JSON.parse(readFileSync(new URL(`phases/${phaseId}/phase.json`, root), 'utf8'));
  entry = phase.entry ?? entry;
  lessonSections = Object.fromEntries((phase.groups ?? []).map((group) => [group.id, group.lessonSection]));
} catch {
  // phase.json not written yet (the runner's own fixtures): the contract's entry order, no sections.
}

const run = await runPhaseChecks({
  phaseId,
  checksDir: checksIndex >= 0 ? flags[checksIndex + 1] : new URL(`checks/${phaseId}/`, root).pathname,
  targetDir,
  entry,
  lessonSections,
  onProgress: flags.includes('--progress') ? (event) => process.stderr.write(`${JSON.stringify(event)}\n`) : undefined,
});
process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
