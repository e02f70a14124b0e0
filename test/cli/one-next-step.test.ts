/**
 * One next step, everywhere: `verify NN` checks your work (every failure ends with it, in
 * next and verify alike), and once the current phase passes, `next` asks its quick check and
 * unlocks the next phase. `verify` in a workspace (no --dir) records its check runs like
 * `next` does, and the pass of the current phase, so `next` does not run the checks again;
 * with --dir or outside a workspace it never writes. `watch` re-runs on save, so it never
 * tells the learner to run a command after a failure. In-process, with the fake runner.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS, commandHelp, globalHelp } from '../../src/cli.ts';
import { main } from '../../src/main.ts';
import type { PhaseRun } from '../../src/runner/types.ts';
import type { RunChecks } from '../../src/ui/context.ts';
import { PROGRESS_FILE, type Progress } from '../../src/workspace/progress.ts';
import { FIRST, SECOND, fakeRunner, fixtureCourse, removeTempDirs, result, runCli, tempDir, watchContext, writeFiles, type FakeRunnerCall } from './helpers.ts';
import { answersFor } from './quiz-order.ts';

afterAll(removeTempDirs);

let courseRoot: string;
let ws: string;
const cli = (argv: string[], runner: RunChecks = fakeRunner(), cwd = ws) => runCli(argv, { cwd, courseRoot, runner });
const progressText = (): string => readFileSync(join(ws, PROGRESS_FILE), 'utf8');
const progress = (): Progress => JSON.parse(progressText()) as Progress;
const solve = (phase: string): void => writeFileSync(join(ws, phase, 'server.ts'), '// solved by the learner\n');
const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1)!;

beforeEach(async () => {
  courseRoot = fixtureCourse();
  ws = tempDir('lnh-step-');
  expect((await cli(['next'])).code).toBe(0);
});

afterEach(() => {
  chmodSync(ws, 0o755);
});

describe('verify in a workspace (learner mode)', () => {
  it('records a failed check run as an attempt, and ends with the one command to run: verify NN', async () => {
    const calls: FakeRunnerCall[] = [];
    const r = await cli(['verify'], fakeRunner(calls));
    expect(r.code).toBe(1);
    expect(calls.map((c) => c.phaseId)).toEqual([FIRST]);
    expect(progress().phases[FIRST]).toMatchObject({ attempts: 1, passedAt: null });
    expect(progress().phases[FIRST]!.history).toBeUndefined();
    expect(lastLine(r.stdout)).toBe('Fix what is marked ✗, then run npx learn-node-http verify 01');
    expect(r.stdout).toMatch(/Stuck\? npx learn-node-http hint \(3 hints left\)/);
    // From inside the phase folder too: the same workspace, the same record.
    await cli(['verify', '01'], fakeRunner(), join(ws, FIRST));
    expect(progress().phases[FIRST]!.attempts).toBe(2);
  });

  it('next ends a failure with the same command as verify', async () => {
    const viaNext = await cli(['next']);
    const viaVerify = await cli(['verify']);
    expect(lastLine(viaNext.stdout)).toBe('Fix what is marked ✗, then run npx learn-node-http verify 01');
    expect(lastLine(viaVerify.stdout)).toBe(lastLine(viaNext.stdout));
    expect(viaNext.stdout).not.toMatch(/next again/);
    expect(progress().phases[FIRST]!.attempts).toBe(2);
  });

  it('a passing verify records the pass and says so; the following next unlocks without running the checks', async () => {
    solve(FIRST);
    const pass = await cli(['verify']);
    expect(pass.code).toBe(0);
    expect(lastLine(pass.stdout)).toBe('Phase 01 passed: run npx learn-node-http next for the quick check and the next phase');
    expect(progress().phases[FIRST]).toMatchObject({ attempts: 1, passedAt: '2026-11-23T10:00:00.000Z', history: [{ event: 'passed', at: '2026-11-23T10:00:00.000Z' }] });
    expect(progress().current).toBe(FIRST);
    // status agrees: passed, and the next step is next.
    const status = await cli(['status']);
    expect(status.stdout).toMatch(/✓ 01-first-steps .* passed 2026-11-23 · 1 check run,/);
    expect(lastLine(status.stdout)).toBe('Phase 01 passed: run npx learn-node-http next for the quick check and the next phase');

    const calls: FakeRunnerCall[] = [];
    const next = await cli(['next', '--answers', answersFor(ws, courseRoot, FIRST, [1, 0])], fakeRunner(calls));
    expect(next.code).toBe(0);
    expect(calls).toHaveLength(0);
    expect(next.stdout).toContain('Phase 01 passed.');
    expect(next.stdout).toContain('Quiz score: 2/2');
    expect(next.stdout).toContain('Unlocked phase 02.');
    const p = progress();
    expect(p.current).toBe(SECOND);
    // No check ran, so no attempt was added; the pass is recorded once.
    expect(p.phases[FIRST]).toMatchObject({ attempts: 1, quiz: { score: 2, total: 2 } });
    expect(p.phases[FIRST]!.history).toHaveLength(1);
  });

  it('the completion summary and status count every check run, next and verify alike', async () => {
    await cli(['verify']); // 01: fail
    await cli(['next']); // 01: fail
    solve(FIRST);
    await cli(['verify']); // 01: pass
    await cli(['next', '--answers', answersFor(ws, courseRoot, FIRST, [1, 0])]); // no run
    await cli(['verify']); // 02: fail
    solve(SECOND);
    await cli(['verify', '02']); // 02: pass
    const last = await cli(['next', '--answers', answersFor(ws, courseRoot, SECOND, [1, 0])]);
    expect(last.stdout).toContain('You finished every phase');
    expect(last.stdout).toMatch(/01-first-steps: 3 attempts/);
    expect(last.stdout).toMatch(/02-second-steps: 2 attempts/);
    expect(last.stdout).toMatch(/check runs: 5 ·/);
  });

  it('the last phase passing says the next step ends the course', async () => {
    solve(FIRST);
    await cli(['next', '--answers', answersFor(ws, courseRoot, FIRST, [1, 0])]);
    solve(SECOND);
    const r = await cli(['verify']);
    expect(lastLine(r.stdout)).toBe('Phase 02 passed: run npx learn-node-http next for the quick check and the end of the course');
  });

  it('a phase that is not the current one gets its check run recorded, never a pass', async () => {
    solve(FIRST);
    await cli(['next', '--answers', answersFor(ws, courseRoot, FIRST, [1, 0])]);
    // Reset 01: it is current again (starter back), 02 stays unlocked and not passed.
    await cli(['reset', '01']);
    expect(progress().current).toBe(FIRST);
    solve(SECOND);
    const before = progress().phases[SECOND]!;
    const r = await cli(['verify', '02']);
    expect(r.code).toBe(0);
    const after = progress().phases[SECOND]!;
    expect(after.attempts).toBe(before.attempts + 1);
    expect(after.passedAt).toBeNull();
    expect(after.history).toBeUndefined();
    expect(r.stdout).toContain('Phase 02 is not your current phase (01-first-steps), so only the check run was recorded');
    expect(r.stdout).not.toContain('Phase 02 passed:');
    // A failing run of the current phase after that names the current phase's command.
    const current = await cli(['verify']);
    expect(lastLine(current.stdout)).toBe('Fix what is marked ✗, then run npx learn-node-http verify 01');
  });

  it('verify --all in a workspace records every unlocked phase it ran, and the pass of the current one only', async () => {
    solve(FIRST);
    await cli(['next', '--answers', answersFor(ws, courseRoot, FIRST, [1, 0])]);
    solve(SECOND);
    const before = progress();
    const r = await cli(['verify', '--all']);
    expect(r.code).toBe(0);
    const after = progress();
    expect(after.phases[FIRST]!.attempts).toBe(before.phases[FIRST]!.attempts + 1);
    expect(after.phases[FIRST]!.history).toEqual(before.phases[FIRST]!.history);
    expect(after.phases[SECOND]).toMatchObject({ attempts: 1, passedAt: '2026-11-23T10:00:00.000Z' });
    expect(lastLine(r.stdout)).toMatch(/^Phase 02 passed: run npx learn-node-http next/);
  });

  it('verify --all: a locked phase is graded (not submitted) but not recorded, and is not the next step', async () => {
    solve(FIRST);
    const r = await cli(['verify', '--all']);
    expect(r.code).toBe(1); // the score counts the missing phase, as for an instructor
    expect(r.stdout).toContain(`Not submitted: there is no folder ${SECOND}/`);
    expect(r.stdout).not.toContain('Fix what is marked');
    expect(lastLine(r.stdout)).toBe('Phase 01 passed: run npx learn-node-http next for the quick check and the next phase');
    expect(progress().phases[FIRST]!.attempts).toBe(1);
    expect(progress().phases[SECOND]).toBeUndefined();
    // Asked for by name, the locked phase says what to do instead.
    const locked = await cli(['verify', '02']);
    expect(locked.code).toBe(1);
    expect(lastLine(locked.stdout)).toBe(`Phase 02 is not unlocked yet: your current phase is ${FIRST} (npx learn-node-http verify).`);
  });

  it('a workspace it cannot write: grading goes ahead, one note says the run was not recorded, the verdict is the exit code', async () => {
    const before = progressText();
    chmodSync(ws, 0o555);
    const r = await cli(['verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ The beta check');
    expect(r.stderr).toMatch(/Note: this check run was not recorded in your progress: The workspace folder .* is read-only/);
    chmodSync(ws, 0o755);
    expect(progressText()).toBe(before);
  });
});

describe('verify in instructor mode never writes a progress file', () => {
  it('--dir pointing at a workspace (from inside it or from outside) grades it and leaves the file byte for byte', async () => {
    solve(FIRST);
    const before = progressText();
    for (const [argv, cwd] of [
      [['verify', '--dir', '.'], ws],
      [['verify', '01', '--dir', ws], tempDir()],
      [['verify', '--all', '--dir', ws, '--reporter', 'json'], tempDir()],
    ] as const) {
      const calls: FakeRunnerCall[] = [];
      const r = await cli([...argv], fakeRunner(calls), cwd);
      expect(calls.length, argv.join(' ')).toBeGreaterThan(0);
      expect(r.stdout, argv.join(' ')).not.toMatch(/Phase 01 passed:|Fix what is marked/);
      expect(progressText(), argv.join(' ')).toBe(before);
    }
  });

  it('several folders (a batch) and a folder outside any workspace: nothing written, no progress file created', async () => {
    const before = progressText();
    const top = tempDir();
    writeFiles(top, { [`alice/${FIRST}/server.ts`]: '// solved\n' });
    const batch = await cli(['verify', '--all', '--dir', ws, '--dir', join(top, 'alice'), '--reporter', 'csv'], fakeRunner(), top);
    expect(batch.code).toBe(1);
    expect(progressText()).toBe(before);
    const outside = await cli(['verify', '01'], fakeRunner(), join(top, 'alice'));
    expect(outside.code).toBe(0);
    expect(outside.stdout).not.toMatch(/passed: run|Fix what is marked/);
    expect(existsSync(join(top, 'alice', PROGRESS_FILE))).toBe(false);
  });
});

describe('watch', () => {
  it('never tells the learner to run a command after a failure: watch re-runs on save', async () => {
    const message = [
      'Sent:     curl -i http://localhost:3000/nope',
      'Expected: status 404',
      'Got:      status 200',
      'Usually:  the fallback branch never sets a status',
      'Read:     "Alpha" in 01-first-steps/LESSON.md',
      'Then run: npx learn-node-http verify 01',
    ].join('\n');
    const runner: RunChecks = async ({ phases, onProgress }) => {
      const [target] = phases;
      const beta = result(target!.phaseId, 'beta', 'fail', message);
      const late = { ...result(target!.phaseId, 'broad', 'fail', message), title: 'A result without an event' };
      onProgress?.({ type: 'check-start', phase: beta.phase, title: beta.title, group: beta.group });
      onProgress?.({ type: 'check-end', result: beta });
      const run: PhaseRun = { phase: target!.phaseId, targetDir: target!.targetDir, results: [beta, late], durationMs: 10 };
      return [run];
    };
    const { ctx, output, interrupt } = watchContext(ws, courseRoot, runner);
    const before = progressText();
    const outcome = main(['watch'], ctx);
    const deadline = Date.now() + 10_000;
    while (!output.stdout.includes('Waiting for you to save') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    interrupt();
    await outcome;
    expect(output.stdout).toContain('✗ The beta check');
    expect(output.stdout).toContain('A result without an event');
    expect(output.stdout).not.toMatch(/Then run: npx/);
    expect(output.stdout).not.toMatch(/verify 01/);
    expect(output.stdout.match(/Then: {5}save a file to re-run the checks/g)).toHaveLength(2);
    expect(progressText()).toBe(before); // watch records nothing
  });
});

describe('--help', () => {
  it('presents verify as the learner command that checks their work, not only for instructors and CI', () => {
    const verify = COMMANDS.find((c) => c.name === 'verify')!;
    const line = globalHelp().split('\n').find((l) => l.trimStart().startsWith('verify'))!;
    expect(line).not.toMatch(/for instructors and CI\)$/);
    expect(line).toMatch(/check your work/);
    expect(globalHelp()).toMatch(/npx learn-node-http verify`? until it passes/);
    const help = commandHelp(verify);
    expect(help).toMatch(/^Learners:/m);
    expect(help.replace(/\s+/g, ' ')).toMatch(/records the check run in the progress file/);
    expect(help.replace(/\s+/g, ' ')).toMatch(/With --dir, or outside a workspace, verify never writes a progress file/);
    expect(help).toContain('npx learn-node-http verify\n');
  });
});
