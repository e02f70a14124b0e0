/**
 * The raw-socket client against tiny in-test servers: it must frame responses exactly
 * (content-length, chunked, close-delimited, pipelined, 1xx), notice cut bodies and
 * closed connections, time what arrives, and never wait without a deadline.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { chunk, LAST_CHUNK, ncLine, openRaw, rawRequest, withRaw, type RawTarget } from '../../checks/_client/raw-socket.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function listen(server: net.Server): Promise<RawTarget> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        (server as http.Server).closeAllConnections?.();
        server.close(() => resolve());
      }),
  );
  const address = server.address() as net.AddressInfo;
  return { origin: `http://127.0.0.1:${address.port}` };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('raw-socket', () => {
  test('reads a content-length response and times it', async () => {
    const target = await listen(
      http.createServer((req, res) => {
        const body = `hi ${req.method} ${req.url} é`;
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      }),
    );
    await withRaw(target, async (conn) => {
      expect((await conn.write(rawRequest({ path: '/x?y=1' }))).ok).toBe(true);
      const done = await conn.response(0, 2000);
      expect(done.ok).toBe(true);
      if (!done.ok) return;
      const r = done.value;
      expect(r.status).toBe(200);
      expect(r.reason).toBe('OK');
      expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(r.body.toString('utf8')).toBe('hi GET /x?y=1 é');
      expect(r.complete).toBe(true);
      expect(r.completeAtMs).toBeGreaterThanOrEqual(r.chunks[0]!.atMs);
    });
  });

  test('collects pipelined responses in order, including a slow chunked one', async () => {
    const target = await listen(
      http.createServer(async (req, res) => {
        if (req.url === '/slow') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('one,');
          await delay(150);
          res.end('two');
          return;
        }
        res.end('fast');
      }),
    );
    await withRaw(target, async (conn) => {
      await conn.write(Buffer.concat([rawRequest({ path: '/slow' }), rawRequest({ path: '/fast' })]));
      const second = await conn.response(1, 3000);
      expect(second.ok).toBe(true);
      const [slow, fast] = conn.responses;
      expect(slow!.body.toString()).toBe('one,two');
      expect(slow!.chunks.length).toBeGreaterThanOrEqual(2);
      expect(slow!.completeAtMs! - slow!.chunks[0]!.atMs).toBeGreaterThanOrEqual(100);
      expect(fast!.body.toString()).toBe('fast');
      expect(conn.isClosed).toBe(false);
    });
  });

  test('reports a chunked body cut before its terminating chunk, and the close', async () => {
    const target = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200);
        res.write('partial');
        setTimeout(() => res.destroy(), 50);
      }),
    );
    await withRaw(target, async (conn) => {
      await conn.write(rawRequest({ path: '/' }));
      const done = await conn.response(0, 2000);
      expect(done.ok).toBe(true);
      if (!done.ok) return;
      expect(done.value.complete).toBe(false);
      expect(done.value.cut).toMatch(/before the terminating zero-size chunk/);
      expect(done.value.body.toString()).toBe('partial');
      expect((await conn.closed(1000)).ok).toBe(true);
    });
  });

  test('reports fewer body bytes than content-length announced', async () => {
    const target = await listen(
      net.createServer((socket) => {
        socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'));
      }),
    );
    await withRaw(target, async (conn) => {
      await conn.write(rawRequest({ path: '/' }));
      const done = await conn.response(0, 2000);
      expect(done.ok && done.value.cut).toMatch(/after 3 of the 10 body bytes/);
      expect(conn.serverEndedAtMs).toBeDefined();
    });
  });

  test('a response without length or chunking ends with the connection', async () => {
    const target = await listen(
      net.createServer((socket) => {
        socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nto the end'));
      }),
    );
    await withRaw(target, async (conn) => {
      await conn.write(rawRequest({ path: '/' }));
      const done = await conn.response(0, 2000);
      expect(done.ok && done.value.complete).toBe(true);
      expect(done.ok && done.value.body.toString()).toBe('to the end');
    });
  });

  test('pump stops when an early 413 arrives while the upload is still going', async () => {
    const seen: number[] = [];
    const target = await listen(
      http.createServer((req, res) => {
        let bytes = 0;
        req.on('data', (data: Buffer) => {
          bytes += data.length;
          if (bytes > 2000 && !res.headersSent) {
            seen.push(bytes);
            res.writeHead(413, { connection: 'close', 'content-length': '0' });
            res.end();
          }
        });
      }),
    );
    await withRaw(target, async (conn) => {
      await conn.write(rawRequest({ method: 'POST', path: '/up', headers: { 'transfer-encoding': 'chunked' } }));
      const started = performance.now();
      const pumped = await conn.pump({ next: () => chunk('x'.repeat(500)), everyMs: 20, forMs: 5000 });
      expect(pumped.stoppedBecause).toMatch(/response|closed/);
      expect(pumped.bytes).toBeLessThan(10_000);
      // The answer came while we were sending, long before the 5 s the upload would have taken.
      expect(performance.now() - started).toBeLessThan(3000);
      const head = await conn.headers(0, 1000);
      expect(head.ok && head.value.status).toBe(413);
      expect((await conn.closed(2000)).ok).toBe(true);
      expect(seen.length).toBe(1);
    });
  });

  test('waits give up at their deadline and say what they waited for', async () => {
    const target = await listen(http.createServer(() => {}));
    await withRaw(target, async (conn) => {
      await conn.write(rawRequest({ path: '/hang' }));
      const started = performance.now();
      const head = await conn.headers(0, 300);
      const took = performance.now() - started;
      expect(head.ok).toBe(false);
      expect(!head.ok && head.got).toMatch(/no response headers within 300 ms \(the connection stayed open; received no bytes at all\)/);
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(1500);
      const closed = await conn.closed(200);
      expect(!closed.ok && closed.got).toMatch(/^the connection did not close within 200 ms/);
    });
  });

  test('a wait ends early when the server closes, naming what was received', async () => {
    const target = await listen(net.createServer((socket) => socket.once('data', () => socket.destroy())));
    await withRaw(target, async (conn) => {
      await conn.write(rawRequest({ path: '/' }));
      const head = await conn.headers(0, 5000);
      expect(head.ok).toBe(false);
      expect(head.afterMs).toBeLessThan(2000);
      expect(!head.ok && head.got).toMatch(/the connection closed .* having received no bytes at all/);
    });
  });

  test('reset() sends RST: the server sees the request aborted', async () => {
    let resolveAborted: (how: string) => void = () => {};
    const aborted = new Promise<string>((resolve) => (resolveAborted = resolve));
    const target = await listen(
      http.createServer((req) => {
        req.on('error', (error: NodeJS.ErrnoException) => resolveAborted(error.code ?? error.message));
        req.on('aborted', () => resolveAborted('aborted'));
        req.resume();
      }),
    );
    const conn = await openRaw(target);
    await conn.write(rawRequest({ method: 'POST', path: '/', headers: { 'content-length': '100' }, body: 'only ten b' }));
    await delay(50);
    conn.reset();
    const how = await Promise.race([aborted, delay(2000).then(() => 'nothing within 2 s')]);
    expect(how).toMatch(/ECONNRESET|aborted/);
    expect((await conn.write('more')).ok).toBe(false);
    conn.destroy();
  });

  test('handles HEAD (no body), 204 and an interim 100 Continue', async () => {
    const target = await listen(
      http.createServer((req, res) => {
        if (req.url === '/empty') {
          res.writeHead(204);
          res.end();
          return;
        }
        req.resume();
        req.on('end', () => res.end('body'));
      }),
    );
    await withRaw(target, async (conn) => {
      conn.expectNoBody(0);
      await conn.write(Buffer.concat([rawRequest({ method: 'HEAD', path: '/' }), rawRequest({ path: '/empty' })]));
      expect((await conn.response(1, 2000)).ok).toBe(true);
      expect(conn.responses[0]!.body.length).toBe(0);
      expect(conn.responses[1]!.status).toBe(204);
      await conn.write(rawRequest({ method: 'POST', path: '/', headers: { expect: '100-continue', 'content-length': '2' } }));
      const interim = await conn.headers(2, 300);
      expect(interim.ok).toBe(false);
      await conn.write('ok');
      const third = await conn.response(2, 2000);
      expect(third.ok && third.value.status).toBe(200);
      expect(third.ok && third.value.body.toString()).toBe('body');
      // The 100 Continue is noted, not counted as a response of its own.
      expect(conn.responses.length).toBe(3);
      expect(conn.timeline.some((line) => line.endsWith('interim response 100'))).toBe(true);
    });
  });

  test('bytes that are not HTTP are reported as a protocol error', async () => {
    const target = await listen(net.createServer((socket) => socket.once('data', () => socket.write('hello there\r\n\r\n'))));
    await withRaw(target, async (conn) => {
      await conn.write(rawRequest({ path: '/' }));
      const head = await conn.headers(0, 300);
      expect(head.ok).toBe(false);
      expect(conn.protocolError).toMatch(/HTTP\//);
    });
  });

  test('a refused connection is a check failure that says so', async () => {
    const target = await listen(net.createServer());
    const port = new URL(target.origin).port;
    await closers.pop()!();
    const error = await openRaw({ origin: `http://127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('CheckFailure');
    expect((error as Error).message).toMatch(/connection refused/);
  });

  test('ncLine prints bytes printf reproduces exactly', () => {
    const line = ncLine(`POST /echo HTTP/1.1\r\nX: it's 100%\r\n\r\n${LAST_CHUNK}`, 'then nothing');
    expect(line).toBe("printf 'POST /echo HTTP/1.1\\r\\nX: it'\\''s 100%%\\r\\n\\r\\n0\\r\\n\\r\\n' | nc localhost 3000   # then nothing");
    expect(chunk('héllo').toString('latin1')).toBe(`6\r\n${Buffer.from('héllo').toString('latin1')}\r\n`);
  });
});
