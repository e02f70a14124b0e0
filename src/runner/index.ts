/**
 * Runs the hidden checks of one or more phases against learner folders and returns plain
 * results: one PhaseRun per phase.
 *
 * vitest is an implementation detail here (vitest-session.ts is the only module that
 * imports vitest/node): it prints nothing (our reporter collects), and what leaves this
 * module is CheckResult data for the CLI to print.
 *
 * Several phases go into ONE vitest run, their check files side by side in the same
 * workers: `verify --all` pays vitest's start-up once and keeps every worker busy, instead
 * of seven start-ups and seven tails where one slow file holds up the rest. Each check finds
 * its phase's folder from its own file path (checks/_harness/context.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledEntry } from '../../checks/_process/compile-once.ts';
import { ResultCollector } from './collect.ts';
import { isFolder } from './phase-to-run.ts';
import type { CheckResult, PhaseRun, PhaseToRun, ProgressEvent, RunChecksOptions } from './types.ts';
import { VitestSession } from './vitest-session.ts';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Checks mostly wait on child processes and sockets, so a few more workers than cores
 * pays off; past that, starting the workers themselves (each loads vitest and the harness)
 * costs more than it saves. Measured on the 2-core machine, Node 20, 3 runs each, wall time:
 * one phase is fastest with 3 (`verify 01` 4.0 s; 2 workers 4.1 s, 4 workers 5.4 s, 6: 5.3 s;
 * 02, 06 and 07 alike or better with 3 than with 4 or 6); several phases at once gain from
 * more (`verify --all` 24.2 s with 3, 22.6 s with 4, 20.5 s with 6), and 4 is kept there: 6
 * gains 2 s but doubles the servers running side by side on a machine that may be grading.
 * LEARN_NODE_HTTP_MAX_WORKERS overrides it (measuring, a batch sharing the machine, or a
 * machine with many cores).
 */
function defaultMaxWorkers(phases: number): number {
  const fromEnv = Number(process.env.LEARN_NODE_HTTP_MAX_WORKERS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return phases > 1 ? 4 : 3;
}

export async function runChecks(options: RunChecksOptions): Promise<PhaseRun[]> {
  const started = performance.now();
  const present = options.phases.filter((p) => isFolder(p.targetDir));
  const byPhase = new Map<string, CheckResult[]>();
  const spans = new Map<string, number | undefined>();
  if (present.length > 0) {
    const collector = new ResultCollector(
      present.map((p) => ({ phase: p.phaseId, checksDir: p.checksDir, ...(p.lessonSections ? { lessonSections: p.lessonSections } : {}) })),
      PACKAGE_ROOT,
      options.onProgress,
    );
    const session = await sessionFor(present, options);
    let log = '';
    try {
      log = await session.run(collector, async (scratchDir) => {
        // Each phase folder compiled once, here, before the workers start their servers from it.
        for (const p of present) {
          const entry = p.entry.map((name) => path.resolve(p.targetDir, name)).find((file) => existsSync(file));
          if (entry) await compiledEntry(path.resolve(p.targetDir), entry, scratchDir);
        }
      });
    } catch (error) {
      if (options.keepWarm) options.keepWarm.session = undefined;
      await session.close();
      throw error;
    }
    if (options.keepWarm) options.keepWarm.session = session;
    else await session.close();
    for (const [phase, results] of collector.resultsByPhase(log)) {
      byPhase.set(phase, results);
      spans.set(phase, collector.phaseSpanMs(phase));
    }
  }
  const durationMs = Math.round(performance.now() - started);
  return options.phases.map((p): PhaseRun => {
    const targetDir = path.resolve(p.targetDir);
    if (!present.includes(p)) return { phase: p.phaseId, targetDir, results: [], durationMs: 0, notSubmitted: true };
    // One phase: the whole run, start-up included (what the learner waited). Several: each
    // phase's own span, since they overlap.
    const own = present.length === 1 ? durationMs : (spans.get(p.phaseId) ?? durationMs);
    return { phase: p.phaseId, targetDir, results: byPhase.get(p.phaseId) ?? [], durationMs: own };
  });
}

/** One phase: the shape most callers (next, watch, the tests' helpers) want. */
export async function runPhaseChecks(options: PhaseToRun & { readonly onProgress?: (event: ProgressEvent) => void }): Promise<PhaseRun> {
  const [run] = await runChecks({ phases: [options], ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  return run!;
}

export type { CheckResult, PhaseRun, ProgressEvent };

/** The session `keepWarm` holds if it was opened for these phases, else a new one (closing the one held). */
async function sessionFor(phases: readonly PhaseToRun[], options: RunChecksOptions): Promise<VitestSession> {
  const maxWorkers = options.maxWorkers ?? defaultMaxWorkers(phases.length);
  const held = options.keepWarm?.session;
  if (held instanceof VitestSession && held.key === VitestSession.key(phases, maxWorkers)) return held;
  if (options.keepWarm) options.keepWarm.session = undefined;
  await held?.close();
  return VitestSession.open(phases, maxWorkers);
}
