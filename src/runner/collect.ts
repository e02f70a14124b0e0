/**
 * A vitest reporter that turns test cases into CheckResults and progress events.
 *
 * Mapping: the describe block is the check group, the test name is the title the
 * learner reads. Errors arrive serialised (plain objects), so the status comes from
 * the error's `name`: CheckFailure (and vitest's AssertionError) mean the learner's
 * server misbehaved; anything else (InfraError, a timeout of the check itself, a bug in
 * a check) means the check could not reach a verdict, which is reported as "error".
 */
import path from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { withAdvice } from './advice.ts';
import type { CheckResult, CheckStatus, ProgressEvent } from './types.ts';

const LEARNER_FAULT = new Set(['CheckFailure', 'ServerStartFailure', 'AssertionError']);

interface SerializedErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly stack?: string;
}

/** A phase graded in the run, and the folder its check files live in. */
export interface CollectedPhase {
  readonly phase: string;
  readonly checksDir: string;
  readonly lessonSections?: Readonly<Record<string, string>>;
}

export class ResultCollector implements Reporter {
  private readonly byTestId = new Map<string, CheckResult>();
  private modules: readonly TestModule[] = [];
  private unhandled: readonly SerializedErrorLike[] = [];
  private readonly phases: readonly CollectedPhase[];
  /** Per phase: when its first check started and its last one ended (performance.now()). */
  private readonly spans = new Map<string, { start: number; end: number }>();

  constructor(
    phases: readonly CollectedPhase[],
    private readonly packageRoot: string,
    private readonly onProgress?: (event: ProgressEvent) => void,
  ) {
    if (phases.length === 0) throw new Error('ResultCollector needs at least one phase');
    this.phases = phases.map((p) => ({ ...p, checksDir: path.resolve(p.checksDir) + path.sep }));
  }

  /** The phase whose checks folder holds this module (the first phase if none does). */
  private phaseOf(moduleId: string): string {
    return this.collectedPhaseOf(moduleId).phase;
  }

  private collectedPhaseOf(moduleId: string): CollectedPhase {
    const file = path.resolve(moduleId);
    return this.phases.find((p) => file.startsWith(p.checksDir)) ?? this.phases[0]!;
  }

  onTestCaseReady(testCase: TestCase): void {
    const phase = this.phaseOf(testCase.module.moduleId);
    const now = performance.now();
    const span = this.spans.get(phase);
    if (span === undefined) this.spans.set(phase, { start: now, end: now });
    else span.start = Math.min(span.start, now);
    this.onProgress?.({ type: 'check-start', phase: this.phaseOf(testCase.module.moduleId), title: testCase.name, group: groupOf(testCase) });
  }

  onTestCaseResult(testCase: TestCase): void {
    const result = this.toResult(testCase);
    this.byTestId.set(testCase.id, result);
    const span = this.spans.get(result.phase);
    if (span !== undefined) span.end = Math.max(span.end, performance.now());
    this.onProgress?.({ type: 'check-end', result });
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedErrorLike>): void {
    this.modules = modules;
    this.unhandled = unhandledErrors;
  }

  /** Wall time from a phase's first check starting to its last one ending (phases run side by side). */
  phaseSpanMs(phase: string): number | undefined {
    const span = this.spans.get(phase);
    return span === undefined ? undefined : Math.round(span.end - span.start);
  }

  /**
   * Results per phase, in a stable order: check files by name, tests in the order they are
   * written. Errors that belong to no check file (unhandled ones) go to the first phase.
   */
  resultsByPhase(vitestLog: string): Map<string, CheckResult[]> {
    const byPhase = new Map<string, CheckResult[]>(this.phases.map((p) => [p.phase, []]));
    const modules = [...this.modules].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
    for (const module of modules) {
      const results = byPhase.get(this.phaseOf(module.moduleId))!;
      const tests = [...module.children.allTests()];
      for (const testCase of tests) results.push(this.byTestId.get(testCase.id) ?? this.toResult(testCase));
      const loadErrors = module.errors();
      if (loadErrors.length > 0) results.push(this.moduleError(module, loadErrors));
    }
    const first = this.phases[0]!.phase;
    for (const error of this.unhandled) {
      byPhase.get(first)!.push({
        phase: first,
        id: 'unhandled-error',
        group: 'checks',
        title: 'The checks ran without unexpected errors',
        status: 'error',
        message: infraMessage(error),
        durationMs: 0,
        file: '',
      });
    }
    for (const [phase, results] of byPhase) {
      if (results.length > 0) continue;
      results.push({
        phase,
        id: 'no-checks',
        group: 'checks',
        title: 'The phase has checks to run',
        status: 'error',
        message: `No checks ran for ${phase}. This is a bug in the course, please report it.\n${vitestLog.trim()}`.trim(),
        durationMs: 0,
        file: '',
      });
    }
    return byPhase;
  }

