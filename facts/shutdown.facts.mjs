// Facts behind phase 06's "Graceful shutdown" section: what server.close() does to
// keep-alive connections that are idle or busy when it runs, measured on Node 20-26.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { execFileSync, spawnSync } from 'node:child_process';
import { delay, fact } from './_support.mjs';

/** A raw keep-alive connection that records what comes back and when it closes. */
async function keepAlive(port, target) {
  const socket = net.connect(port, '127.0.0.1');
  const state = { text: '', closed: false, socket };
  socket.on('data', (chunk) => (state.text += chunk));
  socket.on('close', () => (state.closed = true));
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write(`GET ${target} HTTP/1.1\r\nhost: x\r\n\r\n`);
  return state;
}

/** Waits (bounded) until the connection has received a whole "ok" response. */
async function answered(state, withinMs = 3000) {
  const deadline = performance.now() + withinMs;
  while (!/ok$/.test(state.text) && performance.now() < deadline) await delay(10);
}

/** Runs `body` against a server whose /slow answers after 300 ms; always cleans up. */
async function withSlowServer(body) {
  const server = http.createServer(async (req, res) => {
    if (req.url === '/slow') await delay(300);
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await body(server, server.address().port);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

export default [
  fact(
    'unhandled-rejection-exits-1-06',
    'A rejected promise nobody handles (as when http calls an async listener and ignores the promise it returns) ends the process with exit code 1 after printing the error, by default.',
    async () => {
      const run = spawnSync(process.execPath, ['-e', "Promise.reject(new Error('database unavailable')); setTimeout(() => {}, 2000);"], { encoding: 'utf8', timeout: 5000 });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /database unavailable/);
    },
  ),
  fact(
    'unrefd-timer-does-not-keep-process-alive-06',
    'A pending timer keeps the process alive; after timer.unref() it no longer does (the process exits when nothing else is left), yet it still fires if the process is still running when it is due.',
    async () => {
      const started = performance.now();
      execFileSync(process.execPath, ['-e', 'setTimeout(() => process.exit(3), 3000).unref()'], { timeout: 5000 });
      assert.ok(performance.now() - started < 2500);
      const fired = spawnSync(process.execPath, ['-e', 'setTimeout(() => process.exit(3), 100).unref(); setTimeout(() => {}, 1000)'], { timeout: 5000 });
      assert.equal(fired.status, 3);
    },
  ),
  fact(
    'server-close-closes-idle-keepalive-connections',
    'server.close() closes at once the keep-alive connections that are idle when it runs (a finished request, socket kept open), and stops accepting new connections.',
    () => withSlowServer(async (server, port) => {
      const idle = await keepAlive(port, '/fast');
      await answered(idle);
      assert.match(idle.text, /200 OK/);
      assert.equal(idle.closed, false);
      server.close();
      await delay(50);
      assert.equal(idle.closed, true);
      assert.equal(server.listening, false);
    }),
  ),
  fact(
    'server-close-busy-connection-stays-open-after-response',
    'A keep-alive connection that is busy when server.close() runs gets its full response (still marked "Connection: keep-alive"), then stays open and idle: close() does not close it, and its callback waits, until something closes the connection (server.closeIdleConnections() does).',
    () => withSlowServer(async (server, port) => {
      const busy = await keepAlive(port, '/slow');
      await delay(50);
      let calledBack = false;
      server.close(() => (calledBack = true));
      await answered(busy);
      await delay(200);
      assert.match(busy.text, /Connection: keep-alive[\s\S]*ok$/i);
      assert.equal(busy.closed, false);
      assert.equal(calledBack, false);
      server.closeIdleConnections();
      await delay(50);
      assert.equal(busy.closed, true);
      assert.equal(calledBack, true);
    }),
  ),
  fact(
    'server-keepalive-timeout-default-5s',
    'An http server closes a keep-alive connection left idle after 5 seconds by default (server.keepAliveTimeout is 5000).',
    async () => {
      assert.equal(http.createServer().keepAliveTimeout, 5000);
    },
  ),
  fact(
    'connection-close-header-ends-connection-after-response',
    'A response sent with the header "connection: close" makes Node close the connection once that response has been sent, even when the client asked to keep it alive.',
    () => withSlowServer(async (server, port) => {
      server.removeAllListeners('request');
      server.on('request', (req, res) => {
        res.setHeader('connection', 'close');
        res.end('ok');
      });
      const conn = await keepAlive(port, '/');
      await answered(conn);
      await delay(100);
      assert.match(conn.text, /ok$/);
      assert.equal(conn.closed, true);
    }),
  ),
];
