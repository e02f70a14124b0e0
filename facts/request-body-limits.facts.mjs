// Phase 02: what Node does with a request body the server refuses (413), Expect:
// 100-continue, and the JavaScript decoding rules the lesson leans on.
import assert from 'node:assert/strict';
import net from 'node:net';
import { delay, fact, rawExchange, withServer } from './_support.mjs';

const PIECE = Buffer.alloc(16 * 1024, 'a');
const chunked = (bytes) => Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
const UPLOAD_HEAD = 'POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n';

/** A listener that reads with for await and throws out of the loop past 64 KiB, then lets `answer` respond. */
function refuseOver64KiB(answer) {
  return async (req, res) => {
    let received = 0;
    try {
      for await (const piece of req) {
        received += piece.length;
        if (received > 64 * 1024) throw new Error('too large');
      }
      res.end('ok');
    } catch {
      answer(req, res);
    }
  };
}

/**
 * A client like curl mid-upload: it sends 16 KiB every 10 ms and reads nothing until all
 * `pieces` are out. Resolves with what it could read afterwards and how the socket ended.
 */
function uploadWithoutReading(port, pieces) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.allowHalfOpen = true;
    const received = [];
    let error;
    socket.on('data', (data) => received.push(data));
    socket.on('error', (e) => { error = e.code; });
    const done = () => resolve({ text: Buffer.concat(received).toString('latin1'), error });
    socket.on('close', done);
    socket.on('connect', async () => {
      socket.pause();
      socket.write(UPLOAD_HEAD);
      for (let i = 0; i < pieces && !socket.destroyed; i += 1) {
        socket.write(chunked(PIECE));
        await delay(10);
      }
      socket.resume();
      setTimeout(() => socket.destroy(), 1500);
    });
  });
}

export default [
  fact(
    'for-await-throw-stops-reading-socket',
    'Throwing out of a for await loop over req destroys req, and Node then stops reading the connection: while the client keeps sending, the server socket\'s bytesRead grows by at most one more piece.',
    async () => {
      const seen = [];
      await withServer(async (req, res) => {
        const socket = req.socket;
        try {
          for await (const piece of req) if (piece && socket.bytesRead > 64 * 1024) throw new Error('stop');
        } catch {
          const before = socket.bytesRead;
          await delay(300);
          seen.push(req.destroyed, socket.destroyed, socket.bytesRead - before);
          res.end();
        }
      }, async (port) => {
        await uploadWithoutReading(port, 30);
      });
      assert.equal(seen[0], true);
      assert.equal(seen[1], false);
      assert.ok(seen[2] <= 2 * (PIECE.length + 16), `bytesRead grew by ${seen[2]}`);
    },
  ),
  fact(
    'close-after-413-resets-uploading-client',
    'A 413 ended at once with connection: close while the client is still uploading: Node closes the socket, the OS resets the connection, and a client that reads only between sends (as curl does) gets EPIPE or ECONNRESET and never reads the 413.',
    async () => {
      const result = await withServer(refuseOver64KiB((req, res) => {
        res.writeHead(413, { connection: 'close', 'content-length': 3 });
        res.end('no\n');
      }), (port) => uploadWithoutReading(port, 16));
      assert.match(String(result.error), /^(EPIPE|ECONNRESET)$/);
      assert.doesNotMatch(result.text, /413/);
    },
  ),
  fact(
    'linger-413-reaches-uploading-client',
    'The same 413 written with res.write() and ended only 2 s later (a lingering close) reaches that client complete, with no reset while it sends its remaining pieces.',
    async () => {
      const result = await withServer(refuseOver64KiB((req, res) => {
        res.writeHead(413, { connection: 'close', 'content-length': 3 });
        res.write('no\n');
        setTimeout(() => res.end(), 2000);
      }), (port) => uploadWithoutReading(port, 16));
      assert.match(result.text, /^HTTP\/1\.1 413 [^\r]*\r\n[\s\S]*\r\n\r\nno\n$/);
      assert.equal(result.error, undefined);
    },
    { timeoutMs: 15_000 },
  ),
  fact(
    'server-sends-100-continue-itself',
    'A request with "Expect: 100-continue" gets "HTTP/1.1 100 Continue" from Node before the request listener runs, when the server has no checkContinue listener: the client starts sending the body even if the listener is about to refuse it.',
    async () => {
      const { text } = await withServer((req, res) => {
        res.writeHead(413, { connection: 'close', 'content-length': 0 });
        res.end();
      }, (port) => rawExchange(port, 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 10000000\r\nexpect: 100-continue\r\n\r\n'));
      assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 413 /);
    },
  ),
  fact(
    'check-continue-listener-decides',
    'With a server.on("checkContinue") listener, Node sends no 100 Continue and emits no "request" for that request: the listener answers it (a 413 without a 100 means the client need not send the body) or calls res.writeContinue().',
    async () => {
      const requests = [];
      const { text } = await withServer((req, res) => {
        requests.push(req.url);
        res.end();
      }, async (port, server) => {
        server.on('checkContinue', (req, res) => {
          res.writeHead(413, { connection: 'close', 'content-length': 0 });
          res.end();
        });
        return rawExchange(port, 'POST /big HTTP/1.1\r\nhost: x\r\ncontent-length: 10000000\r\nexpect: 100-continue\r\n\r\n');
      });
      assert.match(text, /^HTTP\/1\.1 413 /);
      assert.doesNotMatch(text, /100 Continue/);
      assert.deepEqual(requests, []);
    },
  ),
  fact(
    'unread-body-discarded-on-keep-alive',
    'When a response ends on a kept-alive connection and the listener never read the request body, Node reads and discards that body itself, so the next request on the connection is parsed and answered.',
    async () => {
      const body = 'x'.repeat(100_000);
      const { text } = await withServer((req, res) => res.end(`${req.method}\n`), (port) =>
        rawExchange(port, `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\n\r\n${body}GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`));
      assert.equal(text.split('HTTP/1.1 200 OK').length - 1, 2);
      assert.match(text, /POST\n[\s\S]*GET\n$/);
    },
  ),
  fact(
    'json-parse-empty-throws',
    'JSON.parse("") throws a SyntaxError, while JSON.parse("42"), JSON.parse("null") and JSON.parse("[1,2]") succeed (valid JSON, not objects); typeof null and typeof [] are both "object".',
    async () => {
      assert.throws(() => JSON.parse(''), SyntaxError);
      assert.equal(JSON.parse('42'), 42);
      assert.equal(JSON.parse('null'), null);
      assert.deepEqual(JSON.parse('[1,2]'), [1, 2]);
      assert.equal(typeof null, 'object');
      assert.equal(typeof [], 'object');
    },
  ),
  fact(
    'textdecoder-fatal-throws-tostring-replaces',
    'Bytes that are not UTF-8: buffer.toString("utf8") replaces them with U+FFFD and carries on, new TextDecoder("utf-8", { fatal: true }).decode() throws a TypeError.',
    async () => {
      const broken = Buffer.from([0x7b, 0xff, 0x7d]);
      assert.equal(broken.toString('utf8'), '{\uFFFD}');
      assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(broken), TypeError);
    },
  ),
];