  private toResult(testCase: TestCase): CheckResult {
    const outcome = testCase.result();
    const file = this.relativeFile(testCase.module.moduleId);
    const stem = path.basename(file).replace(/\.check\.ts$/, '');
    const siblings = [...testCase.module.children.allTests()].length;
    const meta = testCase.meta() as { serverOutput?: unknown; checkId?: unknown };
    let status: CheckStatus;
    let message = '';
    let serverDidNotStart = false;
    if (outcome.state === 'passed') {
      status = 'pass';
    } else if (outcome.state === 'skipped' || outcome.state === 'pending') {
      status = 'skip';
      message = outcome.state === 'skipped' ? (outcome.note ?? '') : '';
    } else {
      const error: SerializedErrorLike = outcome.errors[0] ?? {};
      status = LEARNER_FAULT.has(error.name ?? '') ? 'fail' : 'error';
      serverDidNotStart = error.name === 'ServerStartFailure';
      const { phase, lessonSections } = this.collectedPhaseOf(testCase.module.moduleId);
      message =
        status === 'fail' ? withAdvice(error.message ?? '', { phase, group: groupOf(testCase), serverDidNotStart, ...(lessonSections ? { lessonSections } : {}) }) : infraMessage(error);
    }
    return {
      phase: this.phaseOf(testCase.module.moduleId),
      // The id a check declares (checks/_harness/check.ts); the runner's own fixtures still use bare test().
      id: typeof meta.checkId === 'string' ? meta.checkId : siblings > 1 ? `${stem}/${slug(testCase.name)}` : stem,
      group: groupOf(testCase),
      title: testCase.name,
      status,
      message,
      durationMs: Math.round(testCase.diagnostic()?.duration ?? 0),
      ...(serverDidNotStart ? { cause: 'server-did-not-start' as const } : {}),
      ...(status !== 'pass' && typeof meta.serverOutput === 'string' && meta.serverOutput ? { output: meta.serverOutput } : {}),
      file,
    };
  }

  private moduleError(module: TestModule, errors: readonly SerializedErrorLike[]): CheckResult {
    const file = this.relativeFile(module.moduleId);
    return {
      phase: this.phaseOf(module.moduleId),
      id: path.basename(file).replace(/\.check\.ts$/, ''),
      group: 'checks',
      title: `The check file ${path.basename(file)} loads`,
      status: 'error',
      message: errors.map(infraMessage).join('\n\n'),
      durationMs: 0,
      file,
    };
  }

  private relativeFile(moduleId: string): string {
    return path.relative(this.packageRoot, moduleId).split(path.sep).join('/');
  }
}

/** The outermost describe block: the check group id. */
function groupOf(testCase: TestCase): string {
  let group = '';
  let parent: TestCase['parent'] = testCase.parent;
  while (parent.type === 'suite') {
    group = parent.name;
    parent = parent.parent;
  }
  return group;
}

function infraMessage(error: SerializedErrorLike): string {
  if (error.name === 'InfraError') return error.message ?? 'The check could not run.';
  const firstFrames = (error.stack ?? '').split('\n').slice(1, 4).join('\n');
  return [
    `The check could not reach a verdict (${error.name ?? 'Error'}: ${error.message ?? 'no message'}).`,
    'This is not about your code: it is a problem in the course or on this machine. Please report it with this message.',
    firstFrames,
  ]
    .filter(Boolean)
    .join('\n');
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
