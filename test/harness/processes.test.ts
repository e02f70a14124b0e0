/**
 * The child-process layer against real tiny programs: the memory ceiling stops a process
 * group that grows without bound (and only that), an output flood is drained without
 * blocking the child and kept as a bounded tail that says it was cut, and the marker sweep
 * kills a detached grandchild that the process-group kill cannot reach.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { watchedGroupCount } from '../../checks/_process/memory-watch.ts';
import { OutputTail } from '../../checks/_process/output-tail.ts';
import { launch, SERVER_MARKER, stopAll, type ChildHandle } from '../../checks/_process/processes.ts';
import { processesWithEnv, sweepProcessesWithEnv } from '../../checks/_process/sweep.ts';

const started: ChildHandle[] = [];
const strays: number[] = [];
const savedLimit = process.env.LEARN_NODE_HTTP_SERVER_MEMORY_MB;

beforeEach(() => {
  delete process.env.LEARN_NODE_HTTP_SERVER_MEMORY_MB;
});

afterEach(async () => {
  await stopAll(started.splice(0));
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  if (savedLimit === undefined) delete process.env.LEARN_NODE_HTTP_SERVER_MEMORY_MB;
  else process.env.LEARN_NODE_HTTP_SERVER_MEMORY_MB = savedLimit;
});

function run(code: string): ChildHandle {
  const handle = launch(['-e', code], { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '' } });
  started.push(handle);
  return handle;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}

const POSIX = process.platform !== 'win32';

// Grows 16 MB at a time, filled so the pages are really resident, and says how far it got.
const GROW = `const hoard = []; setInterval(() => { hoard.push(Buffer.alloc(16 * 1024 * 1024, 1)); console.log('MB', hoard.length * 16); }, 20);`;

describe.runIf(POSIX)('memory ceiling', () => {

  test('a process group over the limit is stopped, and its exit and tail say why', async () => {
    process.env.LEARN_NODE_HTTP_SERVER_MEMORY_MB = '200';
    const child = run(GROW);
    const exit = await child.waitForExit(20_000);
    expect(exit, child.tail()).toBeDefined();
    expect(exit!.signal).toBe('SIGKILL');
    expect(exit!.stoppedBecause).toMatch(/^was stopped by the checks after [\d.]+ s: it \(and what it started\) used more than 200 MB of resident memory$/);
    // Rounded to whole MB, so a measurement just over the limit can read as the limit itself.
    expect(child.memoryExceeded?.rssMb).toBeGreaterThanOrEqual(200);
    expect(child.tail()).toMatch(/\[learn-node-http\] Your server \(and what it started\) used more than 200 MB of resident memory \(\d+ MB when measured\), so it was stopped after [\d.]+ s\./);
    // The sampler stops with the process it watched.
    expect(watchedGroupCount()).toBe(0);
  });

  test('memory used by a child in the same group counts too', async () => {
    process.env.LEARN_NODE_HTTP_SERVER_MEMORY_MB = '200';
    const child = run(`require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(GROW)}], { stdio: 'inherit' }); setInterval(() => {}, 1000);`);
    const exit = await child.waitForExit(20_000);
    expect(exit?.stoppedBecause, child.tail()).toMatch(/more than 200 MB/);
  });

  test('a process under the limit is left alone', async () => {
    process.env.LEARN_NODE_HTTP_SERVER_MEMORY_MB = '200';
    const child = run(`const hoard = [Buffer.alloc(80 * 1024 * 1024, 1)]; console.log('holding', hoard.length); setTimeout(() => process.exit(0), 1500);`);
    const exit = await child.waitForExit(20_000);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit!.stoppedBecause).toBeUndefined();
    expect(child.memoryExceeded).toBeUndefined();
  });

  test('LEARN_NODE_HTTP_SERVER_MEMORY_MB=off turns the ceiling off', async () => {
    process.env.LEARN_NODE_HTTP_SERVER_MEMORY_MB = 'off';
    const child = run(`const hoard = []; for (let i = 0; i < 10; i++) hoard.push(Buffer.alloc(16 * 1024 * 1024, 1)); setTimeout(() => process.exit(0), 600);`);
    expect(watchedGroupCount()).toBe(0);
    expect(await child.waitForExit(20_000)).toMatchObject({ code: 0 });
  });
});

describe('output flood', () => {
  test('100 MB of output is drained (the child finishes) and only a bounded tail is kept, saying so', async () => {
    const child = run(`const line = 'x'.repeat(1024 * 1024 - 1) + '\\n'; for (let i = 0; i < 100; i++) process.stdout.write(line); process.stdout.write('the end\\n');`);
    const exit = await child.waitForExit(60_000);
    expect(exit).toMatchObject({ code: 0 });
    expect(child.outputBytes).toBe(100 * 1024 * 1024 + 'the end\n'.length);
    expect(child.output.length).toBeLessThanOrEqual(128 * 1024);
    expect(child.stdout.length).toBeLessThanOrEqual(128 * 1024);
    expect(child.stdout.endsWith('the end\n')).toBe(true);
    const tail = child.tail(3);
    expect(tail).toMatch(/^\[learn-node-http\] output truncated: the process had printed 100\.0 MB by then; only the last 128\.0 KB are kept/);
    // A megabyte-long line is cut when quoted.
    expect(tail).toMatch(/x… \(\d+ more characters on this line\)/);
    expect(tail.length).toBeLessThan(2000);
  });

  test('small output is quoted whole, with no truncation note', async () => {
    const child = run(`console.log('one'); console.error('two');`);
    await child.waitForExit(10_000);
    expect(child.tail()).not.toMatch(/truncated/);
    expect(child.tail().split('\n').sort()).toEqual(['one', 'two']);
  });

  test('waitForOutput still finds a pattern that arrives in the middle of a flood', async () => {
    const child = run(`const line = 'y'.repeat(64 * 1024) + '\\n'; for (let i = 0; i < 200; i++) { if (i === 150) console.log('NEEDLE'); process.stdout.write(line); }`);
    expect(await child.waitForOutput(/NEEDLE/, 30_000)).toBe(true);
  });

  test('waitForOutput answers as soon as the process is gone: false for a line that never came, true for its last line', async () => {
    const quiet = run(`console.log('bye'); process.exit(1);`);
    const started = performance.now();
    expect(await quiet.waitForOutput(/NEVER/, 20_000)).toBe(false);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await run(`setTimeout(() => { console.log('LAST'); process.exit(0); }, 100);`).waitForOutput(/LAST/, 20_000)).toBe(true);
  });

  test('the tail keeps the newest bytes across many small chunks, and starts on a whole character', () => {
    const tail = new OutputTail(10);
    for (let i = 0; i < 5000; i++) tail.push(Buffer.from(String(i % 10)));
    expect(tail.text).toBe('0123456789');
    expect(tail.totalBytes).toBe(5000);
    expect(tail.droppedBytes).toBe(4990);
    tail.push(Buffer.from('abc'));
    expect(tail.text).toBe('3456789abc');
    // "ë" is two bytes: a cut through it drops its second byte rather than showing garbage.
    const accents = new OutputTail(2);
    accents.push(Buffer.from('abë!'));
    expect(accents.text).toBe('!');
    expect(accents.droppedBytes).toBe(4);
  });
});

describe.runIf(process.platform === 'linux' || process.platform === 'darwin')('marker sweep', () => {
  // The child starts a detached grandchild (setsid: out of the process group) and prints its pid.
  const DETACH = `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' }); c.unref(); console.log('grandchild', c.pid); setInterval(() => {}, 1000);`;

  // Only /proc shows a process's environment cheaply enough to scan each second; ps counts the group alone.
  test.runIf(process.platform === 'linux')('memory used by a detached child, which left the group but carries the marker, counts too', async () => {
    process.env.LEARN_NODE_HTTP_SERVER_MEMORY_MB = '200';
    const child = run(`const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(GROW)}], { detached: true, stdio: 'ignore' }); console.log('grandchild', c.pid); setInterval(() => {}, 1000);`);
    const grandchild = await grandchildOf(child);
    const exit = await child.waitForExit(20_000);
    expect(exit?.stoppedBecause, child.tail()).toMatch(/more than 200 MB/);
    expect(await until(() => !alive(grandchild), 3000)).toBe(true);
  });

  async function grandchildOf(child: ChildHandle): Promise<number> {
    expect(await child.waitForOutput(/grandchild \d+/, 10_000)).toBe(true);
    const pid = Number(/grandchild (\d+)/.exec(child.output)![1]);
    strays.push(pid);
    return pid;
  }

  test('stop() kills a detached grandchild that left the process group', async () => {
    const child = run(DETACH);
    const grandchild = await grandchildOf(child);
    expect(alive(grandchild)).toBe(true);
    await child.stop();
    expect(await until(() => !alive(grandchild), 3000)).toBe(true);
  });

  test('without the sweep, the group kill alone leaves the grandchild running (why the sweep exists)', async () => {
    const child = run(DETACH);
    const grandchild = await grandchildOf(child);
    process.kill(-child.pid, 'SIGKILL');
    await child.waitForExit(3000);
    expect(alive(grandchild)).toBe(true);
    expect(processesWithEnv([{ name: SERVER_MARKER, value: child.marker! }])).toEqual([grandchild]);
    expect(sweepProcessesWithEnv(SERVER_MARKER, child.marker!)).toEqual([grandchild]);
    expect(await until(() => !alive(grandchild), 3000)).toBe(true);
  });

  test('a prefix match finds every process of a batch, and nothing else', async () => {
    const batch = `test-batch-${process.pid}-${Date.now()}`;
    const one = launch(['-e', 'setInterval(() => {}, 1000)'], { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '', LEARN_NODE_HTTP_MARKER: `${batch}:1` } });
    const two = launch(['-e', 'setInterval(() => {}, 1000)'], { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '', LEARN_NODE_HTTP_MARKER: `${batch}:2` } });
    const other = run('setInterval(() => {}, 1000)');
    started.push(one, two);
    expect(await until(() => processesWithEnv([{ name: 'LEARN_NODE_HTTP_MARKER', value: batch, prefix: true }]).length === 2, 3000)).toBe(true);
    // Exact by default: the batch id alone matches no "<batch>:<n>".
    expect(sweepProcessesWithEnv('LEARN_NODE_HTTP_MARKER', batch)).toEqual([]);
    const killed = sweepProcessesWithEnv('LEARN_NODE_HTTP_MARKER', batch, { prefix: true });
    expect(killed.sort()).toEqual([one.pid, two.pid].sort());
    expect(await one.waitForExit(3000)).toMatchObject({ signal: 'SIGKILL' });
    expect(alive(other.pid)).toBe(true);
  });
});
