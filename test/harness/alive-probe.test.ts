/**
 * A route that answers correctly and then crashes the server fails its OWN check: after
 * each passing check, useServers asks every server the check used whether it is still
 * alive (confirmAlive). Run through the real runner on fixture checks (a server whose
 * /crash-after answers and then throws ERR_HTTP_HEADERS_SENT), each with its passing
 * twin: a healthy server, a server the check stopped on purpose, a check that sent nothing;
 * and which server each check gets when a file asks for reuse (useServers({ reuseAfterPass })).
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runChecksInChild } from '../support/phase-runs.ts';

const CHECKS = path.join(ROOT, 'test/harness/fixtures/alive-checks');
const SERVER = path.join(ROOT, 'test/harness/fixtures/alive-server');

describe('the alive probe after each check', () => {
  test('fails the check after which the server died, naming its request, the exit and the cause; passes the rest', async () => {
    const run = await runChecksInChild('98-alive-fixture', SERVER, 120_000, CHECKS);
    const byTitle = new Map(run.results.map((r) => [r.title, r]));
    const crashed = byTitle.get('GET /crash-after answers 200')!;
    expect(crashed.status, crashed.message).toBe('fail');
    expect(crashed.message).toContain('Sent:     curl -i http://localhost:3000/crash-after');
    expect(crashed.message).toMatch(/the server process exited with code 1 \(the last request it started handling: GET \/crash-after\)/);
    expect(crashed.message).toContain('a missing `return` after sending');
    expect(crashed.message).toContain('ERR_HTTP_HEADERS_SENT');
    // The learner's stack, without the frames of the harness's own preload.
    expect(crashed.message).toMatch(/\| .*at Server\.<anonymous> .*server\.ts/);
    expect(crashed.message).not.toContain('server-preload');

    const raw = byTitle.get('raw GET /crash-after answers 200')!;
    expect(raw.status, raw.message).toBe('fail');
    expect(raw.message).toContain("Sent:     printf 'GET /crash-after HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n' | nc localhost 3000");

    for (const title of ['GET /hello answers 200 and the server lives on', 'a server the check stops on purpose is not probed', 'a check that sends nothing is not probed']) {
      expect(byTitle.get(title), `${title}\n${run.results.map((r) => `${r.status} ${r.title}\n${r.message}`).join('\n')}`).toMatchObject({ status: 'pass' });
    }
    expect(run.leftovers).toEqual([]);

    // reuseAfterPass: a server goes on to the next check only after a pass the probe confirmed.
    const reuse = run.results.filter((r) => r.title.startsWith('reuse: '));
    expect(reuse.map((r) => [r.title, r.status])).toEqual([
      ['reuse: the first check starts a server', 'pass'],
      ['reuse: after a pass, the next check gets the same server', 'pass'],
      ['reuse: a check that fails on purpose', 'fail'],
      ['reuse: after a failure, a server of its own; its request then crashes it', 'fail'],
      ['reuse: after a crash, a server of its own', 'pass'],
      ['reuse: start() with options always starts a server of its own', 'pass'],
      ['reuse: only the server a check got without options goes on to the next', 'pass'],
    ]);
    expect(reuse[3]!.message).toContain('ERR_HTTP_HEADERS_SENT');
  });
});
