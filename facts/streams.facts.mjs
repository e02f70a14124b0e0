// Facts behind phase 06's "Async errors" and "Streaming" sections: what end() does to a
// half-sent body, and what pipe() and pipeline() do when the client leaves mid-download.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { delay, fact, rawExchange, withServer } from './_support.mjs';

const PARTIAL = '{"entries":[';

/** A client that reads the headers and a little of a big download, then resets the connection. */
async function leaveMidDownload(port) {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
  await once(socket, 'data');
  socket.resetAndDestroy?.() ?? socket.destroy();
}

/** Serves an 8 MiB file through `send(source, res)` and returns the read stream once the client has left. */
async function sourceAfterClientLeaves(send) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facts-06-'));
  const file = path.join(dir, 'big.json');
  writeFileSync(file, Buffer.alloc(8 * 1024 * 1024, 'a'));
  try {
    let source;
    await withServer((req, res) => {
      source = createReadStream(file);
      send(source, res);
    }, async (port) => {
      await leaveMidDownload(port);
      await delay(300);
    });
    return source;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default [
  fact(
    'absolute-form-target-reaches-listener-06',
    'Node accepts an absolute-form request target ("GET http://localhost/messages HTTP/1.1") and hands it to the listener whole: req.url is "http://localhost/messages", not "/messages".',
    async () => {
      const seen = [];
      await withServer((req, res) => {
        seen.push(req.url);
        res.end();
      }, (port) => rawExchange(port, 'GET http://localhost/messages HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n'));
      assert.deepEqual(seen, ['http://localhost/messages']);
    },
  ),
  fact(
    'half-closed-upload-errors-body-stream-06',
    'When a client announces a content-length, sends less and closes its side, reading the body (for await) fails with an "aborted" error (code ECONNRESET), and Node itself answers the client "400 Bad Request" with "Connection: close": the response the server\'s code then sends never reaches it.',
    async () => {
      let failure;
      const got = await withServer(async (req, res) => {
        try {
          for await (const chunk of req) void chunk;
        } catch (error) {
          failure = error;
        }
        // A status Node never picks itself, so its arrival would show.
        res.writeHead(418);
        res.end('from the handler');
      }, (port) => rawExchange(port, 'POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"text":"hi"}', { endAfterWrite: true, quietMs: 1000 }));
      assert.equal(failure?.code, 'ECONNRESET');
      assert.equal(failure?.message, 'aborted');
      assert.match(got.text, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(got.text, /\r\nConnection: close\r\n/i);
      assert.doesNotMatch(got.text, /418|from the handler/);
    },
  ),
  fact(
    'writehead-after-headers-sent-throws-06',
    'Once the headers have been sent (res.headersSent is true), a second res.writeHead() throws ERR_HTTP_HEADERS_SENT synchronously, inside whatever code called it.',
    async () => {
      let thrown;
      await withServer((req, res) => {
        res.writeHead(200);
        res.write('x');
        try {
          res.writeHead(500);
        } catch (error) {
          thrown = error;
        }
        res.destroy();
      }, (port) => rawExchange(port, 'GET / HTTP/1.1\r\nhost: x\r\n\r\n'));
      assert.equal(thrown?.code, 'ERR_HTTP_HEADERS_SENT');
    },
  ),
  fact(
    'end-after-partial-body-with-length-leaves-it-short',
    'After writeHead(200, { "content-length": 100 }) and a first write, res.end() sends nothing more: the client gets the short body and no end of it, and the connection stays open until the server\'s keep-alive timeout closes it.',
    async () => {
      const started = performance.now();
      const got = await withServer((req, res) => {
        res.writeHead(200, { 'content-length': 100 });
        res.write(PARTIAL);
        res.end();
      }, async (port, server) => {
        server.keepAliveTimeout = 400;
        return rawExchange(port, 'GET / HTTP/1.1\r\nhost: x\r\n\r\n', { quietMs: 3000, timeoutMs: 5000 });
      });
      assert.equal(got.how, 'closed');
      assert.equal(got.text.split('\r\n\r\n')[1], PARTIAL);
      assert.ok(performance.now() - started >= 350, 'closed by the keep-alive timeout, not by end()');
    },
  ),
  fact(
    'end-after-partial-chunked-body-looks-complete',
    'Without a content-length the body is sent chunked, and res.end() after a first write sends the last (zero-size) chunk: the client receives a complete-looking 200 whose body is only the part written.',
    async () => {
      const got = await withServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(PARTIAL);
        res.end();
      }, (port) => rawExchange(port, 'GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
      assert.match(got.text, /transfer-encoding: chunked/i);
      assert.ok(got.text.endsWith(`${PARTIAL.length.toString(16)}\r\n${PARTIAL}\r\n0\r\n\r\n`));
    },
  ),
  fact(
    'destroy-after-headers-makes-fetch-body-fail',
    'res.destroy() after the headers and a first chunk closes the connection without an end marker: a client (fetch here) sees the 200, then reading the body fails.',
    async () => {
      await withServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(PARTIAL);
        setTimeout(() => res.destroy(), 50);
      }, async (port) => {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(response.status, 200);
        await assert.rejects(response.text());
      });
    },
  ),
  fact(
    'bare-pipe-keeps-file-open-when-client-leaves',
    'With source.pipe(res), a client that leaves mid-download leaves the file stream paused and open (its descriptor is not closed): pipe() unpipes on the response\'s close but does not destroy the source.',
    async () => {
      const source = await sourceAfterClientLeaves((s, res) => s.pipe(res));
      assert.equal(source.destroyed, false);
      assert.equal(source.closed ?? false, false);
      assert.equal(typeof source.fd, 'number');
      source.destroy();
    },
    { timeoutMs: 15_000 },
  ),
  fact(
    'pipeline-closes-file-when-client-leaves',
    'With pipeline(source, res), a client that leaves mid-download makes pipeline destroy the file stream (its descriptor is closed) and reject, so the error boundary hears of it.',
    async () => {
      let rejected = false;
      const source = await sourceAfterClientLeaves((s, res) => {
        pipeline(s, res).catch(() => (rejected = true));
      });
      assert.equal(source.destroyed, true);
      assert.equal(source.fd, null);
      assert.equal(rejected, true);
    },
    { timeoutMs: 15_000 },
  ),
  fact(
    'closed-response-write-returns-false-and-stays-silent',
    'Once the client has left and the response has emitted \'close\', res.destroyed is true, res.write() returns false, and the response emits neither \'drain\' nor \'close\' again: a wait for either that starts now never ends.',
    async () => {
      const seen = {};
      await withServer((req, res) => {
        res.writeHead(200);
        res.write(Buffer.alloc(1024 * 1024));
        res.once('close', () => {
          seen.destroyed = res.destroyed;
          seen.accepted = res.write('more');
          seen.later = [];
          res.on('drain', () => seen.later.push('drain'));
          res.on('close', () => seen.later.push('close'));
        });
      }, async (port) => {
        await leaveMidDownload(port);
        await delay(500);
      });
      assert.equal(seen.destroyed, true);
      assert.equal(seen.accepted, false);
      assert.deepEqual(seen.later, []);
    },
  ),
  fact(
    'write-returns-false-above-high-water-mark',
    'res.write() accepts every chunk but returns false once the response\'s buffer is above its high-water mark (here: a client that does not read).',
    async () => {
      await withServer(async (req, res) => {
        let accepted = true;
        let writes = 0;
        while (accepted && writes < 10_000) {
          accepted = res.write(Buffer.alloc(64 * 1024));
          writes += 1;
        }
        assert.equal(accepted, false);
        res.destroy();
      }, async (port) => {
        const socket = net.connect(port, '127.0.0.1');
        await once(socket, 'connect');
        socket.pause();
        socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
        await delay(300);
        socket.destroy();
      });
      void http;
    },
  ),
];
