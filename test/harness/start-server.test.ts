/**
 * startServer against tiny real servers written into a temp phase folder: each way of not
 * becoming ready is named in the failure (and as fast as it can be known), a server that
 * never listens is waited for once per run, and the permission model keeps writes inside
 * the server's folder. Every case has its passing twin, so each assertion can fail.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { send } from '../../checks/_client/http.ts';
import { startServer, type RunningServer } from '../../checks/_harness/start-server.ts';
import { permissionSwitch } from '../../checks/_process/sandbox.ts';
import { usePhaseFolder } from '../support/phase-folder.ts';

// <root>/workspace/01-test/server.ts, and the run's scratch folder beside the workspace.
const folder = usePhaseFolder('lnh-start-server-test-', ['LEARN_NODE_HTTP_PERMISSION']);
const servers = folder.servers;

function writeServer(body: string): void {
  writeFileSync(path.join(folder.phaseDir, 'server.ts'), body);
}

/** A server that answers "ok" on `listen(...)` as given (default: the PORT, every interface). */
function okServer(listen = 'server.listen(Number(process.env.PORT))', before = ''): string {
  return `import { createServer } from 'node:http';\n${before}\nconst server = createServer((req, res) => res.end('ok'));\n${listen};\n`;
}

async function start(startWithinMs?: number): Promise<RunningServer> {
  return startServer({ ...(startWithinMs ? { startWithinMs } : {}) }, (server) => servers.push(server));
}

/** The failure message of a start that must fail. */
async function startFailure(startWithinMs?: number): Promise<string> {
  const error = await start(startWithinMs).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, 'the start was expected to fail').toBeDefined();
  expect(error!.name).toBe('ServerStartFailure');
  return error!.message;
}

