// Facts about how a request and its response end: the events a server sees when a client
// stays or leaves, what happens to writes after the end, req.signal across Node lines,
// cancellation reasons, unhandled rejections. Phase 07 and COURSE.md cite these.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { delay, fact, nodeAtLeast, nodeVersion, rawExchange, withServer } from './_support.mjs';

const GET = 'GET / HTTP/1.1\r\nhost: x\r\n\r\n';

/** Opens a raw connection, sends `text`, waits `leaveAfterMs`, then destroys the socket. */
async function sendThenLeave(port, text, leaveAfterMs = 50) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(text);
  await delay(leaveAfterMs);
  socket.destroy();
}

/** Resolves with `value()` once `ready()` is true, polling every 10 ms for at most `ms`. */
async function until(ready, ms = 2000) {
  const end = Date.now() + ms;
  while (!ready() && Date.now() < end) await delay(10);
  assert.ok(ready(), `nothing happened within ${ms} ms`);
}

export default [
  fact(
    'write-after-end-live-errors',
    'On a response that is still live, res.write() or res.end() after res.end() is not silent: write() returns false, its callback gets ERR_STREAM_WRITE_AFTER_END, and res emits an error event with that code, which is an uncaught exception when nothing listens: the process exits with code 1.',
    async () => {
      const seen = [];
      const uncaught = [];
      await withServer((req, res) => {
        res.on('error', (error) => seen.push(`error ${error.code}`));
        res.end('a');
        const returned = res.write('b', (error) => seen.push(`callback ${error?.code}`));
        seen.push(`returned ${returned}`);
      }, async (port) => {
        assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), 'a');
        await until(() => seen.length === 3);
      });
      assert.deepEqual(seen.sort(), ['callback ERR_STREAM_WRITE_AFTER_END', 'error ERR_STREAM_WRITE_AFTER_END', 'returned false']);
      // A second end(), with nobody listening for 'error': the process would die of it.
      await withServer((req, res) => {
        res.end('a');
        res.end('b');
      }, async (port) => {
        await (await fetch(`http://127.0.0.1:${port}/`)).text();
        await until(() => uncaught.length > 0);
      }, { uncaught });
      assert.deepEqual(uncaught.map((e) => e.code), ['ERR_STREAM_WRITE_AFTER_END']);
      // And in a process of its own, with no handler for it, it ends the process.
      const script = [
        "const http = require('node:http');",
        "const server = http.createServer((req, res) => { res.end('a'); res.write('b'); });",
        "server.listen(0, '127.0.0.1', () => http.get({ port: server.address().port, host: '127.0.0.1' }, (r) => r.resume()));",
        "setTimeout(() => { console.log('still alive'); process.exit(0); }, 4000);",
      ].join('\n');
      const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 8000 });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /ERR_STREAM_WRITE_AFTER_END/);
      assert.doesNotMatch(run.stdout, /still alive/);
    },
  ),
  fact(
    'write-after-close-dropped',
    'Once the client has closed the connection (res emitted close with writableFinished false), writes are dropped without an error event: writeHead() does not throw, write() returns false and its callback gets ERR_STREAM_DESTROYED, end() never calls its callback, and nothing is uncaught.',
    async () => {
      const seen = [];
      const uncaught = [];
      let done = false;
      await withServer((req, res) => {
        res.on('error', (error) => seen.push(`error ${error.code}`));
        res.on('close', () => {
          seen.push(`close finished=${res.writableFinished}`);
          res.writeHead(200, { 'content-type': 'text/plain' });
          seen.push(`write returned ${res.write('late', (error) => seen.push(`write callback ${error?.code}`))}`);
          res.end('later', () => seen.push('end callback'));
          setTimeout(() => { done = true; }, 100);
        });
      }, async (port) => {
        await sendThenLeave(port, GET);
        await until(() => done);
      }, { uncaught });
      assert.deepEqual(seen, ['close finished=false', 'write returned false', 'write callback ERR_STREAM_DESTROYED']);
      assert.deepEqual(uncaught, []);
    },
  ),
  fact(
    'res-close-fires-either-way',
    "res emits close exactly once for every response: after a normal finish (writableFinished true, after 'finish') and when the connection closes first (writableFinished false, and 'finish' never fires).",
    async () => {
      const normal = [];
      await withServer((req, res) => {
        res.on('finish', () => normal.push('finish'));
        res.on('close', () => normal.push(`close finished=${res.writableFinished}`));
        res.end('ok');
      }, async (port) => {
        await (await fetch(`http://127.0.0.1:${port}/`)).text();
        await until(() => normal.length === 2);
        await delay(50);
      });
      assert.deepEqual(normal, ['finish', 'close finished=true']);
      const left = [];
      await withServer((req, res) => {
        res.on('finish', () => left.push('finish'));
        res.on('close', () => left.push(`close finished=${res.writableFinished}`));
      }, async (port) => {
        await sendThenLeave(port, GET);
        await until(() => left.length > 0);
        await delay(50);
      });
      assert.deepEqual(left, ['close finished=false']);
    },
  ),
  fact(
    'res-destroyed-after-normal-response',
    'res.destroyed is true after every normal response too, even while the keep-alive connection stays open: on its own it does not mean the client left; destroyed with writableFinished false does.',
    async () => {
      const seen = [];
      await withServer((req, res) => {
        res.on('close', () => seen.push({ destroyed: res.destroyed, finished: res.writableFinished, socketOpen: !req.socket.destroyed }));
        res.end('ok');
      }, async (port) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => {});
        socket.write(GET);
        await until(() => seen.length === 1);
        socket.destroy();
      });
      assert.deepEqual(seen, [{ destroyed: true, finished: true, socketOpen: true }]);
    },
  ),
  fact(
    'req-close-after-body-read',
    "req emits close as soon as its body has been read to the end, while the client is still connected and waiting for the answer: req 'close' does not mean the client left.",
    async () => {
      const seen = [];
      await withServer(async (req, res) => {
        req.on('close', () => seen.push(`req close complete=${req.complete}`));
        for await (const chunk of req) void chunk;
        await delay(50);
        seen.push('handler answers');
        res.end('ok');
      }, async (port) => {
        const answer = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'hello' });
        assert.equal(await answer.text(), 'ok');
      });
      assert.deepEqual(seen, ['req close complete=true', 'handler answers']);
    },
  ),
  fact(
    'req-signal-versions',
    'req.signal is undefined on Node 20 and 22. It is an AbortSignal on 26.1.0 and later (where it was added) and on 24.22.3 (backported to the 24 line); on 24.22.3 and 26.12.1 it stays unaborted after a body is read normally and aborts, with an AbortError, when the client disconnects mid-request.',
    async () => {
      const [major] = nodeVersion();
      let kind;
      let abortedAfterBody;
      await withServer(async (req, res) => {
        kind = typeof req.signal;
        for await (const chunk of req) void chunk;
        await delay(50);
        abortedAfterBody = req.signal?.aborted;
        res.end('ok');
      }, async (port) => {
        await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'hello' })).text();
      });
      if (major <= 22) {
        assert.equal(kind, 'undefined');
        return;
      }
      if (nodeAtLeast('26.1.0') || (major === 24 && nodeAtLeast('24.22.3'))) assert.equal(kind, 'object');
      // Fixed by nodejs/node#64392 (issue #64390); the matrix runs 24.22.3 and 26.12.1.
      const fixed = major === 24 ? nodeAtLeast('24.22.3') : nodeAtLeast('26.12.1');
      if (kind !== 'object' || !fixed) return;
      assert.equal(abortedAfterBody, false);
      let reason;
      await withServer((req) => {
        req.signal.addEventListener('abort', () => { reason = req.signal.reason; });
      }, async (port) => {
        await sendThenLeave(port, GET);
        await until(() => reason !== undefined);
      });
      assert.equal(reason.name, 'AbortError');
    },
  ),
  fact(
    'abort-reason-differs-by-api',
    'What a cancelled call rejects with depends on the API: fetch() rejects with the signal\'s reason itself (an AbortError only when abort() got no reason; a TimeoutError from AbortSignal.timeout), while setTimeout from node:timers/promises rejects with an AbortError whose cause is the reason.',
    async () => {
      const reason = new Error('client disconnected');
      await withServer(() => {}, async (port) => {
        const withReason = new AbortController();
        const first = fetch(`http://127.0.0.1:${port}/`, { signal: withReason.signal });
        setTimeout(() => withReason.abort(reason), 20);
        await assert.rejects(first, (error) => error === reason);
        const bare = new AbortController();
        const second = fetch(`http://127.0.0.1:${port}/`, { signal: bare.signal });
        setTimeout(() => bare.abort(), 20);
        await assert.rejects(second, (error) => error.name === 'AbortError');
        await assert.rejects(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(20) }), (error) => error.name === 'TimeoutError');
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(reason), 10);
      await assert.rejects(sleep(5000, undefined, { signal: controller.signal }), (error) => error.name === 'AbortError' && error.cause === reason);
    },
  ),
  fact(
    'abort-signal-any-and-timeout',
    'AbortSignal.timeout(ms) and AbortSignal.any([...]) exist on Node 20 to 26: the combined signal aborts with the reason of whichever input aborts first (a TimeoutError for the timeout).',
    async () => {
      const never = new AbortController();
      const combined = AbortSignal.any([never.signal, AbortSignal.timeout(20)]);
      await until(() => combined.aborted, 1000);
      assert.equal(combined.reason.name, 'TimeoutError');
      const first = new AbortController();
      const reason = new Error('client disconnected');
      const both = AbortSignal.any([first.signal, AbortSignal.timeout(5000)]);
      first.abort(reason);
      assert.equal(both.reason, reason);
    },
  ),
  fact(
    'unhandled-rejection-exits-1',
    'A rejected promise that nothing handles ends the Node process with exit code 1 (the default --unhandled-rejections=throw), after printing the error.',
    async () => {
      const run = spawnSync(process.execPath, ['-e', "Promise.reject(new Error('audit store down')); setTimeout(() => console.log('still alive'), 200);"], { encoding: 'utf8', timeout: 5000 });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /audit store down/);
      assert.doesNotMatch(run.stdout, /still alive/);
    },
  ),
  fact(
    'unhandled-rejection-listener-keeps-process',
    "With a process.on('unhandledRejection') listener installed, an unhandled rejection no longer ends the process: the listener gets the reason and the promise, and nothing else about where the promise came from.",
    async () => {
      const script = "process.on('unhandledRejection', (reason, promise) => console.log('listener', reason.message, promise instanceof Promise)); Promise.reject(new Error('audit store down')); setTimeout(() => console.log('still alive'), 100);";
      const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 5000 });
      assert.equal(run.status, 0);
      assert.match(run.stdout, /listener audit store down true/);
      assert.match(run.stdout, /still alive/);
    },
  ),
  fact(
    'write-head-twice-throws',
    'A second res.writeHead() once the headers were sent (after a write(), or after end() on a connection that is still open) throws ERR_HTTP_HEADERS_SENT, synchronously.',
    async () => {
      const codes = [];
      const attempt = (res) => {
        try {
          res.writeHead(503);
          codes.push('no throw');
        } catch (error) {
          codes.push(error.code);
        }
      };
      await withServer((req, res) => {
        res.writeHead(200);
        res.write('first');
        attempt(res);
        res.end();
        attempt(res);
      }, async (port) => {
        await (await fetch(`http://127.0.0.1:${port}/`)).text();
      });
      assert.deepEqual(codes, ['ERR_HTTP_HEADERS_SENT', 'ERR_HTTP_HEADERS_SENT']);
    },
  ),
  fact(
    'destroy-mid-body-leaves-body-unfinished',
    'res.destroy() after part of a chunked body leaves the body without its terminating zero-size chunk, and fetch() rejects while reading it; res.end() instead sends the terminating chunk and the same body reads as complete.',
    async () => {
      const respond = (cut) => (req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write('{"started":true}\n');
        setTimeout(() => (cut ? res.destroy() : res.end()), 30);
      };
      await withServer(respond(true), async (port) => {
        const raw = await rawExchange(port, 'GET / HTTP/1.1\r\nhost: x\r\n\r\n');
        assert.match(raw.text, /transfer-encoding: chunked/i);
        assert.doesNotMatch(raw.text, /\r\n0\r\n\r\n$/);
        const answer = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(answer.status, 200);
        await assert.rejects(answer.text());
      });
      await withServer(respond(false), async (port) => {
        const answer = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(await answer.text(), '{"started":true}\n');
      });
    },
  ),
  fact(
    'upload-abort-rejects-body-read',
    'When a client leaves in the middle of a request body (a reset, or closing its side), reading the body rejects with an Error "aborted" (code ECONNRESET), and by then res.destroyed is true and res.writableFinished false: the response can no longer reach anyone.',
    async () => {
      const seen = [];
      const upload = 'POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"text":';
      const listener = async (req, res) => {
        try {
          for await (const chunk of req) void chunk;
          seen.push('read to the end');
        } catch (error) {
          seen.push(`${error.message} ${error.code} destroyed=${res.destroyed} finished=${res.writableFinished}`);
        }
      };
      await withServer(listener, async (port) => {
        await sendThenLeave(port, upload);
        await until(() => seen.length === 1);
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => {});
        socket.write(upload);
        await delay(50);
        socket.end();
        await until(() => seen.length === 2);
        socket.destroy();
      });
      assert.deepEqual(seen, Array(2).fill('aborted ECONNRESET destroyed=true finished=false'));
    },
  ),
];
