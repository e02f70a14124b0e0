// Facts phase 05 (a JSON API) rests on: what Node puts on the wire for a 204 and for a
// content-length that counts characters, what the listener sees for odd request targets
// and how a URL built from them comes out, what a throw in the listener does to the
// process, and how JavaScript counts the length of a string.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { fact, rawExchange, withServer } from './_support.mjs';

/** Two GETs pipelined on one connection (the second closes it): shows what follows a response. */
const TWO_GETS = 'GET / HTTP/1.1\r\nhost: x\r\n\r\nGET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n';

/** The head (status line and headers) of every response in `text`, in order. */
function heads(text) {
  return text.split('HTTP/1.1 ').slice(1).map((part) => part.split('\r\n\r\n')[0]);
}

/** Runs `listener` on a server, sends `target` as a GET, resolves with the req.url it saw. */
async function targetSeen(target) {
  const seen = [];
  await withServer(
    (req, res) => {
      seen.push(req.url);
      res.end();
    },
    (port) => rawExchange(port, `GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`),
  );
  return seen;
}

export default [
  fact(
    'json-204-sends-declared-length-drops-body',
    'A 204 written with writeHead(204, { "content-length": 4, "content-type": "application/json" }) and end("null") goes out with both headers exactly as set, and Node drops the 4 body bytes without an error: the response announces a body it does not carry.',
    async () => {
      const uncaught = [];
      let thrown;
      const { text } = await withServer(
        (req, res) => {
          try {
            res.writeHead(204, { 'content-length': 4, 'content-type': 'application/json' });
            res.end('null');
          } catch (error) {
            thrown = error;
          }
        },
        (port) => rawExchange(port, TWO_GETS),
        { uncaught },
      );
      assert.equal(thrown, undefined);
      assert.deepEqual(uncaught, []);
      const [first, second] = heads(text);
      assert.match(first, /^204 No Content\r\n/);
      assert.match(first, /\r\ncontent-length: 4\r\n/i);
      assert.match(first, /\r\ncontent-type: application\/json\r\n/i);
      // Nothing between the first head and the second status line: the body was dropped.
      assert.ok(text.includes('\r\n\r\nHTTP/1.1 204'), 'no body bytes after the first 204');
      assert.match(second, /^204 No Content\r\n/);
      assert.equal(text.includes('null'), false);
    },
  ),
  fact(
    'json-204-bare-has-no-length-or-type',
    'A 204 written with writeHead(204) and end() carries no content-length, no transfer-encoding and no content-type: Node adds none of them for a 204 (statusCode = 204 and end() gives the same).',
    async () => {
      for (const answer of [(res) => { res.writeHead(204); res.end(); }, (res) => { res.statusCode = 204; res.end(); }]) {
        const { text } = await withServer((req, res) => answer(res), (port) => rawExchange(port, TWO_GETS));
        const all = heads(text);
        assert.equal(all.length, 2);
        for (const head of all) {
          assert.match(head, /^204 No Content\r\n/);
          assert.doesNotMatch(head, /content-length|transfer-encoding|content-type/i);
        }
      }
    },
  ),
  fact(
    'unended-response-holds-back-next-response',
    'A response that writes its whole body (content-length met) but never calls end() holds back every later response on that kept-alive connection: the listener runs for the next request, yet nothing of its answer is sent.',
    async () => {
      const seen = [];
      const got = await withServer(
        (req, res) => {
          seen.push(req.url);
          if (req.url === '/first') {
            res.writeHead(200, { 'content-length': 3 });
            res.write('abc');
          } else {
            res.end('two');
          }
        },
        (port) =>
          new Promise((resolve) => {
            // As a kept-alive client does: the second request goes out once the first answer is whole.
            const socket = net.connect(port, '127.0.0.1');
            let text = '';
            let sentSecond = false;
            socket.on('data', (chunk) => {
              text += chunk.toString('latin1');
              if (!sentSecond && text.endsWith('\r\n\r\nabc')) {
                sentSecond = true;
                socket.write('GET /second HTTP/1.1\r\nhost: x\r\n\r\n');
              }
            });
            socket.write('GET /first HTTP/1.1\r\nhost: x\r\n\r\n');
            setTimeout(() => {
              socket.destroy();
              resolve(text);
            }, 800);
          }),
      );
      assert.deepEqual(seen, ['/first', '/second']);
      assert.match(got, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nabc$/);
      assert.doesNotMatch(got, /two/);
    },
  ),
  fact(
    'content-length-too-short-sends-whole-body',
    'With content-length set to "Zoë 日本".length (6) and end("Zoë 日本") (11 bytes in UTF-8), Node writes all 11 bytes without an error: a client reads 6 of them as the body and the other 5 land where it expects the next response.',
    async () => {
      const body = 'Zoë 日本';
      assert.equal(body.length, 6);
      assert.equal(Buffer.byteLength(body), 11);
      const uncaught = [];
      const { text } = await withServer(
        (req, res) => {
          res.writeHead(200, { 'content-length': body.length, 'content-type': 'text/plain; charset=utf-8' });
          res.end(body);
        },
        (port) => rawExchange(port, TWO_GETS),
        { uncaught },
      );
      assert.deepEqual(uncaught, []);
      // Both responses carry the whole 11-byte body right after their blank line.
      const utf8 = Buffer.from(text, 'latin1').toString('utf8');
      assert.equal(utf8.split(`\r\n\r\n${body}`).length - 1, 2);
      assert.match(utf8, /\r\ncontent-length: 6\r\n/);
    },
  ),
  fact(
    'string-length-counts-utf16-units',
    'JavaScript\'s text.length counts UTF-16 code units: "😀".length is 2 while [..."😀"].length is 1 (one code point); "é".length is 1 but Buffer.byteLength("é") is 2; "e" followed by the combining accent U+0301 looks like one "é" yet is 2 code points.',
    async () => {
      assert.equal('😀'.length, 2);
      assert.equal([...'😀'].length, 1);
      assert.equal('😀'.repeat(280).length, 560);
      assert.equal([...'😀'.repeat(280)].length, 280);
      assert.equal('é'.length, 1);
      assert.equal(Buffer.byteLength('é'), 2);
      assert.equal([...'e\u0301'].length, 2);
      assert.equal('e\u0301'.normalize('NFC'), 'é');
    },
  ),
  fact(
    'number-coerces-loose-text',
    'Number() accepts more than whole numbers: Number("") is 0, Number("1e2") is 100, Number(" 7") is 7 and Number("2.5") is 2.5.',
    async () => {
      assert.equal(Number(''), 0);
      assert.equal(Number('1e2'), 100);
      assert.equal(Number(' 7'), 7);
      assert.equal(Number('2.5'), 2.5);
    },
  ),
  fact(
    'url-origin-form-on-fixed-origin-keeps-path',
    'new URL("http://localhost" + target) for a target starting with "/" keeps the whole target as the path: "//x/messages" gives host "localhost" and path "//x/messages", and "//[" gives path "//[" instead of throwing.',
    async () => {
      const doubled = new URL('http://localhost' + '//x/messages');
      assert.equal(doubled.host, 'localhost');
      assert.equal(doubled.pathname, '//x/messages');
      const odd = new URL('http://localhost' + '//[');
      assert.equal(odd.host, 'localhost');
      assert.equal(odd.pathname, '//[');
      const query = new URL('http://localhost' + '/messages?limit=2');
      assert.equal(query.pathname, '/messages');
      assert.equal(query.searchParams.get('limit'), '2');
    },
  ),
  fact(
    'req-url-absolute-form-verbatim',
    'A request line with an absolute-form target ("GET http://example.test/messages?limit=1 HTTP/1.1") reaches the listener with req.url exactly as sent, scheme and host included; new URL(req.url) then gives the path "/messages", while "http://localhost" + req.url does not.',
    async () => {
      const target = 'http://example.test/messages?limit=1';
      assert.deepEqual(await targetSeen(target), [target]);
      const url = new URL(target);
      assert.equal(url.pathname, '/messages');
      assert.equal(url.searchParams.get('limit'), '1');
      assert.notEqual(new URL('http://localhost' + target).pathname, '/messages');
    },
  ),
  fact(
    'req-url-odd-targets-reach-listener',
    'Node\'s HTTP parser hands the targets "*" and "http://[/x" to the listener as req.url; new URL("http://[/x") throws a TypeError (ERR_INVALID_URL), and "*" is neither a path nor an absolute URL.',
    async () => {
      assert.deepEqual(await targetSeen('*'), ['*']);
      assert.deepEqual(await targetSeen('http://[/x'), ['http://[/x']);
      assert.throws(() => new URL('http://[/x'), (error) => error instanceof TypeError && error.code === 'ERR_INVALID_URL');
      assert.throws(() => new URL('*'), TypeError);
    },
  ),
  fact(
    'listener-throw-ends-process',
    'An exception thrown synchronously in the request listener (for example by new URL in code that runs before any try/catch) is an uncaught exception: with no handler for it, the process prints it and exits with code 1, and every other connection goes with it.',
    async () => {
      const script = `
        const http = require('node:http');
        const server = http.createServer((req, res) => { new URL(req.url, 'http://localhost'); res.end('ok'); });
        server.listen(0, '127.0.0.1', () => console.log(server.address().port));
      `;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => { stderr += chunk; });
      try {
        const [chunk] = await once(child.stdout, 'data');
        const port = Number(String(chunk).trim());
        const exited = once(child, 'exit');
        await rawExchange(port, 'GET //[ HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
        const [code] = await exited;
        assert.equal(code, 1);
        assert.match(stderr, /ERR_INVALID_URL/);
      } finally {
        child.kill();
      }
    },
  ),
];