describe('a server that never starts listening', () => {
  test('fails at the deadline, and a later start of the same entry in the run fails at once, saying so', async () => {
    writeServer(okServer('void server; setInterval(() => {}, 1000)'));
    const first = await startFailure(1500);
    expect(first).toMatch(/nothing accepted a connection on port \d+ within 1500 ms, and the process is still running/);
    expect(first).not.toMatch(/found by an earlier check/);
    const second = await startFailure(1500);
    expect(second).toMatch(/within 1500 ms, and the process is still running \(found by an earlier check in this run; not waiting again\)/);
    // A start willing to wait longer than the deadline that was missed waits for real.
    const patient = await startFailure(2500);
    expect(patient).toMatch(/within 2500 ms/);
    expect(patient).not.toMatch(/found by an earlier check/);
  });

  test('an edited entry is not judged by the verdict on its earlier version', async () => {
    writeServer(okServer('void server; setInterval(() => {}, 1000)'));
    await startFailure(1500);
    writeServer(`${okServer()}// fixed\n`);
    const server = await start(5000);
    expect((await send(server, { path: '/' }, 'ok')).text).toBe('ok');
  });

  test('a slow but correct start is not remembered against later starts', async () => {
    writeServer(okServer('setTimeout(() => server.listen(Number(process.env.PORT)), 800)'));
    await start(5000);
    const again = await start(5000);
    expect(again.listenedPorts.length).toBe(1);
  });

  test('a crash at start-up is reported as a crash, and never remembered', async () => {
    writeServer(`throw new Error('broken at start-up');\n`);
    const first = await startFailure();
    expect(first).toMatch(/exited with code 1 after \d+ ms, before accepting any connection/);
    expect(first).toMatch(/broken at start-up/);
    expect(await startFailure()).not.toMatch(/found by an earlier check/);
  });

  test('a syntax error is shown where it is: file:line:column and a code frame, without the frames of esbuild', async () => {
    writeServer(`const ok = 1;\nconst broken = (;\n`);
    const message = await startFailure();
    expect(message).toMatch(/Where:\n {2}server\.ts:2:\d+ {2}Unexpected/);
    expect(message).toMatch(/> 2 \| const broken = \(;/);
    expect(message).not.toMatch(/node_modules[\\/]esbuild/);
  });

  test('exit code 0 before listening reads as "ended on its own", not as a crash', async () => {
    writeServer(`console.log('bye');\n`);
    expect(await startFailure()).toMatch(/ended on its own \(exit code 0\)/);
  });
});

describe('where the server listens', () => {
  test('a hard-coded port is named, with the PORT the checks gave', async () => {
    writeServer(okServer('server.listen(0)'));
    expect(await startFailure()).toMatch(/it listens on port \d+, but the checks started it with PORT=\d+[\s\S]*hard-coded/);
  });

  test.runIf(process.platform === 'linux')('an address the checks cannot reach is named, with the one they connect to', async () => {
    // 127.0.0.2 is loopback on Linux, but not the 127.0.0.1 the checks (and curl localhost) use.
    writeServer(okServer(`server.listen(Number(process.env.PORT), '127.0.0.2')`));
    expect(await startFailure()).toMatch(/it listens on 127\.0\.0\.2:(\d+) only, an address the checks cannot reach: they connect to 127\.0\.0\.1:\1/);
  });

  test('listening on 127.0.0.1 or on ::1 only is reachable: the checks follow the reported address', async () => {
    writeServer(okServer(`server.listen(Number(process.env.PORT), '127.0.0.1')`));
    expect((await send(await start(), { path: '/' }, 'ok')).text).toBe('ok');
    writeServer(okServer(`server.listen(Number(process.env.PORT), '::1')`));
    const v6 = await start();
    expect(v6.host).toBe('::1');
    expect((await send(v6, { path: '/' }, 'ok')).text).toBe('ok');
  });

  test('a port opened by a child process, not by the server, is named as such (well before the deadline)', async () => {
    writeServer(
      `import { fork } from 'node:child_process';\nimport { fileURLToPath } from 'node:url';\n` +
        okServer(`if (process.env.CHILD) server.listen(Number(process.env.PORT)); else fork(fileURLToPath(import.meta.url), { env: { ...process.env, CHILD: '1' } })`),
    );
    // The grace before naming a foreign listener stretches with the machine's pace; this test
    // is about the naming, so it holds the pace at 1 (on a busy machine the grace would
    // otherwise outgrow the fixed 8 s deadline).
    process.env.LEARN_NODE_HTTP_PACE = '1';
    const message = await startFailure(8000).finally(() => delete process.env.LEARN_NODE_HTTP_PACE);
    expect(message).toMatch(/port \d+ accepts connections, but the process the checks started never listened on it/);
    expect(message).not.toMatch(/within 8000 ms/);
  });
});

describe.runIf(permissionSwitch() !== undefined)('the permission model', () => {
  const outside = () => path.join(folder.root, 'escaped.txt');

  test('a write outside the folder is refused, nothing is written, and the failure names the path', async () => {
    writeServer(okServer(undefined, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(outside())}, 'escaped');`));
    const message = await startFailure();
    expect(message).toContain(`your server tried to write ${outside()}, outside its folder`);
    expect(message).toMatch(/graders refuse that/);
    expect(existsSync(outside())).toBe(false);
  });

  test('LEARN_NODE_HTTP_PERMISSION=off lets the same write through (so the test above can fail)', async () => {
    process.env.LEARN_NODE_HTTP_PERMISSION = 'off';
    writeServer(okServer(undefined, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(outside())}, 'escaped');`));
    await start();
    expect(existsSync(outside())).toBe(true);
  });

  test('writes inside the folder and in os.tmpdir() work, children and workers may start, and no permission warning is printed', async () => {
    writeServer(
      okServer(
        undefined,
        `import { writeFileSync } from 'node:fs';\nimport os from 'node:os';\nimport { execFileSync } from 'node:child_process';\n` +
          `writeFileSync(new URL('./inside.txt', import.meta.url), 'x');\nwriteFileSync(os.tmpdir() + '/scratch.txt', 'x');\n` +
          `console.log('child says', execFileSync(process.execPath, ['-e', 'console.log(42)']).toString().trim());\n` +
          `process.emitWarning('the learner\\'s own warning');`,
      ),
    );
    const server = await start();
    expect(await server.proc.waitForOutput(/own warning/, 3000)).toBe(true);
    expect(existsSync(path.join(folder.phaseDir, 'inside.txt'))).toBe(true);
    expect(server.proc.output).toMatch(/child says 42/);
    expect(server.proc.output).not.toMatch(/SecurityWarning|ExperimentalWarning|Permission is an experimental/);
    // The private temp folder, not the machine's: the submission's neighbours live in /tmp too.
    expect(existsSync(path.join(folder.root, 'scratch', 'server-tmp', 'scratch.txt'))).toBe(true);
  });

  test('a refused write that the server survives is still explained next to its output', async () => {
    writeServer(
      okServer(undefined, `import { writeFile } from 'node:fs';\nwriteFile(${JSON.stringify(outside())}, 'x', (error) => console.error(error));`),
    );
    const server = await start();
    expect(await server.proc.waitForOutput(/ERR_ACCESS_DENIED/, 3000)).toBe(true);
    expect(server.tail()).toContain(`[learn-node-http] Your server tried to write ${outside()}, outside its folder`);
  });
});
